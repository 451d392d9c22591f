"""Upload hardening on top of the advice documents' content checks (ASVS 12.1, 12.4):
a DOCX (a zip) may not expand past a bound, and every upload is scanned by ClamAV when
CLAMD_SOCKET is set. If a scanner is configured but does not answer, the upload is refused
(fail closed); if none is configured, the admin index says so (docs/security.md)."""

from __future__ import annotations

import io
import socket
import struct
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

DOCUMENT_EXPANDS_TOO_FAR = (
    "The document expands to more than {limit_mb} MB when opened: upload a smaller document"
)
DOCUMENT_INFECTED = "The document failed the virus check and was not uploaded"
SCANNER_UNAVAILABLE = "The virus checker is not answering: try again later"
NO_SCANNER = (
    "No virus scanner is configured (CLAMD_SOCKET is not set): uploaded advice documents are "
    "checked by content and size only."
)
_CHUNK = 64 * 1024


def check_archive_expansion(data: bytes) -> None:
    """Refuse a zip whose members add up to more than EHC_DOCX_MAX_UNCOMPRESSED_BYTES (a zip
    bomb). zipfile never extracts more than a member's declared size, so bounding the declared
    sizes bounds what anything here can ever inflate."""
    limit = settings.EHC_DOCX_MAX_UNCOMPRESSED_BYTES
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    if total > limit:
        raise ValidationError(
            {"document": DOCUMENT_EXPANDS_TOO_FAR.format(limit_mb=limit // (1024 * 1024))}
        )


def scanner_configured() -> bool:
    return bool(settings.CLAMD_SOCKET)


def _clamd_instream(data: bytes) -> str:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(30)
        conn.connect(settings.CLAMD_SOCKET)
        conn.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), _CHUNK):
            chunk = data[start : start + _CHUNK]
            conn.sendall(struct.pack("!L", len(chunk)) + chunk)
        conn.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            part = conn.recv(4096)
            if not part:
                break
            reply += part
    return reply.rstrip(b"\0").decode("utf-8", errors="replace")


def scan_upload(data: bytes) -> None:
    """ClamAV's INSTREAM command over clamd's socket, when one is configured."""
    if not scanner_configured():
        return
    try:
        reply = _clamd_instream(data)
    except OSError as error:
        raise ValidationError({"document": SCANNER_UNAVAILABLE}) from error
    if reply.endswith("FOUND"):
        raise ValidationError({"document": DOCUMENT_INFECTED})
    if not reply.endswith("OK"):
        raise ValidationError({"document": SCANNER_UNAVAILABLE})
