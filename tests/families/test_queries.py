"""Issue 16: a family's pages cost a fixed number of queries, however many children, requests
and advice requests they have, and however big the council (timings: bench 7a-7b)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families.models import FamilyLink
from tests.advice_requests.factories import assessing_case, make_advice
from tests.cases.factories import make_case

from .factories import case_with_draft, family_account, parent_of

pytestmark = pytest.mark.django_db

#: Session, user, family member, links with their children, requests (home); and on the request
#: page the case, its advice, the views given, the case's disputes (the appeal deadline), the
#: letters sent to them and whether a plan was issued. Fixed: they do not grow with the rows.
HOME_QUERIES = 5
REQUEST_QUERIES = 10


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC))


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_child(member, case):
    carer = parent_of(case.child, name=f"{member.name} Again")
    FamilyLink.objects.create(member=member, child=case.child, parent_carer=carer)


def test_the_home_page_does_not_grow_with_children_or_requests(
    client, django_assert_max_num_queries
):
    first = assessing_case()
    member = family_account(carer=parent_of(first.child))
    client.force_login(member.user)
    for _ in range(5):
        make_case()  # other families' requests
    one = _count(client, reverse("families:home"))
    for _ in range(3):
        _add_child(member, make_case())
    make_case(child=first.child, received_on=datetime.date(2026, 9, 1))
    with django_assert_max_num_queries(HOME_QUERIES):
        client.get(reverse("families:home"))
    assert _count(client, reverse("families:home")) == one


def test_the_request_page_does_not_grow_with_advice_or_views(client, django_assert_max_num_queries):
    case = assessing_case()
    member = family_account(carer=parent_of(case.child))
    client.force_login(member.user)
    url = reverse("families:request", args=[case.reference])
    before = _count(client, url)
    for _ in range(4):
        make_advice(case=case)
    with django_assert_max_num_queries(REQUEST_QUERIES):
        client.get(url)
    assert _count(client, url) == before


def test_the_plan_page_does_not_grow_with_comments_or_letters(client, time_machine):
    """The plan page reads the plan, its versions, its comments and section K's advice once
    each, however many comments the family has made."""
    time_machine.move_to(datetime.datetime(2026, 11, 3, 10, tzinfo=datetime.UTC))
    case, carer = case_with_draft()
    member = family_account(carer=carer)
    client.force_login(member.user)
    url = reverse("families:plan", args=[case.reference])
    client.post(url, {"section_B": "One."})
    before = _count(client, url)
    client.post(url, {"section_C": "Two.", "section_D": "Three.", "school": "Four (synthetic)"})
    assert _count(client, url) == before
