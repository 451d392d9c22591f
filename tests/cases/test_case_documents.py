"""Case documents (section 10): uploaded with a type, a date and a title under the same content
checks as advice documents (a refusal stores nothing: no row, no file), downloaded only as an
attachment, and shared by the caseworker with chosen advice requests. A partner sees only the
papers shared with their service's request: anything else is a 404, guessed ids included."""

import datetime
import html

import pytest
import time_machine
from django.urls import reverse

from advice_requests.models import AccessAction, AccessLog
from audit.models import AuditEntry
from cases import record_services
from cases.models import CaseDocument, CaseDocumentShare
from cases.roles import Role
from security import uploads
from security.models import RecordAccess
from tests.advice_requests.factories import (
    PDF_BYTES,
    PartnerServiceFactory,
    docx_bytes,
    make_advice,
    partner,
    upload,
)
from tests.advice_requests.test_documents import ELF, HTML, WINDOWS_EXE, stored_files
from tests.cases.factories import TODAY, UserFactory, caseworker, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


def store(case, document=None, **kwargs):
    fields = {
        "document_type": "request_letter",
        "title": "Request letter from the family",
        "dated_on": datetime.date(2026, 10, 1),
        **kwargs,
    }
    return record_services.case_document_store(
        actor=case.caseworker, case=case, document=document or upload(), **fields
    )


# --- Storing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name"),
    [(WINDOWS_EXE, "letter.pdf"), (HTML, "letter.pdf"), (ELF, "letter.docx"), (b"text", "a.pdf")],
)
def test_content_that_is_not_pdf_or_docx_is_refused_and_nothing_is_stored(content, name):
    case = make_case()
    audit_before = AuditEntry.objects.count()
    with pytest.raises(record_services.ValidationError) as excinfo:
        store(case, upload(content, name=name))
    assert excinfo.value.message_dict == {"document": [uploads.DOCUMENT_WRONG_TYPE]}
    assert stored_files() == []
    assert not CaseDocument.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_macro_enabled_word_document_is_refused_by_the_same_check():
    case = make_case()
    with pytest.raises(record_services.ValidationError) as excinfo:
        store(case, upload(docx_bytes(macros=True), name="letter.docx"))
    assert excinfo.value.message_dict == {"document": [uploads.DOCUMENT_MACROS]}
    assert stored_files() == []
    assert not CaseDocument.objects.exists()


def test_a_missing_title_or_a_future_date_stores_nothing():
    case = make_case()
    with pytest.raises(record_services.ValidationError) as excinfo:
        store(case, title=" ", dated_on=TODAY + datetime.timedelta(days=1))
    assert set(excinfo.value.message_dict) == {"title", "dated_on"}
    assert stored_files() == []
    assert not CaseDocument.objects.exists()


def test_a_real_pdf_or_docx_is_stored_under_a_server_name_and_audited():
    case = make_case()
    pdf = store(case)
    docx = store(case, upload(docx_bytes(), name="Report.docx"), document_type="report")
    assert (pdf.content_type, docx.content_type) == (uploads.PDF, uploads.DOCX)
    assert sorted(stored_files()) == sorted([pdf.stored_name, docx.stored_name])
    assert pdf.stored_name != pdf.original_filename
    entry = AuditEntry.objects.filter(case=case, verb="case_document.add").first()
    assert entry.payload["sha256"] == pdf.sha256


def test_the_software_can_store_bytes_it_made_as_the_system():
    """How the plans app stores a generated plan: bytes, a type, a date, a title, no actor."""
    case = make_case()
    plan = record_services.case_document_store(
        case=case,
        document=PDF_BYTES,
        filename="final-plan.pdf",
        document_type="plan",
        title="Final EHC plan",
        dated_on=TODAY,
    )
    assert (plan.uploaded_by, plan.original_filename, plan.size) == (
        None,
        "final-plan.pdf",
        len(PDF_BYTES),
    )
    with uploads.open_document(plan.stored_name) as handle:
        assert handle.read() == PDF_BYTES


def test_a_failed_database_write_removes_the_file(monkeypatch):
    case = make_case()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(CaseDocument.objects, "create", broken)
    with pytest.raises(RuntimeError):
        store(case)
    assert stored_files() == []


# --- The pages: upload, download ------------------------------------------------------------


def upload_form(document, **overrides):
    return {
        "document": document,
        "document_type": "request_letter",
        "title": "Request letter",
        "dated_on_0": "1",
        "dated_on_1": "10",
        "dated_on_2": "2026",
        **overrides,
    }


def test_a_refused_upload_on_the_page_shows_an_error_summary_and_stores_nothing(client):
    case = make_case()
    client.force_login(case.caseworker)
    response = client.post(
        reverse("cases:document-new", args=[case.reference]),
        upload_form(upload(WINDOWS_EXE, name="letter.pdf")),
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "govuk-error-summary" in page
    assert uploads.DOCUMENT_WRONG_TYPE in page
    assert stored_files() == []
    assert not CaseDocument.objects.exists()


def test_upload_then_download_as_an_attachment(client):
    case = make_case()
    client.force_login(case.caseworker)
    response = client.post(
        reverse("cases:document-new", args=[case.reference]), upload_form(upload())
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Request letter" in page
    assert 'id="documents"' in page
    download = client.get(reverse("cases:document", args=[case.reference, document.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert RecordAccess.objects.filter(
        child_id=case.child_id, what="case document download", user_id=case.caseworker.pk
    ).exists()


def test_another_cases_document_is_404_through_this_case(client):
    case, other = make_case(), make_case()
    elsewhere = store(other)
    client.force_login(case.caseworker)
    url = reverse("cases:document", args=[case.reference, elsewhere.pk])
    assert client.get(url).status_code == 404


def test_partners_cannot_use_the_case_document_pages(client):
    case = make_case()
    document = store(case)
    client.force_login(UserFactory(roles=[Role.PARTNER]))
    assert (
        client.get(reverse("cases:document", args=[case.reference, document.pk])).status_code == 403
    )


# --- Sharing with advice requests, and what the partner sees ---------------------------------


@pytest.fixture
def shared():
    """An EP request with two case documents, one shared with it; another service's request
    on the same case; another case's document."""
    ep = PartnerServiceFactory(name="Synthetic EP Service")
    advice = make_advice(service=ep)
    case = advice.case
    other_service_advice = make_advice(case=case)
    letter, report = store(case, title="Request letter"), store(case, title="School report")
    client_side = {"member": partner(ep), "other_member": partner(other_service_advice.service)}
    record_services.case_document_shares_set(
        actor=case.caseworker, advice_request=advice, documents=[letter]
    )
    elsewhere = store(make_case(), title="Another child's letter")
    return {
        "advice": advice,
        "other_advice": other_service_advice,
        "letter": letter,
        "report": report,
        "elsewhere": elsewhere,
        **client_side,
    }


def test_the_share_form_sets_what_a_request_may_see_and_audits_it(client, shared):
    case = shared["advice"].case
    client.force_login(case.caseworker)
    url = reverse("cases:document-shares", args=[case.reference, shared["advice"].pk])
    client.post(url, {"documents": [shared["report"].pk, shared["elsewhere"].pk]})
    assert list(
        CaseDocumentShare.objects.filter(advice_request=shared["advice"]).values_list(
            "document", flat=True
        )
    ) == [shared["report"].pk]  # another case's document is never shared
    verbs = AuditEntry.objects.filter(case=case, verb__startswith="case_document.").values_list(
        "verb", flat=True
    )
    assert {"case_document.share", "case_document.unshare"} <= set(verbs)


def test_the_partner_sees_the_shared_paper_and_the_caseworker_and_downloads_it(client, shared):
    advice, member = shared["advice"], shared["member"]
    caseworker_user = advice.case.caseworker
    caseworker_user.first_name, caseworker_user.last_name = "Casey", "Worker"
    caseworker_user.save()
    client.force_login(member)
    page = html.unescape(client.get(reverse("advice:detail", args=[advice.pk])).content.decode())
    assert "Request letter" in page
    assert "School report" not in page
    assert "Casey Worker" in page
    assert caseworker_user.email in page
    response = client.get(reverse("advice:paper", args=[advice.pk, shared["letter"].pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF_BYTES
    log = AccessLog.objects.get(action=AccessAction.DOWNLOAD_PAPER)
    assert (log.user, log.advice_request, log.case_document) == (
        member,
        advice,
        shared["letter"],
    )


@pytest.mark.parametrize(
    ("who", "request_key", "document_key"),
    [
        ("member", "advice", "report"),  # same case, not shared with the request
        ("member", "advice", "elsewhere"),  # another case's document (a guessed id)
        ("member", "other_advice", "letter"),  # another service's request
        ("other_member", "advice", "letter"),  # a partner of another service
        ("other_member", "other_advice", "letter"),  # shared with EP, not with them
    ],
)
def test_a_partner_gets_404_for_anything_not_shared_with_their_request(
    client, shared, who, request_key, document_key
):
    client.force_login(shared[who])
    url = reverse("advice:paper", args=[shared[request_key].pk, shared[document_key].pk])
    assert client.get(url).status_code == 404
    assert not AccessLog.objects.filter(action=AccessAction.DOWNLOAD_PAPER).exists()


def test_a_guessed_document_id_is_404(client, shared):
    client.force_login(shared["member"])
    url = reverse("advice:paper", args=[shared["advice"].pk, 999_999])
    assert client.get(url).status_code == 404


def test_the_case_page_lists_documents_in_fixed_queries(client, django_assert_max_num_queries):
    case = make_case()
    for n in range(6):
        store(case, title=f"Evidence {n}", document_type="evidence")
    client.force_login(caseworker())
    url = reverse("cases:detail", args=[case.reference])
    client.get(url)
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    few = len(captured)
    for n in range(6):
        store(case, title=f"More evidence {n}", document_type="evidence")
    with django_assert_max_num_queries(few):
        client.get(url)
