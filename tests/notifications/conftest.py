"""Transactional tests start from a flushed database, which empties the role groups the
`cases/0002_roles` data migration created; put them back for those tests."""

import pytest
from django.contrib.auth.models import Group

from cases.roles import Role


@pytest.fixture
def role_groups():
    for role in Role:
        Group.objects.get_or_create(name=role)
