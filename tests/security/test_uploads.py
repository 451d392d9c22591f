"""Upload hardening (ASVS 12.1.2, 12.4): a DOCX zip bomb is refused by its expanded size, and
the ClamAV hook refuses what clamd reports (or everything, if clamd does not answer)."""

import io
import os
import socket
import struct
import threading
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from advice_requests.models import AdviceSubmission
from security import uploads
from tests.advice_requests.factories import (
    PDF_BYTES,
    SUMMARY,
    PartnerServiceFactory,
    advice_in_status,
    docx_bytes,
    partner,
    upload,
)
from tests.cases.factories import TODAY, UserFactory

pytestmark = pytest.mark.django_db


def _submit(document):
    from advice_requests.services import advice_request_submit

    service = PartnerServiceFactory()
    advice = advice_in_status("accepted", service=service)
    return advice_request_submit(
        actor=partner(service), advice=advice, document=document, today=TODAY, **SUMMARY
    )


def _docx_with_padding(size: int) -> bytes:
    buffer = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * size)
    return buffer.getvalue()


def test_a_docx_that_expands_past_the_bound_is_refused(settings):
    settings.EHC_DOCX_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    bomb = _docx_with_padding(2 * 1024 * 1024)
    assert len(bomb) < 20 * 1024  # small on the wire, 2 MB opened
    with pytest.raises(ValidationError, match="expands to more than 1 MB"):
        _submit(upload(bomb, name="advice.docx"))
    assert not AdviceSubmission.objects.exists()


def test_a_docx_within_the_bound_is_accepted(settings):
    settings.EHC_DOCX_MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024
    _submit(upload(_docx_with_padding(1024 * 1024), name="advice.docx"))
    assert AdviceSubmission.objects.count() == 1


class FakeClamd:
    """A clamd speaking INSTREAM on a UNIX socket, answering with a fixed verdict."""

    def __init__(self, path, verdict):
        self.path, self.verdict, self.received = path, verdict, b""
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(1)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        conn, _ = self.server.accept()
        with conn:
            assert conn.recv(10) == b"zINSTREAM\0"
            while True:
                (length,) = struct.unpack("!L", conn.recv(4, socket.MSG_WAITALL))
                if not length:
                    break
                self.received += conn.recv(length, socket.MSG_WAITALL)
            conn.sendall(self.verdict + b"\0")


@pytest.fixture
def clamd_path(settings):
    path = f"/tmp/ehc-clamd-{os.getpid()}-{threading.get_ident()}.sock"  # noqa: S108
    settings.CLAMD_SOCKET = path
    yield path
    if os.path.exists(path):
        os.unlink(path)


def test_clamd_found_refuses_the_upload(clamd_path):
    clamd = FakeClamd(clamd_path, b"stream: Eicar-Signature FOUND")
    with pytest.raises(ValidationError, match=uploads.DOCUMENT_INFECTED):
        _submit(upload(PDF_BYTES))
    assert clamd.received == PDF_BYTES
    assert not AdviceSubmission.objects.exists()


def test_clamd_ok_accepts_the_upload(clamd_path):
    FakeClamd(clamd_path, b"stream: OK")
    _submit(upload(PDF_BYTES))
    assert AdviceSubmission.objects.count() == 1


def test_a_configured_scanner_that_does_not_answer_refuses(clamd_path):
    with pytest.raises(ValidationError, match=uploads.SCANNER_UNAVAILABLE):
        _submit(upload(PDF_BYTES))


def test_the_admin_page_states_that_no_scanner_is_configured(client, settings):
    settings.CLAMD_SOCKET = ""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    body = client.get(reverse("admin:index")).content.decode()
    assert uploads.NO_SCANNER in body
    settings.CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    assert uploads.NO_SCANNER not in client.get(reverse("admin:index")).content.decode()
