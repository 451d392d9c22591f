"""The demo borough shows reviews due this month, phase transfers due by 15 February and
reviews in progress, and seeding twice adds nothing."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from demo.borough import seed_demo
from reviews.models import ActivePlan, Review
from reviews.selectors import review_list, school_reviews

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("today", [datetime.date(2026, 11, 30), datetime.date(2027, 1, 31)])
def test_demo_plans_and_reviews(today):
    seed_demo(cases=10, today=today)
    plans = ActivePlan.objects.count()
    assert review_list(name="due_this_month", today=today).count() >= 6
    assert review_list(name="overdue", today=today).count() >= 3
    transfers = review_list(name="phase_transfers", today=today)
    next_february = datetime.date(today.year + (today.month > 2), 2, 15)
    assert transfers.filter(phase_transfer_due=next_february).count() >= 5
    # The three reviews of imported plans, and one of a plan issued here (held with its
    # document and letters) waiting for its decision, when a demo plan is old enough.
    held_here = Review.objects.filter(plan__case__isnull=False)
    old_enough = today - datetime.timedelta(days=12)
    qualifying = ActivePlan.objects.filter(case__plan__isnull=False, start_date__lt=old_enough)
    assert held_here.exists() == qualifying.exists()
    assert held_here.count() <= 1
    assert Review.objects.open().count() == 3 + held_here.count()
    assert all(r.status == "report_received" for r in held_here)
    assert all(r.outcomes.filter(plan_outcome__isnull=False).exists() for r in held_here)
    school = get_user_model().objects.get(username="demo.partner.school")
    assert school_reviews(user=school).filter(status="meeting_held").count() == 1
    seed_demo(cases=10, today=today)
    assert ActivePlan.objects.count() == plans
