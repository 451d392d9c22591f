"""`manage.py create_user`: scripted joiners get roles and a one-time (or given) password."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cases.management.commands.create_user import UNKNOWN_ROLE, USER_EXISTS
from cases.roles import user_roles

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_prints_a_one_time_password_that_works():
    out = io.StringIO()
    call_command(
        "create_user", "jo.bloggs", "--role", "caseworker", "--role", "manager",
        "--email", "jo@example.invalid", stdout=out,
    )  # fmt: skip
    password = out.getvalue().split("One-time password (shown once): ")[1].strip()
    user = User.objects.get(username="jo.bloggs")
    assert user.check_password(password)
    assert user.email == "jo@example.invalid"
    assert user_roles(user) == {"caseworker", "manager"}
    assert not user.is_superuser


def test_password_from_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-synthetic-passphrase\n"))
    out = io.StringIO()
    call_command("create_user", "sam", "--role", "partner", "--password-from-stdin", stdout=out)
    assert User.objects.get(username="sam").check_password("a-long-synthetic-passphrase")
    assert "One-time password" not in out.getvalue()


def test_unknown_role_saves_nothing():
    with pytest.raises(CommandError) as refused:
        call_command("create_user", "kim", "--role", "caseworker", "--role", "wizard")
    assert str(refused.value).startswith(UNKNOWN_ROLE.format(role="wizard", roles="")[:-2])
    assert not User.objects.filter(username="kim").exists()


def test_existing_user_is_refused():
    User.objects.create(username="kim")
    with pytest.raises(CommandError, match=USER_EXISTS.format(username="kim")):
        call_command("create_user", "kim", "--role", "caseworker")


def test_weak_password_from_stdin_is_refused(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    with pytest.raises(CommandError):
        call_command("create_user", "lee", "--role", "caseworker", "--password-from-stdin")
    assert not User.objects.filter(username="lee").exists()
