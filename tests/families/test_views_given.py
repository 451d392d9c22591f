"""Issue 16 item 3: the family gives their own views ("All about me") through the portal, and
that submits the case's parent views advice request, under the same document checks as any
advice. Another family's request is a 404; every family read of the document is logged."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from advice_requests import errors as advice_errors
from advice_requests.models import AdviceKind, AdviceStatus, AdviceSubmission
from audit.models import AuditEntry
from families import forms as family_forms
from families.models import FamilyViews
from families.views_services import VIEWS_NOT_ASKED
from security.models import RecordAccess
from tests.advice_requests.factories import assessing_case, docx_bytes
from tests.cases.factories import ChildFactory, caseworker

from .factories import family_account, parent_of

pytestmark = pytest.mark.django_db

ANSWERS = {
    "likes_and_good_at": "Trains, and building with blocks.",
    "finds_hard": "Loud rooms and changes to the day.",
    "hopes": "To make a friend at school.",
    "what_helps": "A visual timetable and a quiet corner.",
    "parent_views": "We would like help at lunchtimes.",
}


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC))


@pytest.fixture
def family(client):
    case = assessing_case()
    member = family_account(carer=parent_of(case.child, name="Sam Parent"))
    client.force_login(member.user)
    return case, member


def url(name, case, *args):
    return reverse(f"families:{name}", args=[case.reference, *args])


def parent_views(case):
    return case.advice_requests.get(kind=AdviceKind.PARENT_VIEWS)


def give_views(client, case, *, document=None, answers=ANSWERS):
    client.post(url("views", case), answers)
    data = {"document": document} if document is not None else {}
    return client.post(url("views-check", case), data)


def test_the_request_page_asks_for_views_while_the_advice_is_outstanding(client, family):
    case, _member = family
    page = client.get(url("request", case)).content.decode()
    assert "Give your views" in page
    assert url("views", case) in page


def test_answers_then_check_then_send_submits_the_parent_views_advice(client, family):
    case, member = family
    response = client.post(url("views", case), ANSWERS)
    assert response.status_code == 302
    assert response.url == url("views-check", case)
    check = client.get(url("views-check", case)).content.decode()
    assert "Check your answers" in check
    assert "A visual timetable and a quiet corner." in check
    assert parent_views(case).status == AdviceStatus.REQUESTED  # nothing sent yet

    response = client.post(url("views-check", case), {})
    assert response.status_code == 302
    assert response.url == url("views-sent", case)
    advice = parent_views(case)
    assert advice.status == AdviceStatus.SUBMITTED
    submission = advice.submissions.get()
    assert submission.content_type == "application/pdf"  # the answers, rendered
    assert submission.submitted_by == member.user
    assert submission.needs == ANSWERS["finds_hard"]
    assert submission.outcomes_sought == ANSWERS["hopes"]
    assert submission.provision == ANSWERS["what_helps"]
    views = FamilyViews.objects.get()
    assert views.submission == submission
    assert views.parent_views == ANSWERS["parent_views"]
    assert not views.document_uploaded
    verbs = set(AuditEntry.objects.filter(case=case).values_list("verb", flat=True))
    assert {"advice.accept", "advice.submit", "family.views_given"} <= verbs
    sent = client.get(url("views-sent", case)).content.decode()
    assert "Views sent" in sent
    assert case.reference in sent


def test_after_sending_the_family_sees_what_they_gave_and_is_not_asked_again(client, family):
    case, _member = family
    give_views(client, case)
    page = client.get(url("request", case)).content.decode()
    assert "Give your views" not in page
    assert "Views sent on 2 November 2026" in page
    assert "To make a friend at school." in page
    assert client.get(url("views", case)).status_code == 302  # back to the request page
    assert client.post(url("views-check", case), {}).status_code == 302
    assert AdviceSubmission.objects.count() == 1


def test_a_missing_answer_is_named_and_nothing_is_kept(client, family):
    case, _member = family
    response = client.post(url("views", case), {**ANSWERS, "hopes": "  "})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Tell us what your child hopes for" in page
    assert client.get(url("views-check", case)).status_code == 302  # nothing to check yet
    assert parent_views(case).status == AdviceStatus.REQUESTED


def test_an_uploaded_document_is_the_advice_document(client, family):
    case, _member = family
    document = SimpleUploadedFile("drawing.docx", docx_bytes(), content_type="application/zip")
    response = give_views(client, case, document=document)
    assert response.status_code == 302
    submission = parent_views(case).submissions.get()
    assert submission.original_filename == "drawing.docx"
    assert FamilyViews.objects.get().document_uploaded


def test_a_document_that_is_not_a_pdf_or_docx_is_refused_and_nothing_changes(client, family):
    case, _member = family
    fake = SimpleUploadedFile("views.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = give_views(client, case, document=fake)
    assert response.status_code == 200
    assert escape(advice_errors.DOCUMENT_WRONG_TYPE) in response.content.decode()
    assert parent_views(case).status == AdviceStatus.REQUESTED
    assert not AuditEntry.objects.filter(verb__startswith="family.views").exists()
    assert not FamilyViews.objects.exists()
    assert not AdviceSubmission.objects.exists()


def test_another_family_gets_404_on_every_views_page(client, family):
    case, _member = family
    give_views(client, case)
    views = FamilyViews.objects.get()
    other_case = assessing_case()
    other = family_account(carer=parent_of(other_case.child, name="Other Parent"))
    client.force_login(other.user)
    for name, args in (
        ("views", ()),
        ("views-check", ()),
        ("views-sent", ()),
        ("views-document", (views.pk,)),
    ):
        assert client.get(url(name, case, *args)).status_code == 404, name
    # ...and their own request's address with this family's views id is a 404 too.
    assert client.get(url("views-document", other_case, views.pk)).status_code == 404
    assert parent_views(other_case).status == AdviceStatus.REQUESTED


def test_a_family_read_of_the_document_is_in_the_access_log(client, family):
    case, member = family
    give_views(client, case)
    views = FamilyViews.objects.get()
    response = client.get(url("views-document", case, views.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    logged = RecordAccess.objects.get(what__contains="views document")
    assert logged.user_id == member.user.pk
    assert logged.child_id == case.child_id


def test_the_young_person_is_asked_about_themselves(client):
    case = assessing_case(child=ChildFactory(date_of_birth=datetime.date(2009, 3, 1)))
    member = family_account(child=case.child)
    client.force_login(member.user)
    page = client.get(url("views", case)).content.decode()
    assert "What do you like, and what are you good at?" in page
    assert family_forms.PARENT_VIEWS_LABEL not in page
    answers = {k: v for k, v in ANSWERS.items() if k != "parent_views"}
    assert give_views(client, case, answers=answers).status_code == 302
    assert FamilyViews.objects.get().written_as == "young_person"


def test_a_caseworker_still_sends_the_views_for_a_family_not_online(client):
    """The family portal adds a way in; the SEN team's own route (decision 0020) is unchanged,
    and a family member never answers advice that is not their own child's parent views."""
    from advice_requests.roles import may_respond  # noqa: PLC0415

    case = assessing_case()
    member = family_account(carer=parent_of(case.child))
    advice = parent_views(case)
    assert may_respond(advice, caseworker())
    assert may_respond(advice, member.user)
    other = assessing_case()
    assert not may_respond(parent_views(other), member.user)
    educational = case.advice_requests.exclude(kind=AdviceKind.PARENT_VIEWS).first()
    assert not may_respond(educational, member.user)


def test_views_not_asked_for_are_refused_by_the_service(family):
    from families.views_services import family_views_submit  # noqa: PLC0415

    case, member = family
    link = member.links.get()
    advice = parent_views(case)
    from advice_requests.services import advice_request_cancel  # noqa: PLC0415

    advice_request_cancel(actor=case.caseworker, advice=advice, reason="Family prefer a call")
    with pytest.raises(Exception, match="not asking for your views") as refused:
        family_views_submit(user=member.user, link=link, case=case, answers=ANSWERS)
    assert VIEWS_NOT_ASKED in str(refused.value)


def test_the_caseworker_sees_what_the_family_sent_and_when_on_the_case_page(client, family):
    case, _member = family
    give_views(client, case)
    client.force_login(case.caseworker)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Views given online by Sam Parent" in page
    assert "A visual timetable and a quiet corner." in page
    assert reverse("advice:document", args=[parent_views(case).pk]) in page


def test_views_given_are_in_the_childs_subject_access_record(family, client):
    from security.subject_access import child_record  # noqa: PLC0415

    case, _member = family
    give_views(client, case)
    record = child_record(child=case.child)
    assert list(record[FamilyViews].values_list("pk", flat=True)) == [FamilyViews.objects.get().pk]


def test_retention_erasure_takes_the_views_and_their_document_with_the_child(family, client):
    from security.child_erasure import erase_rows, erasure_plan  # noqa: PLC0415

    case, member = family
    give_views(client, case)
    submission = FamilyViews.objects.get().submission
    plan = erasure_plan(child=case.child)
    assert submission.stored_name in plan.documents
    erase_rows(plan)
    assert not FamilyViews.objects.exists()
    assert not AdviceSubmission.objects.exists()
    member.refresh_from_db()  # the family account itself is kept (decision 0130)
