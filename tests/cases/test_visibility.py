"""Case.objects.visible_to: who sees which cases (section 8), and the hook for the panels app."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from cases import visibility
from cases.models import Case
from cases.roles import Role
from tests.cases.factories import UserFactory, caseworker, make_case, manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases():
    author = caseworker()
    return make_case(actor=author), make_case(actor=author)


@pytest.mark.parametrize(
    "user_factory",
    [caseworker, manager, lambda: UserFactory(is_superuser=True)],
    ids=["caseworker", "manager", "superuser"],
)
def test_service_staff_see_every_case(two_cases, user_factory):
    assert set(Case.objects.visible_to(user_factory())) == set(two_cases)


@pytest.mark.parametrize("role", [Role.PARTNER, Role.PANEL_MEMBER, Role.PANEL_CHAIR, None])
def test_others_see_none_without_a_rule(two_cases, role):
    user = UserFactory(roles=[role] if role else [])
    assert not Case.objects.visible_to(user).exists()


def test_anonymous_and_inactive_see_none(two_cases):
    assert not Case.objects.visible_to(AnonymousUser()).exists()
    assert not Case.objects.visible_to(caseworker(is_active=False)).exists()


def test_a_registered_rule_grants_exactly_its_cases(two_cases, monkeypatch):
    monkeypatch.setattr(visibility, "CASE_VISIBILITY_RULES", [])
    first, _ = two_cases
    member = UserFactory(roles=[Role.PANEL_MEMBER])
    visibility.register_case_visibility_rule(
        lambda user: Q(pk=first.pk) if user.pk == member.pk else None
    )
    assert list(Case.objects.visible_to(member)) == [first]
    assert not Case.objects.visible_to(UserFactory(roles=[Role.PANEL_CHAIR])).exists()
