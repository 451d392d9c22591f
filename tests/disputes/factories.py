"""Disputes built through the services, as in real use."""

import datetime

from disputes import services
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
