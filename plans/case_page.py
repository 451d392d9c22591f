"""What the plans app adds to the case page (registered in apps.py through cases.extensions):
the plan and its versions, the family's response, every consultation, and the letters."""

from __future__ import annotations

from . import deadlines, selectors, services
from .access import may_work_on_plans

PLAN_SECTION_TEMPLATE = "plans/includes/case_plan.html"
PLAN_STATUSES = ("drafting", "draft_issued", "final_issued")


def plan_section(*, request, case, today):
    if not may_work_on_plans(request.user):
        return None
    plan = selectors.plan_of(case)
    letters = list(selectors.case_letters(case))
    if plan is None and not letters and case.status not in PLAN_STATUSES:
        return None
    context = {
        "plan": plan,
        "letters": letters,
        "today": today,
        "may_start": case.status in services.EDITABLE_STATUSES,
    }
    if plan is not None:
        draft = services.latest_draft(plan)
        comments = list(selectors.plan_comments(plan))
        context |= {
            "versions": list(selectors.plan_versions(plan)),
            "draft": draft,
            "comments_due": deadlines.comments_due(draft.issued_on) if draft else None,
            "unanswered": sum(1 for c in comments if not c.answer),
            "comment_count": len(comments),
            "consultations": list(selectors.plan_consultations(plan)),
        }
    return PLAN_SECTION_TEMPLATE, context
