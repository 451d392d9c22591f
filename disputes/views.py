"""The caseworker's disagreement page for one case: every dispute's dates and a small form for
each step that can be recorded next. Thin: the forms parse, the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import errors as case_errors
from cases import selectors as case_selectors
from cases.roles import Role, has_role
from cases.views import _form_errors, case_area

from . import selectors, services
from .forms import DATE_LEGENDS, STEPS
from .models import AppealStatus, DisputeStatus, MediationOutcome, MediationStatus

RECORDED = "Recorded: {label}."


def _may_record(user) -> bool:
    return has_role(user, Role.CASEWORKER, Role.MANAGER)


def _step(step: str, target: str, data=None, *, label: str = "") -> dict:
    form_class, button = STEPS[step]
    form = form_class(data, prefix=f"{step}-{target}")
    return {
        "step": step,
        "target": target,
        "form": form,
        "button": button,
        "label": label or button,
        "date_legend": DATE_LEGENDS.get(step, ""),
    }


def _dispute_steps(dispute) -> list[dict]:
    steps = []
    target = str(dispute.pk)
    mediation = getattr(dispute, "mediation", None)
    appeal = getattr(dispute, "appeal", None)
    if dispute.status == DisputeStatus.OPEN:
        if mediation is None:
            steps.append(_step("mediation_start", target))
        steps.append(_step("appeal_register", target))
    if mediation is not None:
        if mediation.status == MediationStatus.ADVISER_CONTACTED:
            steps.append(_step("choose_mediation", target))
        if mediation.status == MediationStatus.MEDIATING:
            steps.append(_step("record_held", target))
        if mediation.status != MediationStatus.CERTIFIED:
            steps.append(_step("issue_certificate", target))
        if mediation.outcome == MediationOutcome.AGREEMENT:
            steps.append(_step("agreement_action", target))
    if appeal is not None and appeal.status != AppealStatus.DECIDED:
        if appeal.status == AppealStatus.REGISTERED:
            steps.append(_step("appeal_response", target))
        steps.append(_step("appeal_hearing", target))
        steps.append(_step("appeal_outcome", target))
    for order in dispute.orders.all():
        for deadline in order.deadlines.all():
            if deadline.is_outstanding:
                steps.append(
                    _step(
                        "step_done",
                        f"deadline{deadline.pk}",
                        label=f"{deadline.label}: record as done",
                    )
                )
    if dispute.status == DisputeStatus.OPEN:
        steps.append(_step("close_without_appeal", target))
    return steps


def _page(request, case, *, bound=None, error_items=None, status=200):
    today = timezone.localdate()
    disputes = selectors.case_disputes(case=case)
    window = selectors.pending_window(case=case, disputes=disputes)
    may_record = _may_record(request.user)
    pending_steps = []
    if window and may_record:
        target = f"new{window['decision']}"
        pending_steps = [
            _step("mediation_start", target),
            _step("appeal_register", target),
        ]
    rows = []
    for dispute in disputes:
        steps = _dispute_steps(dispute) if may_record else []
        rows.append(
            {"dispute": dispute, "dates": selectors.dispute_dates(dispute, today), "steps": steps}
        )
    if bound is not None:
        for step in pending_steps + [s for row in rows for s in row["steps"]]:
            if step["form"].prefix == bound.prefix:
                step["form"] = bound
                step["open"] = True
    return render(
        request,
        "disputes/case_disputes.html",
        {
            "case": case,
            "window": window,
            "pending_steps": pending_steps,
            "rows": rows,
            "today": today,
            "error_items": error_items or [],
        },
        status=status,
    )


@case_area
def case_disputes(request, reference):
    case = case_selectors.case_get(
        user=request.user, reference=reference, today=timezone.localdate()
    )
    return _page(request, case)


def _dispute_for(request, case, target: str):
    if target.startswith("new"):
        return services.dispute_for_decision(
            actor=request.user, case=case, decision=target.removeprefix("new")
        )
    return selectors.dispute_get(case=case, dispute_id=int(target))


def _apply(request, case, step: str, target: str, data: dict) -> None:
    user = request.user
    if step == "step_done":
        deadline = selectors.deadline_get(
            case=case, deadline_id=int(target.removeprefix("deadline"))
        )
        services.order_step_complete(actor=user, deadline=deadline, done_on=data["on"])
        return
    dispute = _dispute_for(request, case, target)
    if step == "mediation_start":
        services.mediation_start(actor=user, dispute=dispute, adviser_contacted_on=data["on"])
    elif step in ("choose_mediation", "record_held", "issue_certificate"):
        services.mediation_transition(
            actor=user,
            mediation=dispute.mediation,
            transition=step,
            effective_date=data["on"],
            outcome=data.get("outcome", ""),
        )
    elif step == "agreement_action":
        services.mediation_agreement_action_add(
            actor=user, mediation=dispute.mediation, kind=data["kind"], terms=data["terms"]
        )
    elif step == "appeal_register":
        services.appeal_register(
            actor=user, dispute=dispute, registered_on=data["on"], grounds=data["grounds"]
        )
    elif step == "appeal_response":
        services.appeal_response_sent(actor=user, appeal=dispute.appeal, sent_on=data["on"])
    elif step == "appeal_hearing":
        services.appeal_hearing_set(actor=user, appeal=dispute.appeal, hearing_on=data["on"])
    elif step == "appeal_outcome":
        services.appeal_outcome_record(
            actor=user,
            appeal=dispute.appeal,
            outcome=data["outcome"],
            decided_on=data["on"],
            order_kind=data["order_kind"],
            terms=data["terms"],
        )
    elif step == "close_without_appeal":
        services.dispute_close_without_appeal(
            actor=user, dispute=dispute, effective_date=data["on"]
        )


FIELD_ALIASES = {
    "adviser_contacted_on": "on",
    "effective_date": "on",
    "registered_on": "on",
    "sent_on": "on",
    "hearing_on": "on",
    "decided_on": "on",
    "done_on": "on",
}


@require_POST
@case_area
def case_disputes_record(request, reference):
    case = case_selectors.case_get(
        user=request.user, reference=reference, today=timezone.localdate()
    )
    if not _may_record(request.user):
        raise PermissionDenied
    step = request.POST.get("step", "")
    target = request.POST.get("target", "")
    if step not in STEPS or not target:
        return _page(
            request, case, status=400, error_items=[{"text": "Choose what to record.", "href": ""}]
        )
    form = STEPS[step][0](request.POST, prefix=f"{step}-{target}")
    if not form.is_valid():
        return _page(request, case, bound=form, error_items=_form_errors(form), status=400)
    try:
        with transaction.atomic():
            _apply(request, case, step, target, form.cleaned_data)
    except ValidationError as exc:
        for field, field_messages in exc.message_dict.items():
            name = FIELD_ALIASES.get(field, field)
            for message in field_messages:
                form.add_error(name if name in form.fields else None, message)
        return _page(request, case, bound=form, error_items=_form_errors(form), status=400)
    except case_errors.CaseError as exc:
        status = 403 if isinstance(exc, case_errors.CaseForbiddenError) else 409
        return _page(request, case, error_items=[{"text": exc.message, "href": ""}], status=status)
    messages.success(request, RECORDED.format(label=STEPS[step][1].lower()))
    return redirect("disputes:case", reference=case.reference)
