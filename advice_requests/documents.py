"""Advice documents: checked by content, stored under a server-generated name outside the web
root, and handed back only as an attachment (ehc-process.md section 4).

A file's name and the browser's content type are claims, not facts: a PDF starts with `%PDF-`,
and a DOCX is a zip holding `[Content_Types].xml` that declares `word/document.xml` as a Word
main document. Anything else (an executable or a web page called `.pdf`, a macro-enabled Word
file) is refused before a byte is written.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage

from security import uploads

from . import errors

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: "pdf", DOCX: "docx"}
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024


class AdviceDocumentStorage(FileSystemStorage):
    """Files live in EHC_ADVICE_STORAGE_DIR, which is never under STATIC_ROOT or MEDIA_ROOT and
    has no URL: the only way out is the access-checked download service."""

    def url(self, name):
        raise ValueError("Advice documents have no public URL: use advice_document_open.")


def advice_storage() -> AdviceDocumentStorage:
    """Read the setting on every call, so tests (and a council) can point it elsewhere."""
    return AdviceDocumentStorage(location=settings.EHC_ADVICE_STORAGE_DIR)


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


def _is_docx(upload: IO[bytes]) -> bool:
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
        raise ValidationError({"document": errors.DOCUMENT_MACROS})
    return bool(
        re.search(
            r'PartName="/word/document\.xml"[^>]*ContentType="' + re.escape(_DOCX_MAIN), declared
        )
        or re.search(
            r'ContentType="' + re.escape(_DOCX_MAIN) + r'"[^>]*PartName="/word/document\.xml"',
            declared,
        )
    )


def check_document(upload) -> CheckedDocument:
    """Refuse anything but a PDF or DOCX within the size limit, judging by content alone."""
    if upload is None:
        raise ValidationError({"document": errors.DOCUMENT_REQUIRED})
    limit = settings.EHC_ADVICE_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            {"document": errors.DOCUMENT_TOO_LARGE.format(limit_mb=limit // (1024 * 1024))}
        )
    data = _read_all(upload)
    if len(data) > limit:
        raise ValidationError(
            {"document": errors.DOCUMENT_TOO_LARGE.format(limit_mb=limit // (1024 * 1024))}
        )
    if not data:
        raise ValidationError({"document": errors.DOCUMENT_EMPTY})
    if data.startswith(b"%PDF-"):
        content_type = PDF
    elif data.startswith(b"PK\x03\x04") and _is_docx(io.BytesIO(data)):
        content_type = DOCX
        uploads.check_archive_expansion(data)
    else:
        raise ValidationError({"document": errors.DOCUMENT_WRONG_TYPE})
    uploads.scan_upload(data)
    return CheckedDocument(
        content_type=content_type,
        extension=EXTENSIONS[content_type],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def store_document(upload, checked: CheckedDocument) -> str:
    """Write the checked file under a fresh random name; return that name."""
    name = f"{uuid.uuid4().hex}.{checked.extension}"
    upload.seek(0)
    saved = advice_storage().save(name, upload)
    if saved != name:  # the storage never renames a fresh uuid; be sure nothing else happened
        advice_storage().delete(saved)
        raise RuntimeError("Advice document storage renamed a new file.")
    return saved


def delete_document(name: str) -> None:
    advice_storage().delete(name)


_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()-]+")


def download_filename(original: str, extension: str) -> str:
    """A safe attachment name: the uploaded stem, cleaned, with the extension of the real
    content (a PDF named `.docx` downloads as `.pdf`)."""
    stem = original.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = _UNSAFE.sub("-", stem).strip(" .-")[:100] or "advice"
    return f"{stem}.{extension}"


def open_document(name: str):
    return advice_storage().open(name, "rb")
