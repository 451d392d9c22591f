"""Reads of disputes: a case's disputes and their dates in plain words (the case page, and the
family portal to come), and the dashboard's counts. Each costs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q
from django.http import Http404

from cases.models import Case, CaseStatus, restricted_cases

from . import deadlines
from .models import (
    Appeal,
    AppealOutcome,
    AppealStatus,
    Decision,
    Dispute,
    Mediation,
    MediationStatus,
    Order,
    OrderDeadline,
)

#: The decision a declined case can be disagreed with, before any dispute is recorded.
DECLINED_DECISION = {
    CaseStatus.ASSESSMENT_DECLINED: Decision.DECLINE_TO_ASSESS,
    CaseStatus.PLAN_DECLINED: Decision.DECLINE_TO_ISSUE,
}


def case_disputes(*, case: Case) -> list[Dispute]:
    """The case's disputes with their mediation, appeal, orders and deadlines: 3 queries."""
    return list(
        Dispute.objects.filter(case=case)
        .select_related("mediation", "appeal", "review")
        .prefetch_related(
            Prefetch(
                "orders",
                queryset=Order.objects.prefetch_related(
                    Prefetch("deadlines", queryset=OrderDeadline.objects.order_by("due_on", "id"))
                ),
            )
        )
        .order_by("decision_letter_sent_on", "id")
    )


def dispute_get(*, case: Case, dispute_id: int) -> Dispute:
    """One of this case's disputes, or 404 (a dispute of another case is not found)."""
    dispute = (
        Dispute.objects.select_related("case", "review").filter(case=case, pk=dispute_id).first()
    )
    if dispute is None:
        raise Http404("No such disagreement on this case.")
    return dispute


def deadline_get(*, case: Case, deadline_id: int) -> OrderDeadline:
    deadline = OrderDeadline.objects.filter(dispute__case=case, pk=deadline_id).first()
    if deadline is None:
        raise Http404("No such step on this case.")
    return deadline


@dataclass(frozen=True)
class DisputeDate:
    """One date of a disagreement, in words: what, when, and whether it is done."""

    what: str
    on: datetime.date
    done: bool = False
    late: bool = False
    family: bool = False  # the family's own deadline (shown to them), not the council's


def pending_window(*, case: Case, disputes: list[Dispute]) -> dict | None:
    """A declined case with no dispute recorded yet: its appeal window from the letter date."""
    decision = DECLINED_DECISION.get(case.status)
    if decision is None or case.appeal_rights_sent_on is None:
        return None
    if any(dispute.decision == decision and dispute.review_id is None for dispute in disputes):
        return None
    return {
        "decision": decision,
        "decision_label": Decision(decision).label,
        "letter_sent_on": case.appeal_rights_sent_on,
        "appeal_deadline": deadlines.appeal_deadline(case.appeal_rights_sent_on),
        "adviser_contact_due": deadlines.adviser_contact_due(case.appeal_rights_sent_on),
    }


def dispute_dates(dispute: Dispute, today: datetime.date) -> list[DisputeDate]:
    """Every date of one dispute, in order, in the words of the case page."""
    dates = []
    if dispute.status == "open":
        dates.append(
            DisputeDate(
                "Last day to contact the mediation adviser",
                deadlines.adviser_contact_due(dispute.decision_letter_sent_on),
                family=True,
            )
        )
        dates.append(
            DisputeDate("Last day to appeal to the tribunal", dispute.appeal_deadline, family=True)
        )
    mediation = getattr(dispute, "mediation", None)
    if mediation is not None:
        dates += _mediation_dates(mediation)
    appeal = getattr(dispute, "appeal", None)
    if appeal is not None:
        dates += _appeal_dates(appeal)
    for order in dispute.orders.all():
        for deadline in order.deadlines.all():
            if deadline.not_needed:
                continue
            dates.append(
                DisputeDate(
                    f"{deadline.label} ({deadline.regulation})",
                    deadline.due_on,
                    done=deadline.done_on is not None,
                    late=bool(deadline.done_on and deadline.done_on > deadline.due_on)
                    or (deadline.done_on is None and deadline.due_on < today),
                    family=True,
                )
            )
    return sorted(dates, key=lambda item: item.on)


def _mediation_dates(mediation: Mediation) -> list[DisputeDate]:
    dates = []
    if mediation.status == MediationStatus.ADVISER_CONTACTED:
        dates.append(
            DisputeDate(
                "Mediation certificate due from the adviser",
                deadlines.certificate_due(mediation.adviser_contacted_on),
            )
        )
    if mediation.mediation_due:
        held = mediation.held_on
        dates.append(
            DisputeDate(
                "Mediation to take place by",
                mediation.mediation_due,
                done=held is not None,
                late=bool(held and held > mediation.mediation_due),
                family=True,
            )
        )
    if mediation.status == MediationStatus.HELD and mediation.held_on:
        dates.append(
            DisputeDate(
                "Mediation certificate due from the mediator",
                deadlines.certificate_after_mediation_due(mediation.held_on),
            )
        )
    return dates


def _appeal_dates(appeal: Appeal) -> list[DisputeDate]:
    sent = appeal.response_sent_on
    dates = [
        DisputeDate(
            "Council's response to the tribunal due",
            appeal.response_due,
            done=sent is not None,
            late=bool(sent and sent > appeal.response_due),
        )
    ]
    if appeal.hearing_on and appeal.status != AppealStatus.DECIDED:
        dates.append(DisputeDate("Tribunal hearing", appeal.hearing_on, family=True))
    return dates


def dispute_dates_for_family(case: Case, today: datetime.date) -> list[dict]:
    """For the family portal: the dates that matter to the family, first the soonest, each a
    short sentence. Only the family's own deadlines and what the council must do for them."""
    disputes = case_disputes(case=case)
    sentences = []
    window = pending_window(case=case, disputes=disputes)
    if window:
        sentences.append(
            {
                "on": window["appeal_deadline"],
                "sentence": (
                    f"You can appeal to the tribunal until {_day(window['appeal_deadline'])}. "
                    "Contact the mediation adviser first, by "
                    f"{_day(window['adviser_contact_due'])}."
                ),
            }
        )
    for dispute in disputes:
        for item in dispute_dates(dispute, today):
            if not item.family or item.done:
                continue
            sentences.append({"on": item.on, "sentence": _family_sentence(item, dispute)})
    return sorted(sentences, key=lambda row: row["on"])


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


#: The family's own deadlines name the decision they are about: a plan reviewed each year
#: may have several windows open or closed on one request.
FAMILY_ABOUT = {
    "Last day to contact the mediation adviser": "about",
    "Last day to appeal to the tribunal": "against",
}


def _family_sentence(item: DisputeDate, dispute: Dispute) -> str:
    when = _day(item.on)
    what = item.what.split(" (reg")[0]
    if item.what in FAMILY_ABOUT:
        title = dispute.title
        about = f"{title[0].lower()}{title[1:]}"
        if about.startswith("decision"):
            about = f"the {about}"
        return f"{item.what} {FAMILY_ABOUT[item.what]} {about}: {when}."
    if item.what == "Tribunal hearing":
        return f"The tribunal hearing is on {when}."
    return f"The council must {what[0].lower()}{what[1:]} by {when}."


# --- The dashboard ----------------------------------------------------------------------------


def dispute_dashboard(*, today: datetime.date, since: datetime.date) -> dict:
    """Appeals registered since `since`, how they ended, and whether orders were carried out
    on time (steps due by today): 3 queries, whatever the number of disputes."""
    appeals = Appeal.objects.filter(registered_on__gte=since).exclude(
        dispute__case_id__in=restricted_cases()
    )
    outcomes = dict(
        appeals.exclude(outcome="").values_list("outcome").annotate(n=Count("pk")).order_by()
    )
    registered = appeals.count()
    steps = (
        OrderDeadline.objects.filter(
            order__made_on__gte=since,
            not_needed=False,
        )
        .exclude(dispute__case_id__in=restricted_cases())
        .aggregate(
            on_time=Count("pk", filter=Q(done_on__isnull=False, done_on__lte=F("due_on"))),
            late=Count("pk", filter=Q(done_on__isnull=False, done_on__gt=F("due_on"))),
            overdue=Count("pk", filter=Q(done_on__isnull=True, due_on__lt=today)),
            outstanding=Count("pk", filter=Q(done_on__isnull=True, due_on__gte=today)),
        )
    )
    return {
        "registered": registered,
        "outcomes": [
            (AppealOutcome(value).label, outcomes.get(value, 0)) for value in AppealOutcome.values
        ],
        "steps": steps,
        "since": since,
    }


def dispute_mediation(*, dispute: Dispute) -> Mediation:
    mediation = Mediation.objects.filter(dispute=dispute).first()
    if mediation is None:
        raise Http404("No mediation is recorded for this decision.")
    return mediation


def dispute_appeal(*, dispute: Dispute) -> Appeal:
    appeal = Appeal.objects.filter(dispute=dispute).first()
    if appeal is None:
        raise Http404("No appeal is recorded for this decision.")
    return appeal
