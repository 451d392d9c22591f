"""Issue 18 item 1 in the browser (axe-checked): a caseworker records a review's decision to keep
a plan issued here without changes; the family's appeal window appears on the case page and the
disagreement page, and the parent reads it in plain words on a phone."""

import datetime
import os
import re
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django_otp.plugins.otp_email.models import EmailDevice

from disputes.models import Dispute
from reviews.models import ActivePlan
from tests.browser.conftest import sign_in
from tests.cases.factories import case_in_status, caseworker
from tests.disputes.factories import review_to_report, send_letters
from tests.families.factories import family_account, parent_of

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date
SHOTS = Path(os.environ.get("EHC_SCREENSHOTS", "/tmp/ehc-screenshots"))  # noqa: S108
PASSWORD = "a-long-family-password-2026"  # noqa: S105 - test data
PHONE = {"width": 390, "height": 844}
WINDOW = "Decision to keep the plan without changes (review meeting of 1 October 2026)"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)):
        yield


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"review-window-{name}.png"), full_page=True)


def _date(page, field_id, day: D):
    for index, value in enumerate((day.day, day.month, day.year)):
        page.locator(f"#{field_id}_{index}").fill(str(value))


def test_a_review_decision_opens_the_window_on_the_case_and_the_family_portal(checked_page_with):
    worker = caseworker(first_name="Casey", last_name="Worker")
    case = case_in_status("final_issued", actor=worker)  # final plan 23 May 2026
    plan = ActivePlan.objects.get(case=case)
    review = review_to_report(actor=worker, plan=plan, today=D(2026, 11, 2))

    staff = checked_page_with()
    page = staff.page
    sign_in(page, worker.username, "a-test-password")
    staff.goto(f"/reviews/{review.pk}/")
    _date(page, "id_decide_maintain-effective_date", D(2026, 10, 12))
    page.locator("#step-decide_maintain").get_by_role("button").click()
    page.wait_for_load_state()
    staff.check_accessibility()
    assert not Dispute.objects.filter(review=review).exists()  # not until the letter has gone
    review.refresh_from_db()
    send_letters(review.decision_notice, D(2026, 10, 12), actor=worker, today=D(2026, 11, 2))
    dispute = Dispute.objects.get(review=review)

    staff.goto(f"/cases/{case.reference}/")
    section = page.locator(f"#dispute-{dispute.pk}-dates").inner_text()
    assert WINDOW in page.locator("main").inner_text()
    assert "Last day to appeal to the tribunal" in section
    assert "12 December 2026" in section
    page.locator("#disagreement").scroll_into_view_if_needed()
    _shot(page, "1-case-page")

    page.get_by_role("link", name="Record mediation, an appeal or an order").click()
    page.wait_for_load_state()
    staff.check_accessibility()
    assert page.locator(f"#dispute-{dispute.pk}").inner_text() == WINDOW
    _shot(page, "2-disagreement-page")

    carer = parent_of(case.child, name="Alex Morgan", email="alex.morgan@example.invalid")
    member = family_account(carer=carer, username="alex.morgan@example.invalid")
    member.user.set_password(PASSWORD)
    member.user.email = "alex.morgan@example.invalid"
    member.user.save()
    EmailDevice.objects.create(
        user=member.user, name="Email", email=member.user.email, confirmed=True
    )
    family = checked_page_with(viewport=PHONE)
    page = family.page
    mail.outbox.clear()
    family.goto("/accounts/login/")
    page.get_by_label("Username").fill(member.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/family/sign-in/code/**")
    page.get_by_label("Code from the email").fill(
        re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    )
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/family/")
    family.goto(f"/family/requests/{case.reference}/")
    family.check_accessibility()
    dates = page.locator("#disagreement-dates").inner_text()
    assert (
        "Last day to appeal to the tribunal against the decision to keep the plan without "
        "changes (review meeting of 1 October 2026): 12 December 2026."
    ) in dates
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    _shot(page, "3-family-portal-phone")
