"""The one PDF renderer (style.md: one of each shared mechanism): WeasyPrint, with the fonts
Debian ships (DejaVu), and no network. Everything that becomes a PDF (plan versions, letters,
print batches) goes through `render_pdf`, so the lead can point where PDFs are stored (case
documents) in one place.

The url_fetcher refuses every URL except this project's own static files, read from disk:
a template, or text a council typed into one, can never make the server fetch anything."""

from __future__ import annotations

import logging
import mimetypes
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders

PDF_MAGIC = b"%PDF-"
REFUSED = "PDF rendering fetches nothing but the service's own static files: {url} refused."


class FetchRefusedError(ValueError):
    pass


def local_static_fetcher(url: str, timeout=10, ssl_context=None):
    """Serve `/static/...` (or `static:...`) from the static files on disk; refuse the rest."""
    parsed = urlparse(url)
    path = parsed.path or ""
    prefix = settings.STATIC_URL or "/static/"
    if parsed.scheme in ("", "file") and path.startswith(prefix) and ".." not in path:
        found = finders.find(path[len(prefix) :])
        if found:
            with open(found, "rb") as handle:  # noqa: PTH123
                data = handle.read()
            return {
                "string": data,
                "mime_type": mimetypes.guess_type(found)[0] or "application/octet-stream",
            }
    raise FetchRefusedError(REFUSED.format(url=url[:200]))


def render_pdf(html: str) -> bytes:
    """HTML (a page of this service's templates) to PDF bytes."""
    from weasyprint import HTML  # noqa: PLC0415 - Pango loads only when a PDF is made

    return HTML(string=html, base_url="/", url_fetcher=local_static_fetcher).write_pdf()


# WeasyPrint's font subsetting (fontTools) logs every table, and its layout every page, at INFO:
# nothing a person needs.
logging.getLogger("fontTools").setLevel(logging.WARNING)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
