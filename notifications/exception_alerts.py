"""Tell the managers an exception is waiting for them (issue 14): recorded in the proposal's
transaction (registered in NotificationsConfig.ready through cases.exception_services)."""

from __future__ import annotations

from .kinds import Kind
from .messages import case_path
from .selectors import managers
from .services import Alert, alerts_record


def exception_proposed_notify(*, exception, actor) -> None:
    """One alert per manager other than the proposer (who cannot agree their own). The
    context names the case by reference and the ground: never the child or the evidence."""
    case = exception.case
    context = {
        "reference": case.reference,
        "ground": exception.get_ground_display(),
        "proposed_by": (actor.get_full_name() or actor.get_username()) if actor else "",
        "link": f"{case_path(case.reference)}#exceptions",
    }
    alerts = [
        Alert(
            kind=Kind.EXCEPTION_PROPOSED,
            object_type="case_exception",
            object_id=str(exception.pk),
            milestone="proposed",
            level="",
            recipient=recipient,
            context=context,
            case_id=case.pk,
        )
        for recipient in managers()
        if recipient.user_id != getattr(actor, "pk", None)
    ]
    alerts_record(alerts=alerts)
