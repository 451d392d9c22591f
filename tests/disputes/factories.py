"""Disputes built through the services, as in real use."""

import datetime

from disputes import services
from plans.letters import letter_mark_sent
from reviews.services import review_schedule, review_transition
from tests.cases.factories import case_in_status, caseworker

D = datetime.date
RECEIVED = D(2026, 1, 5)
#: decline_to_assess on day 40 of the factories' path: the letter date.
LETTER = RECEIVED + datetime.timedelta(days=40)  # 14 February 2026


def declined_dispute(status="assessment_declined", *, actor=None):
    actor = actor or caseworker()
    case = case_in_status(status, family_told=True, actor=actor, received_on=RECEIVED)
    decision = "decline_to_assess" if status == "assessment_declined" else "decline_to_issue"
    dispute = services.dispute_open(actor=actor, case=case, decision=decision)
    return actor, case, dispute


REGISTERED = D(2026, 3, 2)


def appealed(status="assessment_declined", *, registered_on=REGISTERED):
    actor, case, dispute = declined_dispute(status)
    grounds = ["refusal_to_assess" if status == "assessment_declined" else "refusal_to_issue"]
    appeal = services.appeal_register(
        actor=actor, dispute=dispute, registered_on=registered_on, grounds=grounds
    )
    return actor, case, dispute, appeal


#: A review of a plan held here, up to its report (the outcomes come from section E).
MEETING = D(2026, 10, 1)
TO_REPORT = [
    ("send_invitations", D(2026, 9, 15), {}),
    ("hold_meeting", MEETING, {"child_views_given": True}),
    ("receive_report", D(2026, 10, 10), {"report_text": "Good progress (synthetic)."}),
]


def send_letters(notice, day, *, actor, today=datetime.date(2026, 11, 30)):
    for letter in notice.letters.all():
        letter_mark_sent(actor=actor, letter=letter, method="post", sent_on=day, today=today)


def review_to_report(*, actor, plan, today=datetime.date(2026, 11, 30)):
    """A plan held here scheduled for review on 1 October 2026, its report received."""
    review = review_schedule(actor=actor, plan=plan, meeting_on=MEETING, today=D(2026, 9, 1))
    for transition, day, details in TO_REPORT:
        review = review_transition(
            actor=actor,
            review=review,
            transition=transition,
            effective_date=day,
            details=details,
            today=today,
        )
    return review
