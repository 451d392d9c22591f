"""The family gives their own views through the portal (issue 16 item 3): the write that
submits the case's `parent_views` advice request for them. Kept apart from services.py
(accounts and invitations), which stays about who may sign in."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from advice_requests import documents as advice_documents
from advice_requests import services as advice_services
from advice_requests.models import (
    OUTSTANDING_STATUSES,
    AdviceKind,
    AdviceRequest,
    AdviceStatus,
)
from audit.services import audit_record
from cases.models import Case

from . import documents, forms
from .models import FamilyLink, FamilyViews, WrittenAs

VIEWS_NOT_ASKED = (
    "We are not asking for your views on this request now. If you want to tell us something, "
    "contact your caseworker."
)


def views_questions(*, young_person: bool) -> list[tuple[str, str]]:
    """(field, question) in the order asked, worded for the reader."""
    questions = [
        (name, young_label if young_person else parent_label)
        for name, parent_label, young_label, _missing in forms.VIEWS_QUESTIONS
    ]
    if not young_person:
        questions.append(("parent_views", forms.PARENT_VIEWS_LABEL.replace(" (optional)", "")))
    return questions


def views_rows(views: FamilyViews) -> list[dict]:
    """The questions as they were asked of the person who answered, with their answers."""
    young_person = views.written_as == WrittenAs.YOUNG_PERSON
    return [
        {"question": label, "answer": getattr(views, name)}
        for name, label in views_questions(young_person=young_person)
    ]


def outstanding_views_request(advice: list[AdviceRequest]) -> AdviceRequest | None:
    """Among a case's advice requests (already loaded), the parent views still waited for."""
    for item in advice:
        if item.kind == AdviceKind.PARENT_VIEWS and item.status in OUTSTANDING_STATUSES:
            return item
    return None


@transaction.atomic
def family_views_submit(
    *,
    user,
    link: FamilyLink,
    case: Case,
    answers: dict[str, str],
    document=None,
    today: datetime.date | None = None,
) -> FamilyViews:
    """Submit the case's parent views advice with the family's answers: their own document if
    they sent one (checked like any advice document), else the answers as a PDF. The advice
    service accepts and submits it in the family member's name (advice_requests.roles lets a
    family member with access answer their own child's parent views, decision 0131)."""
    today = today or timezone.localdate()
    # The case before its advice, as every advice step locks them (decision 0190).
    list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk"))
    advice = (
        AdviceRequest.objects.select_for_update()
        .filter(case=case, kind=AdviceKind.PARENT_VIEWS, status__in=OUTSTANDING_STATUSES)
        .first()
    )
    if advice is None:
        raise ValidationError({"__all__": VIEWS_NOT_ASKED})
    young_person = link.is_young_person
    cleaned = {name: (answers.get(name) or "").strip() for name in forms.VIEWS_FIELDS}
    if young_person:
        cleaned["parent_views"] = ""
    missing = {
        name: (forms.YOUNG_PERSON_MISSING[name] if young_person else message)
        for name, _parent, _young, message in forms.VIEWS_QUESTIONS
        if not cleaned[name]
    }
    if missing:
        raise ValidationError(missing)
    written_as = WrittenAs.YOUNG_PERSON if young_person else WrittenAs.PARENT
    given_by = link.member.name
    uploaded = document is not None
    if uploaded:
        advice_documents.check_document(document)  # before anything changes
    else:
        document = documents.views_pdf(
            case=case,
            answers=[
                {"label": label, "answer": cleaned[name]}
                for name, label in views_questions(young_person=young_person)
            ],
            given_by=given_by,
            written_as=WrittenAs(written_as).label.lower(),
            today=today,
        )
    if advice.status == AdviceStatus.REQUESTED:
        advice = advice_services.advice_request_accept(actor=user, advice=advice, today=today)
    submission = advice_services.advice_request_submit(
        actor=user,
        advice=advice,
        document=document,
        needs=cleaned["finds_hard"],
        outcomes_sought=cleaned["hopes"],
        provision=cleaned["what_helps"],
        today=today,
    )
    views = FamilyViews.objects.create(
        advice_request=advice,
        submission=submission,
        member=link.member,
        given_by_name=given_by,
        written_as=written_as,
        document_uploaded=uploaded,
        submitted_on=today,
        **cleaned,
    )
    audit_record(
        actor=user,
        verb="family.views_given",
        target=views,
        case=case,
        effective_date=today,
        payload={"advice_request": advice.pk, "written_as": written_as, "uploaded": uploaded},
    )
    return views
