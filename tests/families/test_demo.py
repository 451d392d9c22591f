"""The demo parent (issue 16, "Done when"): in `make run`'s demo they see their child's
request, and its family views are still asked for, so they can give them."""

import datetime

import pytest

from advice_requests.models import OUTSTANDING_STATUSES, AdviceKind
from demo.borough import seed_demo
from families.demo import seed_demo_family

pytestmark = pytest.mark.django_db


def test_the_demo_parent_can_give_their_views_and_seeding_twice_changes_nothing():
    today = datetime.date(2026, 11, 23)
    seed_demo(cases=30, today=today)
    member = seed_demo_family(today=today)
    link = member.links.get()
    assert link.parent_carer.has_parental_responsibility
    case = link.child.cases.get(status="assessing")
    assert case.advice_requests.filter(
        kind=AdviceKind.PARENT_VIEWS, status__in=OUTSTANDING_STATUSES
    ).exists()
    assert seed_demo_family(today=today) == member
    assert member.links.count() == 1
