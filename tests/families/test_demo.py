"""The demo parent (issue 16, "Done when"): in `make run`'s demo they see their child's
request, and its family views are still asked for, so they can give them; and a second
child's draft plan inside its 15 days, with its letter sent, so they can comment on it."""

import datetime

import pytest

from advice_requests.models import OUTSTANDING_STATUSES, AdviceKind
from demo.borough import seed_demo
from families.demo import seed_demo_family
from plans.models import Plan
from plans.selectors import family_letters
from plans.services import open_draft

pytestmark = pytest.mark.django_db


def test_the_demo_parent_can_give_their_views_and_seeding_twice_changes_nothing():
    today = datetime.date(2026, 11, 23)
    # Enough cases that some are being drafted or have a draft with the family (the demo's
    # timings put about one in ten there); `make run` seeds 300.
    seed_demo(cases=60, today=today)
    member = seed_demo_family(today=today)
    views_link, draft_link = member.links.order_by("id")
    assert views_link.parent_carer.has_parental_responsibility
    case = views_link.child.cases.get(status="assessing")
    assert case.advice_requests.filter(
        kind=AdviceKind.PARENT_VIEWS, status__in=OUTSTANDING_STATUSES
    ).exists()
    draft_case = draft_link.child.cases.get(status="draft_issued")
    assert draft_case.draft_issued_on >= today - datetime.timedelta(days=14)
    plan = Plan.objects.get(case=draft_case)
    assert open_draft(plan) is not None
    assert family_letters(draft_case, parent_carer_id=draft_link.parent_carer_id).exists()
    assert seed_demo_family(today=today) == member
    assert member.links.count() == 2
