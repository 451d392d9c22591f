"""What the reviews app adds to the case page (registered in apps.py through cases.extensions):
for a request that led to a plan, the active plan, its next review and a link to it."""

from __future__ import annotations

from .models import ActivePlan
from .roles import may_use_review_area

PLAN_SECTION_TEMPLATE = "reviews/includes/case_plan.html"


def plan_section(*, request, case, today):
    if not may_use_review_area(request.user):
        return None
    plan = ActivePlan.objects.filter(case=case).first()
    if plan is None:
        return None
    return PLAN_SECTION_TEMPLATE, {"active_plan": plan, "today": today}
