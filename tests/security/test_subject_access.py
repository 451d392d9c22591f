"""Subject access (UK GDPR art. 15): the export of a child holds every case, history row,
document and access row for that child, and nothing about any other child."""

import json

import pytest
from django.core.management import call_command

from advice_requests.access import advice_request_open
from advice_requests.models import AdviceSubmission
from advice_requests.services import advice_request_submit
from audit.models import AuditEntry
from cases.models import Case
from security.models import RecordAccess
from tests.advice_requests.factories import (
    PDF_BYTES,
    SUMMARY,
    PartnerServiceFactory,
    advice_in_status,
    partner,
    upload,
)
from tests.cases.factories import TODAY

pytestmark = pytest.mark.django_db


def _child_with_everything(client, marker: bytes):
    service = PartnerServiceFactory()
    advice = advice_in_status("accepted", service=service)
    member = partner(service)
    advice_request_submit(
        actor=member,
        advice=advice,
        document=upload(PDF_BYTES + marker),
        today=TODAY,
        **SUMMARY,
    )
    advice_request_open(actor=member, advice_request_id=advice.pk, ip_address="192.0.2.1")
    case = advice.case
    RecordAccess.objects.create(
        user_id=member.pk,
        username=member.username,
        child_id=case.child_id,
        case_reference=case.reference,
        what="case record page",
        path="/",
    )
    return case


def test_the_export_holds_everything_for_the_child_and_nothing_else(client, tmp_path):
    mine = _child_with_everything(client, b"%mine")
    theirs = _child_with_everything(client, b"%theirs")
    call_command("export_child_record", str(mine.child_id), output=str(tmp_path))
    record = json.loads((tmp_path / "record.json").read_text())
    text = (tmp_path / "record.json").read_text()

    assert [row["pk"] for row in record["cases.child"]] == [mine.child_id]
    assert {row["pk"] for row in record["cases.case"]} == set(
        Case.objects.filter(child_id=mine.child_id).values_list("pk", flat=True)
    )
    assert {row["pk"] for row in record["audit.auditentry"]} == set(
        AuditEntry.objects.filter(case__child_id=mine.child_id).values_list("pk", flat=True)
    )
    assert len(record["advice_requests.accesslog"]) == 1
    assert [row["fields"]["child_id"] for row in record["security.recordaccess"]] == [mine.child_id]
    submission = AdviceSubmission.objects.get(advice_request__case=mine)
    files = list((tmp_path / "documents").iterdir())
    assert len(files) == 1
    assert files[0].read_bytes().endswith(b"%mine")
    assert record["advice_requests.advicesubmission"][0]["pk"] == submission.pk

    assert theirs.reference not in text
    assert theirs.child.last_name not in text or theirs.child.last_name in mine.child.last_name
    assert not any(
        row["fields"].get("case") == theirs.pk
        for rows in record.values()
        for row in rows
        if "fields" in row
    )


def test_the_export_holds_the_case_notes_documents_and_shares(tmp_path):
    from cases.record_services import (  # noqa: PLC0415
        case_document_shares_set,
        case_document_store,
        case_note_record,
    )

    advice = advice_in_status("requested", service=PartnerServiceFactory())
    case = advice.case
    worker = case.caseworker
    note, _ = case_note_record(
        actor=worker, case=case, kind="visit", occurred_on=TODAY, summary="Home visit."
    )
    paper = case_document_store(
        actor=worker,
        case=case,
        document=PDF_BYTES + b"%paper",
        filename="letter.pdf",
        document_type="request_letter",
        title="Request letter",
        dated_on=TODAY,
        today=TODAY,
    )
    case_document_shares_set(actor=worker, advice_request=advice, documents=[paper])
    other = advice_in_status("requested", service=PartnerServiceFactory()).case
    case_note_record(
        actor=worker, case=other, kind="visit", occurred_on=TODAY, summary="Not theirs."
    )
    call_command("export_child_record", str(case.child_id), output=str(tmp_path))
    record = json.loads((tmp_path / "record.json").read_text())
    assert [row["pk"] for row in record["cases.casenote"]] == [note.pk]
    assert [row["pk"] for row in record["cases.casedocument"]] == [paper.pk]
    assert len(record["cases.casedocumentshare"]) == 1
    files = [path.name for path in (tmp_path / "documents").iterdir()]
    assert f"case-{paper.pk}-{paper.stored_name}" in files
