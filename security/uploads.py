"""The one upload module: every document uploaded (advice, case documents, plans) is checked
here by content, stored here under a server-generated name outside the web root, and opened
here for an access-checked download that is always an attachment (ehc-process.md section 4;
ASVS 12.1, 12.4; decision 0087).

A file's name and the browser's content type are claims, not facts: a PDF starts with `%PDF-`,
and a DOCX is a zip holding `[Content_Types].xml` that declares `word/document.xml` as a Word
main document. Anything else (an executable or a web page called `.pdf`, a macro-enabled Word
file) is refused before a byte is written. A DOCX (a zip) may not expand past a bound, and every
upload is scanned by ClamAV when CLAMD_SOCKET is set. If a scanner is configured but does not
answer, the upload is refused (fail closed); if none is configured, the admin index says so
(docs/security.md).
"""

from __future__ import annotations

import hashlib
import io
import re
import socket
import struct
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: "pdf", DOCX: "docx"}
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024

DOCUMENT_REQUIRED = "Attach a PDF or Word (DOCX) document."
DOCUMENT_TOO_LARGE = "The document must be smaller than {limit_mb} MB."
DOCUMENT_EMPTY = "The document is empty."
DOCUMENT_WRONG_TYPE = (
    "The document must be a PDF or a Word (DOCX) document. This file's content is not, "
    "whatever its name says."
)
DOCUMENT_MACROS = "Word documents with macros cannot be accepted: save it as a plain DOCX or a PDF."
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


# --- Where documents live -------------------------------------------------------------------


class DocumentStorage(FileSystemStorage):
    """Files live in EHC_ADVICE_STORAGE_DIR (every uploaded document: advice and case
    documents), which is never under STATIC_ROOT or MEDIA_ROOT and has no URL: the only way
    out is an access-checked download service."""

    def url(self, name):
        raise ValueError("Documents have no public URL: use an access-checked download.")


def document_storage() -> DocumentStorage:
    """Read the setting on every call, so tests (and a council) can point it elsewhere."""
    return DocumentStorage(location=settings.EHC_ADVICE_STORAGE_DIR)


# --- The content check ----------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedDocument:
    content_type: str
    extension: str
    size: int
    sha256: str


def _read_all(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _is_docx(upload: IO[bytes], field: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if not {"[Content_Types].xml", "word/document.xml"} <= names:
                return False
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES_BYTES:
                return False
            declared = archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return False
    finally:
        upload.seek(0)
    if "vbaProject.bin" in " ".join(names) or "macroEnabled" in declared:
        raise ValidationError({field: DOCUMENT_MACROS})
    return bool(
        re.search(
            r'PartName="/word/document\.xml"[^>]*ContentType="' + re.escape(_DOCX_MAIN), declared
        )
        or re.search(
            r'ContentType="' + re.escape(_DOCX_MAIN) + r'"[^>]*PartName="/word/document\.xml"',
            declared,
        )
    )


def check_document(
    upload, *, required_message: str = DOCUMENT_REQUIRED, field: str = "document"
) -> CheckedDocument:
    """Refuse anything but a PDF or DOCX within the size limit, judging by content alone.
    Errors are a ValidationError on `field`; `required_message` says what to attach."""
    if upload is None:
        raise ValidationError({field: required_message})
    limit = settings.EHC_ADVICE_MAX_UPLOAD_BYTES
    too_large = ValidationError({field: DOCUMENT_TOO_LARGE.format(limit_mb=limit // (1024 * 1024))})
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_large
    data = _read_all(upload)
    if len(data) > limit:
        raise too_large
    if not data:
        raise ValidationError({field: DOCUMENT_EMPTY})
    if data.startswith(b"%PDF-"):
        content_type = PDF
    elif data.startswith(b"PK\x03\x04") and _is_docx(io.BytesIO(data), field):
        content_type = DOCX
        check_archive_expansion(data, field=field)
    else:
        raise ValidationError({field: DOCUMENT_WRONG_TYPE})
    scan_upload(data, field=field)
    return CheckedDocument(
        content_type=content_type,
        extension=EXTENSIONS[content_type],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def check_archive_expansion(data: bytes, *, field: str = "document") -> None:
    """Refuse a zip whose members add up to more than EHC_DOCX_MAX_UNCOMPRESSED_BYTES (a zip
    bomb). zipfile never extracts more than a member's declared size, so bounding the declared
    sizes bounds what anything here can ever inflate."""
    limit = settings.EHC_DOCX_MAX_UNCOMPRESSED_BYTES
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    if total > limit:
        raise ValidationError(
            {field: DOCUMENT_EXPANDS_TOO_FAR.format(limit_mb=limit // (1024 * 1024))}
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


def scan_upload(data: bytes, *, field: str = "document") -> None:
    """ClamAV's INSTREAM command over clamd's socket, when one is configured."""
    if not scanner_configured():
        return
    try:
        reply = _clamd_instream(data)
    except OSError as error:
        raise ValidationError({field: SCANNER_UNAVAILABLE}) from error
    if reply.endswith("FOUND"):
        raise ValidationError({field: DOCUMENT_INFECTED})
    if not reply.endswith("OK"):
        raise ValidationError({field: SCANNER_UNAVAILABLE})


# --- Storing, opening, removing -------------------------------------------------------------


def as_upload(data: bytes, name: str) -> ContentFile:
    """Bytes made by the software (a generated plan or letter) as an upload, so they pass the
    same check and store as a person's upload."""
    return ContentFile(data, name=name)


def store_document(upload, checked: CheckedDocument) -> str:
    """Write the checked file under a fresh random name; return that name."""
    name = f"{uuid.uuid4().hex}.{checked.extension}"
    upload.seek(0)
    storage = document_storage()
    saved = storage.save(name, upload)
    if saved != name:  # the storage never renames a fresh uuid; be sure nothing else happened
        storage.delete(saved)
        raise RuntimeError("Document storage renamed a new file.")
    return saved


def delete_document(name: str) -> None:
    document_storage().delete(name)


def open_document(name: str):
    return document_storage().open(name, "rb")


_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()-]+")


def download_filename(original: str, extension: str, *, fallback: str = "document") -> str:
    """A safe attachment name: the uploaded stem, cleaned, with the extension of the real
    content (a PDF named `.docx` downloads as `.pdf`)."""
    stem = original.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = _UNSAFE.sub("-", stem).strip(" .-")[:100] or fallback
    return f"{stem}.{extension}"


@dataclass(frozen=True)
class DocumentDownload:
    """What a view needs to send the file as an attachment (never inline)."""

    file: object
    filename: str
    content_type: str
    size: int
    disposition: str = "attachment"


def attachment_response(download: DocumentDownload):
    """Always an attachment, never sniffed or rendered: the browser must save it."""
    response = FileResponse(
        download.file,
        as_attachment=True,
        filename=download.filename,
        content_type=download.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
