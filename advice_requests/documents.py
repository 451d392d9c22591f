"""Advice documents: the one upload module (security.uploads) with the advice's own words.
Checked by content, stored under a server-generated name outside the web root, and handed back
only as an attachment (ehc-process.md section 4)."""

from __future__ import annotations

from security import uploads
from security.uploads import (  # noqa: F401 - the names the advice code has always used
    DOCX,
    EXTENSIONS,
    PDF,
    CheckedDocument,
    delete_document,
    open_document,
    store_document,
)
from security.uploads import document_storage as advice_storage  # noqa: F401

from . import errors


def check_document(upload) -> CheckedDocument:
    """The shared content check, asking for the advice when nothing is attached."""
    return uploads.check_document(upload, required_message=errors.DOCUMENT_REQUIRED)


def download_filename(original: str, extension: str) -> str:
    return uploads.download_filename(original, extension, fallback="advice")
