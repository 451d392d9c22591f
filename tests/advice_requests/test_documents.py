"""Section 4: advice documents are PDF or DOCX judged by content, size-limited, stored under a
server-generated name outside the web root, nothing stored on refusal, downloaded as attachment."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from advice_requests import errors
from advice_requests.access import advice_document_open
from advice_requests.documents import DOCX, PDF, advice_storage
from advice_requests.models import AccessLog, AdviceRequest, AdviceSubmission
from advice_requests.services import advice_request_submit
from audit.models import AuditEntry
from tests.cases.factories import TODAY, caseworker

from .factories import (
    PDF_BYTES,
    SUMMARY,
    PartnerServiceFactory,
    advice_in_status,
    docx_bytes,
    partner,
    upload,
)

pytestmark = pytest.mark.django_db

WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert('x')</script></body></html>"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def stored_files():
    root = Path(settings.EHC_ADVICE_STORAGE_DIR)
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def accepted_advice():
    service = PartnerServiceFactory()
    return advice_in_status("accepted", service=service), partner(service)


def submit(advice, member, document):
    return advice_request_submit(
        actor=member, advice=advice, document=document, today=TODAY, **SUMMARY
    )


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (WINDOWS_EXE, "advice.pdf"),
        (HTML, "advice.pdf"),
        (ELF, "advice.docx"),
        (b"PK\x03\x04not really a zip", "advice.docx"),
        (b"Just some text", "advice.pdf"),
    ],
)
def test_a_file_whose_content_is_not_pdf_or_docx_is_refused_and_nothing_is_stored(content, name):
    advice, member = accepted_advice()
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        submit(advice, member, upload(content, name=name))
    assert excinfo.value.message_dict == {"document": [errors.DOCUMENT_WRONG_TYPE]}
    assert stored_files() == []
    assert AdviceRequest.objects.get(pk=advice.pk).status == "accepted"
    assert not AdviceSubmission.objects.filter(advice_request=advice).exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_zip_that_is_not_a_word_document_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("payload.exe", WINDOWS_EXE)
    advice, member = accepted_advice()
    with pytest.raises(ValidationError) as excinfo:
        submit(advice, member, upload(buffer.getvalue(), name="advice.docx"))
    assert excinfo.value.message_dict == {"document": [errors.DOCUMENT_WRONG_TYPE]}
    assert stored_files() == []


def test_a_macro_enabled_word_document_is_refused():
    advice, member = accepted_advice()
    with pytest.raises(ValidationError) as excinfo:
        submit(advice, member, upload(docx_bytes(macros=True), name="advice.docx"))
    assert excinfo.value.message_dict == {"document": [errors.DOCUMENT_MACROS]}
    assert stored_files() == []


def test_an_oversize_file_is_refused_and_nothing_is_stored(settings):
    settings.EHC_ADVICE_MAX_UPLOAD_BYTES = 1024 * 1024
    advice, member = accepted_advice()
    big = PDF_BYTES + b"%" + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as excinfo:
        submit(advice, member, upload(big))
    assert excinfo.value.message_dict == {
        "document": [errors.DOCUMENT_TOO_LARGE.format(limit_mb=1)]
    }
    assert stored_files() == []
    assert AdviceRequest.objects.get(pk=advice.pk).status == "accepted"


def test_the_default_limit_is_20_mb():
    assert settings.EHC_ADVICE_MAX_UPLOAD_BYTES == 20 * 1024 * 1024


def test_an_empty_file_and_no_file_are_refused():
    advice, member = accepted_advice()
    with pytest.raises(ValidationError) as excinfo:
        submit(advice, member, upload(b""))
    assert excinfo.value.message_dict == {"document": [errors.DOCUMENT_EMPTY]}
    with pytest.raises(ValidationError) as excinfo:
        submit(advice, member, None)
    assert excinfo.value.message_dict == {"document": [errors.DOCUMENT_REQUIRED]}
    assert stored_files() == []


def test_a_missing_summary_is_refused_before_anything_is_stored():
    advice, member = accepted_advice()
    with pytest.raises(ValidationError) as excinfo:
        advice_request_submit(
            actor=member,
            advice=advice,
            document=upload(),
            needs="Needs.",
            outcomes_sought="",
            provision=" ",
            today=TODAY,
        )
    assert set(excinfo.value.message_dict) == {"outcomes_sought", "provision"}
    assert stored_files() == []


@pytest.mark.parametrize(
    ("content", "name", "content_type", "extension"),
    [
        (PDF_BYTES, "EP advice (final).pdf", PDF, "pdf"),
        (docx_bytes(), "SALT advice.docx", DOCX, "docx"),
        (PDF_BYTES, "misnamed.docx", PDF, "pdf"),
    ],
)
def test_a_real_pdf_or_docx_is_accepted_under_a_server_generated_name(
    content, name, content_type, extension
):
    advice, member = accepted_advice()
    submission = submit(advice, member, upload(content, name=name, content_type="text/html"))
    assert submission.content_type == content_type
    assert submission.original_filename == name
    assert submission.stored_name != name
    assert len(submission.stored_name) == 32 + 1 + len(extension)
    assert submission.stored_name.endswith(f".{extension}")
    assert stored_files() == [submission.stored_name]
    assert submission.size == len(content)
    with advice_storage().open(submission.stored_name) as handle:
        assert handle.read() == content
    advice.refresh_from_db()
    assert advice.status == "submitted"
    last = AuditEntry.objects.filter(case=advice.case).last()
    assert (last.verb, last.payload["content_type"]) == ("advice.submit", content_type)


def test_storage_is_outside_the_web_root_and_has_no_url():
    storage_dir = os.path.realpath(settings.EHC_ADVICE_STORAGE_DIR)
    for web_root in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
        assert not storage_dir.startswith(os.path.realpath(web_root))
    with pytest.raises(ValueError, match="no public URL"):
        advice_storage().url("anything.pdf")


def test_default_storage_location_is_not_under_static_or_media():
    from ehc_workflow.settings import base

    default = os.path.realpath(base.EHC_ADVICE_STORAGE_DIR)
    assert not default.startswith(os.path.realpath(base.STATIC_ROOT))
    assert not default.startswith(os.path.realpath(base.MEDIA_ROOT))


def test_a_failed_database_write_removes_the_stored_file(monkeypatch):
    advice, member = accepted_advice()

    def broken_create(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(AdviceSubmission.objects, "create", broken_create)
    with pytest.raises(RuntimeError):
        submit(advice, member, upload())
    assert stored_files() == []
    assert AdviceRequest.objects.get(pk=advice.pk).status == "accepted"


def test_download_is_an_attachment_with_a_safe_name_and_is_logged():
    advice, member = accepted_advice()
    submission = submit(advice, member, upload(name="../../etc/EP advice <final>.pdf"))
    for reader in (member, caseworker()):
        download = advice_document_open(
            actor=reader, submission_id=submission.pk, ip_address="198.51.100.7"
        )
        with download.file as handle:
            assert handle.read() == PDF_BYTES
        assert (download.disposition, download.content_type) == ("attachment", PDF)
        assert download.filename == "EP advice -final.pdf"
    logs = AccessLog.objects.filter(action="download", submission=submission)
    assert [(log.user, log.ip_address) for log in logs] == [
        (member, "198.51.100.7"),
        (logs[1].user, "198.51.100.7"),
    ]
    assert logs.count() == 2
