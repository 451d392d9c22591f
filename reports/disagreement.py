"""SEN2's mediation and tribunal flags (RequestMediation, RequestTribunal, AssessmentMediation,
AssessmentTribunal), read from the disputes app: a refusal later overturned keeps its original
outcome and date, and these flags say what followed (sen2.md, modules 2 and 3)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from disputes.models import Appeal, Decision, Dispute, Mediation, Order


def _exists(model, decision: str):
    if model is Dispute:
        return Exists(Dispute.objects.filter(case=OuterRef("pk"), decision=decision))
    return Exists(model.objects.filter(dispute__case=OuterRef("pk"), dispute__decision=decision))


def with_disagreement_flags() -> dict:
    """Annotations for a Case queryset: whether each refusal was disputed, mediated, appealed."""
    assess, issue = Decision.DECLINE_TO_ASSESS, Decision.DECLINE_TO_ISSUE
    return {
        "assess_disputed": _exists(Dispute, assess),
        "assess_mediation": _exists(Mediation, assess),
        "assess_tribunal": _exists(Appeal, assess),
        "issue_disputed": _exists(Dispute, issue),
        "issue_mediation": _exists(Mediation, issue),
        "issue_tribunal": _exists(Appeal, issue),
        # An order (or a concession) that reopened the case: the refusal keeps its outcome.
        "assess_reopened": _reopened(assess),
        "issue_reopened": _reopened(issue),
    }


def _reopened(decision: str):
    return Exists(
        Order.objects.filter(
            dispute__case=OuterRef("pk"), dispute__decision=decision, reopened_case=True
        )
    )
