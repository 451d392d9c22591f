"""A partner in the browser: sign in, see only their service's inbox, accept and submit advice
with a real (tiny) PDF; then the caseworker sees it on the case page, ready for panel."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from advice_requests.models import AdviceKind, AdviceRequest, PartnerService
from advice_requests.services import advice_request_submit, advice_request_transition
from cases.services import case_transition
from tests.advice_requests.factories import (
    PDF_BYTES,
    SUMMARY,
    PartnerServiceFactory,
    make_advice,
    upload,
)
from tests.advice_requests.factories import partner as partner_of
from tests.browser.conftest import sign_in
from tests.cases.factories import advice_chosen, caseworker, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(checked, user, lands_on):
    page = checked.page
    sign_in(page, user.username, "a-test-password")
    page.wait_for_url(f"**{lands_on}")
    checked.check_accessibility()


def _case_waiting_for_ep_advice(worker):
    """A case being assessed whose only outstanding advice is the EP service's."""
    today = timezone.localdate()
    case = make_case(actor=worker, received_on=today - datetime.timedelta(days=50), today=today)
    case = case_transition(
        actor=worker,
        case=case,
        transition="agree_to_assess",
        effective_date=today - datetime.timedelta(days=20),
        details=advice_chosen(),
    )
    views = AdviceRequest.objects.get(case=case, kind=AdviceKind.PARENT_VIEWS)
    advice_request_transition(actor=worker, advice=views, transition="accept")
    advice_request_submit(actor=worker, advice=views, document=upload(), **SUMMARY)
    return case


def test_partner_submits_advice_and_the_case_becomes_ready(checked_page, tmp_path):
    worker = caseworker()
    case = _case_waiting_for_ep_advice(worker)
    ep = PartnerService.objects.get(name="Synthetic Educational Psychology Service")
    member = partner_of(ep)
    other = make_advice(service=PartnerServiceFactory())  # another service's request
    for advice in AdviceRequest.objects.filter(case=other.case).exclude(pk=other.pk):
        advice_request_transition(actor=worker, advice=advice, transition="cancel", reason="x")
    ep_advice = AdviceRequest.objects.get(case=case, service=ep)
    pdf = tmp_path / "ep-advice.pdf"
    pdf.write_bytes(PDF_BYTES)
    page = checked_page.page

    _sign_in(checked_page, member, "/advice/")
    nav = page.locator("#navigation").inner_text()
    assert "Advice requests" in nav
    assert "Cases" not in nav
    inbox = page.locator("#inbox tbody").inner_text()
    assert case.child.full_name in inbox
    assert other.case.child.full_name not in inbox
    assert page.locator("#inbox tbody tr").count() == 1

    page.get_by_role("link", name=case.child.full_name).click()
    page.wait_for_url(f"**/advice/{ep_advice.pk}/")
    checked_page.check_accessibility()
    assert ep_advice.question in page.locator("#question").inner_text()
    page.get_by_role("button", name="Accept the request").click()
    page.wait_for_url(f"**/advice/{ep_advice.pk}/")
    checked_page.check_accessibility()
    assert page.locator("#advice-status").inner_text() == "Accepted"

    page.get_by_label("Advice document").set_input_files(str(pdf))
    page.get_by_label("The child's needs").fill("Synthetic needs.")
    page.get_by_label("Outcomes sought").fill("Synthetic outcomes.")
    page.get_by_label("Provision needed").fill("Synthetic provision.")
    page.get_by_role("button", name="Submit advice").click()
    page.wait_for_url(f"**/advice/{ep_advice.pk}/")
    checked_page.check_accessibility()
    assert (
        "Your advice has been submitted" in page.locator(".govuk-notification-banner").inner_text()
    )
    assert page.locator("#advice-status").inner_text() == "Submitted"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    _sign_in(checked_page, worker, "/cases/")
    checked_page.goto(f"/cases/{case.reference}/")
    assert "Ready for the statutory panel" in page.locator("#panel-readiness").inner_text()
    rows = page.locator("#advice-requests tbody").inner_text()
    assert "Educational psychology advice" in rows
    assert rows.count("Submitted") == 2
    with page.expect_download() as download:
        page.locator("#advice-requests").get_by_role(
            "link", name="Download Educational psychology advice"
        ).click()
    assert download.value.suggested_filename == "ep-advice.pdf"
    assert Path(download.value.path()).read_bytes() == PDF_BYTES
    checked_page.goto("/advice/follow-up/")
    assert "Synthetic Educational Psychology Service" in page.locator("#follow-up").inner_text()
