"""Factories for the reviews app: plans and reviews made through the services."""

import datetime

from advice_requests.models import PartnerServiceKind
from reviews.services import active_plan_create, review_schedule, review_transition
from tests.advice_requests.factories import PartnerServiceFactory
from tests.cases.factories import ChildFactory, caseworker

D = datetime.date
TODAY = D(2026, 11, 2)
MEETING = D(2026, 10, 1)
PLAN_START = D(2025, 11, 1)
OUTCOMES = ("Reads a short book aloud", "Joins a lunchtime club twice a week")


def school_service(**kwargs):
    return PartnerServiceFactory(kind=PartnerServiceKind.SCHOOL, **kwargs)


def make_plan(*, actor=None, start_date=PLAN_START, child=None, today=TODAY, **fields):
    return active_plan_create(
        actor=actor or caseworker(),
        child=child or ChildFactory(),
        start_date=start_date,
        primary_need=fields.pop("primary_need", "SLCN"),
        today=today,
        **fields,
    )


#: From `scheduled`, the steps (and their details) to reach each status.
LETTER = {"decision_letter_sent_on": D(2026, 10, 12)}
PATHS = {
    "scheduled": [],
    "invitations_sent": [("send_invitations", D(2026, 9, 15), {})],
    "meeting_held": [
        ("send_invitations", D(2026, 9, 15), {}),
        ("hold_meeting", MEETING, {"child_views_given": True}),
    ],
}
PATHS["report_received"] = [
    *PATHS["meeting_held"],
    ("receive_report", D(2026, 10, 10), {"report_text": "Good progress (synthetic)."}),
]
PATHS["maintained"] = [*PATHS["report_received"], ("decide_maintain", D(2026, 10, 12), LETTER)]
PATHS["amending"] = [*PATHS["report_received"], ("decide_amend", D(2026, 10, 12), LETTER)]
PATHS["amendments_proposed"] = [*PATHS["amending"], ("propose_amendments", D(2026, 10, 13), {})]
PATHS["amended"] = [
    *PATHS["amendments_proposed"],
    ("issue_amended_plan", D(2026, 11, 2), {}),
]
PATHS["cease_proposed"] = [*PATHS["report_received"], ("decide_cease", D(2026, 10, 12), LETTER)]
PATHS["cease_consulted"] = [
    *PATHS["cease_proposed"],
    ("record_cease_consultation", D(2026, 10, 25), {}),
]
PATHS["ceased"] = [*PATHS["cease_consulted"], ("cease_plan", D(2026, 10, 30), {"cease_reason": 2})]


def review_in_status(status, *, actor=None, plan=None, school=None, today=TODAY):
    actor = actor or caseworker()
    plan = plan or make_plan(actor=actor, caseworker=actor)
    review = review_schedule(
        actor=actor,
        plan=plan,
        meeting_on=MEETING,
        school=school,
        outcomes=OUTCOMES,
        today=D(2026, 9, 1),
    )
    for transition, day, details in PATHS[status]:
        review = review_transition(
            actor=actor,
            review=review,
            transition=transition,
            effective_date=day,
            details=details,
            today=today,
        )
    assert review.status == status
    return review
