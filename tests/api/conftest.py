"""Users of every role, and API clients signed in as them."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.roles import Role
from tests.cases.factories import UserFactory

#: Every kind of caller the access matrix checks. "superuser" is the administrator.
CALLERS = (
    "anonymous",
    "no_role",
    "partner",
    "panel_member",
    "panel_chair",
    "caseworker",
    "manager",
    "superuser",
)


def make_caller(kind: str):
    if kind == "anonymous":
        return None
    if kind == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    if kind == "no_role":
        return UserFactory()
    return UserFactory(roles=[Role(kind)])


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def token_client():
    """A client authenticating with a token, as an integration does."""

    def build(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return build
