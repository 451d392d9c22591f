"""Letters (section 11): one per recipient for each decision, written from the council's
template when the decision is made, rendered once to PDF (plans.pdf) and never regenerated;
marked sent by the caseworker, whose date is the decision's "family notified" date.

Who receives a letter (decision 0101): every parent carer with parental responsibility; once
the child is a young person (CFA 2014 s83(2)), the young person, and their parents with
parental responsibility too only when the young person has consented (section 10).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from audit.services import audit_record
from cases.models import Case, CaseStatus, ParentCarer, parents_with_responsibility

from . import deadlines, documents, errors
from .access import require_plan_role
from .letter_checks import render_text
from .letter_models import (
    WITH_APPEAL_RIGHTS,
    DecisionNotice,
    Letter,
    LetterKind,
    LetterTemplate,
    SentMethod,
)
from .pdf import render_pdf

#: Called with (notice, actor) when every letter of a decision has been sent: the app whose
#: step made the decision records its "family notified" date (reviews registers one).
_NOTICE_SENT_HOOKS: list = []


def register_notice_sent_hook(hook) -> None:
    if hook not in _NOTICE_SENT_HOOKS:
        _NOTICE_SENT_HOOKS.append(hook)


LETTER_LAYOUT = "plans/letter_document.html"
BATCH_LAYOUT = "plans/letter_batch.html"
LETTER_START = "<!-- letter -->"
LETTER_END = "<!-- /letter -->"
NO_RECIPIENT_NAME = "The parent or carer of {child}"

DEFAULT_MEDIATION_ADVISER = (
    "Synthetic Mediation Service, 1 Example Street, Exampletown EX1 1EX; "
    "telephone 01632 960000; mediation@example.invalid"
)
DEFAULT_IASS = (
    "Synthetic SENDIASS (information, advice and support), telephone 01632 960001; "
    "sendiass@example.invalid"
)

DECISION_WORDS = {
    LetterKind.AGREE_TO_ASSESS: "We have agreed to carry out an EHC needs assessment.",
    LetterKind.DECLINE_TO_ASSESS: "We have decided not to carry out an EHC needs assessment.",
    LetterKind.DECLINE_TO_ISSUE: "We have decided not to issue an EHC plan.",
    LetterKind.DRAFT_PLAN: "We have written a draft EHC plan.",
    LetterKind.FINAL_PLAN: "We have issued the final EHC plan.",
    LetterKind.REVIEW_MAINTAIN: "After the review, we have decided to keep the EHC plan as it is.",
    LetterKind.REVIEW_AMEND: "After the review, we have decided to amend the EHC plan.",
    LetterKind.REVIEW_CEASE: "After the review, we propose to stop maintaining the EHC plan.",
    LetterKind.AMENDMENTS_PROPOSED: "We have written the proposed amendments to the EHC plan.",
    LetterKind.AMENDED_PLAN: "We have issued the amended EHC plan.",
    LetterKind.PLAN_CEASED: "We have decided to stop maintaining the EHC plan.",
}

_APPEAL = (
    "\n\nIf you disagree, you can appeal by {{ appeal_deadline }}. Before you appeal you must "
    "contact the mediation adviser: {{ mediation_adviser }}."
)

#: The templates a council starts from (edited in the admin; a missing one is made from these).
DEFAULT_TEMPLATES = {
    LetterKind.AGREE_TO_ASSESS: (
        "Your request for an EHC needs assessment for {{ child_name }}",
        "Dear {{ recipient_name }},\n\nOn {{ decision_date }} we agreed to carry out an "
        "education, health and care needs assessment for {{ child_first_name }}.\n\nWe will now "
        "ask for advice from the professionals who know {{ child_first_name }}, and from you. "
        "We will tell you by {{ final_plan_due }} at the latest whether we will issue an EHC "
        "plan.\n\nIf you have any questions, contact {{ caseworker_name }}. Free, impartial "
        "advice is available from {{ iass_contact }}.",
    ),
    LetterKind.DECLINE_TO_ASSESS: (
        "Our decision about an EHC needs assessment for {{ child_name }}",
        "Dear {{ recipient_name }},\n\nOn {{ decision_date }} we decided not to carry out an "
        "education, health and care needs assessment for {{ child_first_name }}.\n\nWhy: "
        "{{ reason }}\n\nYou can appeal against this decision. You must appeal by "
        "{{ appeal_deadline }}. Before you appeal you must contact the mediation adviser: "
        "{{ mediation_adviser }}.",
    ),
    LetterKind.DECLINE_TO_ISSUE: (
        "Our decision about an EHC plan for {{ child_name }}",
        "Dear {{ recipient_name }},\n\nOn {{ decision_date }}, after the assessment, we decided "
        "not to issue an EHC plan for {{ child_first_name }}.\n\nWhy: {{ reason }}\n\nYou can "
        "appeal against this decision by {{ appeal_deadline }}. Before you appeal you must "
        "contact the mediation adviser: {{ mediation_adviser }}.",
    ),
    LetterKind.DRAFT_PLAN: (
        "The draft EHC plan for {{ child_name }}",
        "Dear {{ recipient_name }},\n\nWe enclose the draft EHC plan for {{ child_first_name }}, "
        "dated {{ decision_date }}.\n\nPlease tell us by {{ comments_due }}:\n- any comments on "
        "the draft;\n- if you would like a meeting to discuss it;\n- the school or college you "
        "would like named in the final plan.\n\nThe draft does not name a school: we will "
        "consult the school or college you ask for. Contact {{ caseworker_name }}.",
    ),
    LetterKind.FINAL_PLAN: (
        "The final EHC plan for {{ child_name }}",
        "Dear {{ recipient_name }},\n\nWe enclose the final EHC plan for {{ child_first_name }}, "
        "issued on {{ decision_date }}. It names {{ setting_name }}.\n\nIf you disagree with the "
        "plan you can appeal by {{ appeal_deadline }}. Before you appeal you must contact the "
        "mediation adviser: {{ mediation_adviser }}.",
    ),
    LetterKind.REVIEW_MAINTAIN: (
        "The review of the EHC plan for {{ child_name }}",
        "Dear {{ recipient_name }},\n\nOn {{ decision_date }}, after the annual review, we "
        "decided to keep {{ child_first_name }}'s EHC plan as it is, without changes."
        "{% if reason %}\n\nWhy: {{ reason }}{% endif %}" + _APPEAL,
    ),
    LetterKind.REVIEW_AMEND: (
        "The review of the EHC plan for {{ child_name }}",
        "Dear {{ recipient_name }},\n\nOn {{ decision_date }}, after the annual review, we "
        "decided to amend {{ child_first_name }}'s EHC plan.{% if reason %}\n\nWhy: "
        "{{ reason }}{% endif %}\n\nWe will send you the changes we propose, with the evidence "
        "for them. You will then have 15 days to comment, ask for a meeting or ask for a "
        "particular school or college. You can appeal once the amended plan is issued. Contact "
        "{{ caseworker_name }}.",
    ),
    LetterKind.REVIEW_CEASE: (
        "We propose to stop maintaining the EHC plan for {{ child_name }}",
        "Dear {{ recipient_name }},\n\nOn {{ decision_date }}, after the annual review, we "
        "decided to propose that we stop maintaining (cease) {{ child_first_name }}'s EHC plan."
        "{% if reason %}\n\nWhy: {{ reason }}{% endif %}\n\nWe have not made the final "
        "decision. Please tell us what you think by {{ comments_due }}. Contact "
        "{{ caseworker_name }}. Free, impartial advice is available from {{ iass_contact }}.",
    ),
    LetterKind.AMENDMENTS_PROPOSED: (
        "Proposed amendments to the EHC plan for {{ child_name }}",
        "Dear {{ recipient_name }},\n\nWe enclose the changes we propose to "
        "{{ child_first_name }}'s EHC plan after the annual review, dated {{ decision_date }}."
        "\n\nPlease tell us by {{ comments_due }}:\n- any comments on the proposed changes;"
        "\n- if you would like a meeting to discuss them;\n- the school or college you would "
        "like named, if you want a change.\n\nThe plan stays as it is until we issue the "
        "amended plan. Contact {{ caseworker_name }}.",
    ),
    LetterKind.AMENDED_PLAN: (
        "The amended EHC plan for {{ child_name }}",
        "Dear {{ recipient_name }},\n\nWe enclose {{ child_first_name }}'s amended EHC plan, "
        "issued on {{ decision_date }}. It names {{ setting_name }}." + _APPEAL,
    ),
    LetterKind.PLAN_CEASED: (
        "Our decision to stop maintaining the EHC plan for {{ child_name }}",
        "Dear {{ recipient_name }},\n\nOn {{ decision_date }} we decided to stop maintaining "
        "(cease) {{ child_first_name }}'s EHC plan.\n\nWhy: {{ reason }}\n\nWe will keep "
        "the plan in place until the time to appeal has passed, or until any appeal is decided."
        + _APPEAL,
    ),
}


def mediation_adviser() -> str:
    return getattr(settings, "EHC_MEDIATION_ADVISER", "") or DEFAULT_MEDIATION_ADVISER


def iass_contact() -> str:
    return getattr(settings, "EHC_IASS_CONTACT", "") or DEFAULT_IASS


def letter_template(kind: str) -> LetterTemplate:
    subject, body = DEFAULT_TEMPLATES[LetterKind(kind)]
    template, _ = LetterTemplate.objects.get_or_create(
        kind=kind, defaults={"subject": subject, "body": body}
    )
    return template


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str
    email: str
    preferred_method: str
    parent_carer: ParentCarer | None
    young_person: bool = False


def letter_recipients(case: Case, on: datetime.date) -> list[Recipient]:
    """Decision 0101 (see the module docstring)."""
    child = case.child
    parents = parents_with_responsibility(child)
    people = [Recipient(p.name, p.address, p.email, p.preferred_contact_method, p) for p in parents]
    if child.is_young_person(on):
        home = parents[0] if parents else None
        young = Recipient(
            child.full_name,
            home.address if home else "",
            "",
            "post",
            None,
            young_person=True,
        )
        return [young, *people] if child.young_person_consents_to_parents else [young]
    if not people:
        return [Recipient(NO_RECIPIENT_NAME.format(child=child.full_name), "", "", "post", None)]
    return people


def _date(day) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def letter_context(
    *,
    case: Case,
    kind: str,
    decided_on: datetime.date,
    recipient: Recipient,
    reason: str = "",
    setting_name: str = "",
) -> dict:
    child = case.child
    caseworker = case.caseworker
    return {
        "recipient_name": recipient.name,
        "child_name": child.full_name,
        "child_first_name": child.first_name,
        "reference": case.reference,
        "decision": DECISION_WORDS[LetterKind(kind)],
        "decision_date": _date(decided_on),
        "letter_date": _date(decided_on),
        "reason": reason,
        "comments_due": _date(deadlines.comments_due(decided_on)),
        "final_plan_due": _date(case.final_plan_due),
        "setting_name": setting_name,
        "appeal_deadline": _date(deadlines.appeal_deadline(decided_on)),
        "mediation_adviser": mediation_adviser(),
        "iass_contact": iass_contact(),
        "authority_name": settings.EHC_AUTHORITY_NAME,
        "caseworker_name": (caseworker.get_full_name() or "the SEN team")
        if caseworker
        else "the SEN team",
        "to_young_person": recipient.young_person,
    }


def letter_html(
    *, template: LetterTemplate, kind: str, context: dict, recipient: Recipient
) -> tuple[str, str]:
    subject = render_text(template.subject, context).strip()
    body = render_text(template.body, context)
    html = render_to_string(
        LETTER_LAYOUT,
        {
            **context,
            "subject": subject,
            "body": body,
            "address": recipient.address,
            "with_appeal_rights": kind in WITH_APPEAL_RIGHTS,
        },
    )
    return subject, html


def letters_write(
    *,
    actor,
    case: Case,
    kind: str,
    decided_on: datetime.date,
    reason: str = "",
    setting_name: str = "",
) -> list[Letter]:
    """One letter per recipient for one decision (runs inside the case transition)."""
    template = letter_template(kind)
    notice = DecisionNotice.objects.create(
        case=case, kind=kind, decided_on=decided_on, letter_due_on=deadlines.letter_due(decided_on)
    )
    letters = []  # one INSERT for them all
    for recipient in letter_recipients(case, decided_on):
        context = letter_context(
            case=case,
            kind=kind,
            decided_on=decided_on,
            recipient=recipient,
            reason=reason,
            setting_name=setting_name,
        )
        subject, html = letter_html(
            template=template, kind=kind, context=context, recipient=recipient
        )
        letters.append(
            Letter(
                notice=notice,
                case=case,
                recipient=recipient.parent_carer,
                to_young_person=recipient.young_person,
                recipient_name=recipient.name,
                recipient_address=recipient.address,
                recipient_email=recipient.email,
                preferred_method=recipient.preferred_method,
                subject=subject[:200],
                html=html,
            )
        )
    Letter.objects.bulk_create(letters)
    documents.render_after_commit()
    audit_record(
        actor=actor,
        verb="letters.written",
        target=notice,
        case=case,
        effective_date=decided_on,
        payload={"kind": kind, "letters": len(letters)},
    )
    return letters


@transaction.atomic
def letter_mark_sent(
    *,
    actor,
    letter: Letter,
    method: str,
    sent_on: datetime.date | None,
    today: datetime.date | None = None,
) -> Letter:
    """The letter went (email, post, by hand) on `sent_on`. Once every letter of the decision
    has gone, the decision's family-notified date is the last of their dates; for a decline it
    is also the case's appeal-rights-sent date."""
    require_plan_role(actor)
    today = today or timezone.localdate()
    letter = Letter.objects.select_for_update().select_related("notice").get(pk=letter.pk)
    if letter.sent_on:
        raise ValidationError({"sent_on": errors.LETTER_ALREADY_SENT})
    if method not in SentMethod.values:
        raise ValidationError({"method": errors.LETTER_METHOD_REQUIRED})
    sent_on = sent_on or today
    if sent_on > today:
        raise ValidationError({"sent_on": errors.LETTER_SENT_IN_FUTURE})
    if sent_on < letter.notice.decided_on:
        raise ValidationError(
            {"sent_on": errors.LETTER_SENT_BEFORE_DECISION.format(date=letter.notice.decided_on)}
        )
    letter.sent_on = sent_on
    letter.sent_method = method
    letter.sent_by = actor
    letter.save(update_fields=["sent_on", "sent_method", "sent_by"])
    audit_record(
        actor=actor,
        verb="letter.sent",
        target=letter,
        case=letter.case,
        effective_date=sent_on,
        payload={"method": method},
    )
    _notice_refresh(letter.notice, actor=actor)
    return letter


def _notice_refresh(notice: DecisionNotice, *, actor) -> None:
    notice = DecisionNotice.objects.select_for_update().get(pk=notice.pk)
    dates = list(notice.letters.values_list("sent_on", flat=True))
    if not dates or None in dates or notice.family_notified_on:
        return
    notice.family_notified_on = max(dates)
    notice.save(update_fields=["family_notified_on"])
    if notice.kind in (LetterKind.DECLINE_TO_ASSESS, LetterKind.DECLINE_TO_ISSUE):
        Case.objects.filter(pk=notice.case_id).update(
            appeal_rights_sent_on=notice.family_notified_on
        )
    for hook in _NOTICE_SENT_HOOKS:
        hook(notice=notice, actor=actor)


def print_batch_pdf(letters) -> bytes:
    """Posted letters as one PDF to print (each letter starts a new page)."""
    bodies = [_letter_fragment(letter.html) for letter in letters]
    return render_pdf(render_to_string(BATCH_LAYOUT, {"letters": bodies}))


def _letter_fragment(html: str) -> SafeString:
    """The letter itself, from its stored page (between the layout's markers): already escaped
    when it was rendered, so it is marked safe to place as it was."""
    start = html.index(LETTER_START) + len(LETTER_START)
    # Our own HTML, rendered and autoescaped by a Django template when the letter was written.
    return mark_safe(html[start : html.index(LETTER_END)])  # noqa: S308  # nosec B308 B703


__all__ = ["CaseStatus", "letters_write", "letter_mark_sent", "print_batch_pdf"]
