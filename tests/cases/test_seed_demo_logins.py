"""Issue 14: `make run` (seed_demo) prints every demo login, read from what was seeded, so a
new demo service's login (demo.partner.pfa, demo.partner.cep) cannot be left out."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q

pytestmark = pytest.mark.django_db


def test_seed_demo_prints_every_demo_login():
    out = io.StringIO()
    call_command("seed_demo", cases=12, stdout=out)
    printed = out.getvalue()
    usernames = get_user_model().objects.filter(
        Q(username__startswith="demo.") | Q(username__startswith="cw.")
    )
    assert usernames.count() > 10
    for username in usernames.values_list("username", flat=True):
        assert username in printed, username
    assert "demo.partner.pfa" in printed
    assert "demo.partner.cep" in printed
    assert "Partners (one per service): demo.partner." in printed
