"""The demo borough's everyday record: notes, request letters shared with the EP requests (real,
if tiny, PDFs) and chased advice, some of it chased over a week ago."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from advice_requests.record_demo import synthetic_pdf
from advice_requests.selectors import advice_outstanding_by_service, shared_papers
from cases.models import CaseDocument, CaseNote
from demo.borough import seed_demo
from notifications.models import Kind, Notification
from security import uploads

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def test_the_synthetic_pdf_passes_the_upload_check():
    data = synthetic_pdf("Synthetic line", "Another (with brackets)")
    checked = uploads.check_document(uploads.as_upload(data, "x.pdf"))
    assert checked.content_type == uploads.PDF
    assert b"startxref" in data


def test_the_demo_has_notes_shared_letters_and_chases():
    seed_demo(cases=120, today=TODAY)
    assert CaseNote.objects.filter(is_chase=False, kind="phone_call").exists()
    letters = CaseDocument.objects.filter(document_type="request_letter")
    assert letters.exists()
    chases = CaseNote.objects.filter(is_chase=True)
    assert chases.filter(occurred_on=TODAY).exists()
    assert chases.filter(occurred_on__lt=TODAY - datetime.timedelta(days=7)).exists()
    assert Notification.objects.filter(kind=Kind.ADVICE_CHASED).exists()
    assert sum(row.not_chased for row in advice_outstanding_by_service(today=TODAY)) > 0
    ep_user = get_user_model().objects.get(username="demo.partner.ep")
    shared = letters.first().shares.first().advice_request
    assert shared.service.memberships.filter(user=ep_user).exists()
    assert shared_papers(advice=shared)
