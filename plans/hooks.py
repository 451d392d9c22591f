"""What the plans app does when a case moves (registered in PlansConfig.ready), inside the
case transition's transaction, so every route (case page, API, panel outcome) gets it and a
refusal here takes the whole step back:

- `issue_draft` freezes the plan as a draft version (no plan, no draft);
- `issue_final` refuses while a family comment is unanswered or section I names no setting,
  then freezes the final version (no final plan, no `issue_final`);
- every decision step writes its letters (section 11); a decline's appeal rights are "sent"
  only when its letters are (decision 0101).
Imported historic cases are left alone, as the advice hooks do.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q

from cases.models import Case
from cases.services import register_transition_hook

from . import deadlines, errors
from .letter_models import REVIEW_LETTER_KINDS, LetterKind
from .letters import letters_write
from .models import Plan, VersionKind
from .services import unanswered_comments, version_issue


def _plan(case) -> Plan | None:
    return Plan.objects.filter(case=case).first()


def issue_draft_version(*, case, actor, effective_date, reason, details) -> None:
    if case.imported:
        return
    version_issue(actor=actor, case=case, kind=VersionKind.DRAFT, issued_on=effective_date)


def check_final_plan(case) -> Plan:
    """The conditions on `issue_final` (raise ValidationError, plain words)."""
    plan = _plan(case)
    if plan is None or not plan.setting_name.strip():
        raise ValidationError({"plan": errors.NO_FINAL_PLAN})
    count = unanswered_comments(plan)
    if count:
        raise ValidationError(
            {
                "plan": errors.COMMENTS_UNANSWERED.format(
                    count=count, verb="has" if count == 1 else "have"
                )
            }
        )
    return plan


def issue_final_version(*, case, actor, effective_date, reason, details) -> None:
    if case.imported:
        return
    check_final_plan(case)
    version_issue(actor=actor, case=case, kind=VersionKind.FINAL, issued_on=effective_date)


def write_letters(kind: str):
    def hook(*, case, actor, effective_date, reason, details) -> None:
        if case.imported:
            return
        setting_name = ""
        if kind == LetterKind.FINAL_PLAN:
            plan = _plan(case)
            setting_name = plan.setting_name if plan else ""
        letters_write(
            actor=actor,
            case=case,
            kind=kind,
            decided_on=effective_date,
            reason=reason,
            setting_name=setting_name,
        )
        if kind in (LetterKind.DECLINE_TO_ASSESS, LetterKind.DECLINE_TO_ISSUE):
            Case.objects.filter(pk=case.pk).update(appeal_rights_sent_on=None)
            case.appeal_rights_sent_on = None

    hook.__name__ = f"write_letters_{kind}"
    return hook


#: A case step's letters; a review's letters are written by the review's own steps.
LETTER_HOOKS = {
    kind: write_letters(kind) for kind in LetterKind.values if kind not in REVIEW_LETTER_KINDS
}


def register() -> None:
    register_transition_hook("issue_draft", issue_draft_version)
    register_transition_hook("issue_final", issue_final_version)
    for kind, hook in LETTER_HOOKS.items():
        register_transition_hook(kind, hook)


def late_consultation_condition(today: datetime.date) -> Q:
    """A school or college past its 15 days without an answer puts the case at risk: read from
    the case's stored earliest unanswered due date (decision 0190)."""
    return Q(consultation_answer_due__lt=today)


def unsent_letter_condition(today: datetime.date) -> Q:
    """A decision letter not sent within 5 working days of the decision puts the case at risk:
    read from the case's stored earliest unsent due date (decision 0190)."""
    return Q(decision_letter_due__lt=today)


__all__ = ["deadlines"]
