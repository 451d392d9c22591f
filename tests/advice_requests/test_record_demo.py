"""The demo borough's everyday record: notes, request letters shared with the EP requests (real,
if tiny, PDFs) and chased advice, some of it chased over a week ago."""

import datetime

import pytest

from advice_requests.record_demo import synthetic_pdf
from security import uploads

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def test_the_synthetic_pdf_passes_the_upload_check():
    data = synthetic_pdf("Synthetic line", "Another (with brackets)")
    checked = uploads.check_document(uploads.as_upload(data, "x.pdf"))
    assert checked.content_type == uploads.PDF
    assert b"startxref" in data
