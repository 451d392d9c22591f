"""The caseworker's everyday record in the browser (section 10): record a phone call (a future
date is refused with an error summary), chase the EP advice, upload the request letter and
share it with the EP request; then the EP partner sees the paper and the caseworker's contact on
their request page and downloads it. axe-core checks every page.

Set EHC_SCREENSHOT_DIR to keep a screenshot of each page (for people to look at)."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from advice_requests.models import AccessAction, AccessLog, AdviceKind, AdviceRequest
from advice_requests.record_demo import synthetic_pdf
from cases.models import CaseDocument, CaseNote, ParentCarer
from cases.services import case_transition
from notifications.models import Kind, Notification
from tests.advice_requests.factories import partner as partner_of
from tests.browser.conftest import sign_in
from tests.cases.factories import advice_chosen, caseworker, make_case

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("EHC_SCREENSHOT_DIR")


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _case_waiting_for_ep_advice(worker):
    today = timezone.localdate()
    case = make_case(actor=worker, received_on=today - datetime.timedelta(days=50), today=today)
    case = case_transition(
        actor=worker,
        case=case,
        transition="agree_to_assess",
        effective_date=today - datetime.timedelta(days=20),
        details=advice_chosen(),
    )
    ParentCarer.objects.create(child=case.child, name="Sam Example", relationship="Mother")
    return case


def test_caseworker_records_chases_uploads_and_shares_and_the_partner_downloads(
    checked_page, tmp_path
):
    worker = caseworker(first_name="Casey", last_name="Worker")
    case = _case_waiting_for_ep_advice(worker)
    ep_advice = AdviceRequest.objects.get(case=case, kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY)
    member = partner_of(ep_advice.service)
    letter_bytes = synthetic_pdf("Request for an EHC needs assessment (synthetic)")
    letter = tmp_path / "request-letter.pdf"
    letter.write_bytes(letter_bytes)
    today = timezone.localdate()
    page = checked_page.page

    sign_in(page, worker.username, "a-test-password")
    checked_page.goto(f"/cases/{case.reference}/")
    shot(page, "01-case-page-before")

    # 1. A phone call with the mother: a date in the future is refused, then recorded.
    page.get_by_role("button", name="Record a contact or note").click()
    page.wait_for_url(f"**/cases/{case.reference}/notes/new/")
    checked_page.check_accessibility()
    shot(page, "02-note-form")
    page.get_by_label("Phone call").check()
    tomorrow = today + datetime.timedelta(days=1)
    page.locator("#id_occurred_on_0").fill(str(tomorrow.day))
    page.locator("#id_occurred_on_1").fill(str(tomorrow.month))
    page.locator("#id_occurred_on_2").fill(str(tomorrow.year))
    page.get_by_label("Who was it with").select_option(label="Sam Example (Mother)")
    page.get_by_label("What was said or done").fill("Mum asked when the EP will visit.")
    page.get_by_role("button", name="Record it").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    assert "cannot be in the future" in page.locator(".govuk-error-summary").inner_text()
    shot(page, "03-note-form-error")
    assert not CaseNote.objects.exists()
    yesterday = today - datetime.timedelta(days=1)
    page.locator("#id_occurred_on_0").fill(str(yesterday.day))
    page.locator("#id_occurred_on_1").fill(str(yesterday.month))
    page.locator("#id_occurred_on_2").fill(str(yesterday.year))
    page.get_by_role("button", name="Record it").click()
    page.wait_for_url(f"**/cases/{case.reference}/#history")
    checked_page.check_accessibility()
    assert "Phone call with Sam Example (Mother)" in page.locator("#history").inner_text()

    # A correction is a new entry, shown beside the original (which is kept).
    page.get_by_role("link", name="Correct this entry").click()
    page.wait_for_url(f"**/cases/{case.reference}/notes/*/correct/")
    checked_page.check_accessibility()
    shot(page, "02b-correct-form")
    page.get_by_label("What was said or done").fill("Mum asked when the EP will visit school.")
    page.get_by_role("button", name="Record the correction").click()
    page.wait_for_url(f"**/cases/{case.reference}/#history")
    checked_page.check_accessibility()
    history = page.locator("#history").inner_text()
    assert "Mum asked when the EP will visit." in history
    assert "Mum asked when the EP will visit school." in history

    # 2. Chase the EP advice: one contact, one reminder to each member and the mailbox.
    page.locator("#advice-requests").get_by_role(
        "button", name="Chase educational psychology advice"
    ).click()
    page.wait_for_url(f"**/cases/{case.reference}/")
    checked_page.check_accessibility()
    assert "has been reminded" in page.locator(".govuk-notification-banner").inner_text()
    assert f"Last chased {today:%-d %b %Y}" in page.locator("#advice-requests").inner_text()
    assert CaseNote.objects.filter(is_chase=True, advice_request=ep_advice).count() == 1
    assert Notification.objects.filter(kind=Kind.ADVICE_CHASED).count() == 2  # member, mailbox
    # Chasing again at once (a fresh page, so a fresh token) is refused: no second reminder.
    page.locator("#advice-requests").get_by_role(
        "button", name="Chase educational psychology advice"
    ).click()
    page.wait_for_url(f"**/advice/{ep_advice.pk}/chase/")
    checked_page.check_accessibility()
    assert "less than a minute ago" in page.locator(".govuk-error-summary").inner_text()
    shot(page, "03c-chase-refused")
    assert Notification.objects.filter(kind=Kind.ADVICE_CHASED).count() == 2
    page.get_by_role("link", name="Go back").click()
    page.wait_for_url(f"**/cases/{case.reference}/")

    # 3. Upload the request letter and share it with the EP request.
    page.get_by_role("button", name="Upload a document").click()
    page.wait_for_url(f"**/cases/{case.reference}/documents/new/")
    checked_page.check_accessibility()
    shot(page, "04-upload-form")
    page.get_by_label("Document", exact=True).set_input_files(str(letter))
    page.get_by_label("Request letter").check()
    page.get_by_label("Title").fill("Request letter from the family")
    page.locator("#id_dated_on_0").fill(str(case.received_on.day))
    page.locator("#id_dated_on_1").fill(str(case.received_on.month))
    page.locator("#id_dated_on_2").fill(str(case.received_on.year))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(f"**/cases/{case.reference}/#documents")
    checked_page.check_accessibility()
    document = CaseDocument.objects.get()
    page.locator(f"#share-{ep_advice.pk} summary").click()
    page.get_by_label("Request letter from the family").check()
    page.get_by_role("button", name=f"Save papers for {ep_advice.service.name}").click()
    page.wait_for_url(f"**/cases/{case.reference}/#documents")
    checked_page.check_accessibility()
    shared_with = page.locator(f'#case-documents tr[data-document="{document.pk}"]').inner_text()
    assert ep_advice.service.name in shared_with
    shot(page, "05-case-page-after")

    # 4. The follow-up page and one of its lists.
    checked_page.goto("/advice/follow-up/")
    shot(page, "06-follow-up")
    page.locator(
        f'#follow-up tr[data-service="{ep_advice.service_id}"] a[data-count="outstanding"]'
    ).click()
    page.wait_for_url("**/advice/follow-up/outstanding/**")
    checked_page.check_accessibility()
    assert case.reference in page.locator("#follow-up-requests").inner_text()
    shot(page, "07-follow-up-list")

    # 5. The EP partner sees the paper and the caseworker's contact, and downloads it.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    sign_in(page, member.username, "a-test-password")
    page.wait_for_url("**/advice/")
    checked_page.goto(f"/advice/{ep_advice.pk}/")
    shot(page, "08-partner-request")
    assert "Request letter from the family" in page.locator("#papers").inner_text()
    contact = page.locator("#caseworker-contact").inner_text()
    assert "Casey Worker" in contact
    assert worker.email in contact
    with page.expect_download() as download:
        page.locator("#papers").get_by_role("link", name="Request letter from the family").click()
    assert Path(download.value.path()).read_bytes() == letter_bytes
    assert download.value.suggested_filename == "request-letter.pdf"
    assert AccessLog.objects.filter(
        action=AccessAction.DOWNLOAD_PAPER, user=member, case_document=document
    ).exists()
