"""Demo disagreements (issue 18): among the demo borough's declined cases, one left with its
appeal window open (shown without any record), one with mediation under way, and one appealed
with a tribunal order to assess whose deadlines show on the case and the dashboard."""

from __future__ import annotations

import datetime

from cases.models import Case, CaseStatus

from . import services

DAY = datetime.timedelta(days=1)


def seed_disputes(*, today: datetime.date, actor) -> int:
    """Idempotent: declined cases that already have a dispute are not chosen again."""
    declined = list(
        Case.objects.filter(
            status=CaseStatus.ASSESSMENT_DECLINED,
            appeal_rights_sent_on__lte=today - 21 * DAY,
            disputes__isnull=True,
        ).order_by("-appeal_rights_sent_on", "pk")[:3]
    )
    if len(declined) < 3:  # noqa: PLR2004
        return 0
    _, mediated, appealed = declined
    _mediation(mediated, actor=actor)
    _appeal_with_order(appealed, actor=actor, today=today)
    return 2


def _mediation(case, *, actor) -> None:
    letter = case.appeal_rights_sent_on
    dispute = services.dispute_open(actor=actor, case=case, decision="decline_to_assess")
    mediation = services.mediation_start(
        actor=actor, dispute=dispute, adviser_contacted_on=letter + 7 * DAY
    )
    services.mediation_transition(
        actor=actor,
        mediation=mediation,
        transition="choose_mediation",
        effective_date=letter + 9 * DAY,
    )


def _appeal_with_order(case, *, actor, today) -> None:
    letter = case.appeal_rights_sent_on
    dispute = services.dispute_open(actor=actor, case=case, decision="decline_to_assess")
    registered = letter + 10 * DAY
    appeal = services.appeal_register(
        actor=actor, dispute=dispute, registered_on=registered, grounds=["refusal_to_assess"]
    )
    decided = max(registered, today - 5 * DAY)
    services.appeal_outcome_record(
        actor=actor,
        appeal=appeal,
        outcome="order",
        decided_on=decided,
        order_kind="assess",
        terms="The council must carry out an EHC needs assessment (synthetic).",
    )
