"""The demo borough's families and likely duplicates (section 10), so the match step shows."""

import datetime

import pytest

from cases.models import Child, ParentCarer
from cases.selectors import possible_duplicate_children
from demo.borough import seed_demo

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def test_every_demo_child_has_a_family_and_the_lookalikes_are_found():
    seed_demo(cases=14, today=TODAY)
    children = Child.objects.all()
    assert all(child.parent_carers.with_parental_responsibility().exists() for child in children)
    people = ParentCarer.objects.all()
    assert {person.preferred_contact_method for person in people} == {"email", "phone", "post"}
    assert people.exclude(interpreter_language="").exists()
    zoe = Child.objects.get(first_name="Zoë")
    matches = possible_duplicate_children(
        first_name="zoe", last_name="smith jones", date_of_birth=zoe.date_of_birth, upn=""
    )
    assert len(matches) == 2
    twin = Child.objects.get(first_name="Ada", last_name="Okafor")
    matches = possible_duplicate_children(
        first_name="Ada", last_name="Okafor", date_of_birth=twin.date_of_birth, upn=""
    )
    assert {match.child.first_name for match in matches} == {"Ada", "Leo"}
