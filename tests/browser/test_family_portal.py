"""A parent in the browser (issue 16), on a phone-sized screen and a desktop one: the
caseworker invites them from the case page; they accept the invitation, sign in with the code
emailed to them, and read where their child's request is and what happens next. axe-core checks
every page; the phone run also checks nothing is wider than the screen."""

import datetime
import os
import re

import pytest
from django.core import mail
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.cases.factories import caseworker, make_case
from tests.families.factories import parent_of

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-family-password-2026"  # noqa: S105 - test data
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _no_sideways_scroll(page, name=""):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    if name and os.environ.get("EHC_SCREENSHOT_DIR"):
        width = page.viewport_size["width"]
        page.screenshot(
            path=f"{os.environ['EHC_SCREENSHOT_DIR']}/family-{name}-{width}.png", full_page=True
        )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_parent_accepts_an_invitation_signs_in_and_sees_the_next_date(checked_page_with, viewport):
    worker = caseworker(first_name="Elin", last_name="Hughes")
    today = timezone.localdate()
    case = make_case(actor=worker, received_on=today - datetime.timedelta(days=10), today=today)
    carer = parent_of(case.child, name="Alex Morgan", email="alex.morgan@example.invalid")

    staff = checked_page_with(viewport=DESKTOP)
    sign_in(staff.page, worker.username, "a-test-password")
    staff.goto(f"/cases/{case.reference}/")
    staff.page.get_by_role("button", name="Invite Alex Morgan").click()
    staff.page.wait_for_load_state()
    assert "Invitation sent to alex.morgan@example.invalid" in staff.page.content()
    if os.environ.get("EHC_SCREENSHOT_DIR"):
        staff.page.locator("#family-portal").scroll_into_view_if_needed()
        staff.page.screenshot(path=f"{os.environ['EHC_SCREENSHOT_DIR']}/family-caseworker.png")
    staff.check_accessibility()
    link = re.search(r"https?://\S+/family/invitation/\S+/", mail.outbox[-1].body).group(0)
    path = "/family/" + link.split("/family/", 1)[1]

    family = checked_page_with(viewport=viewport)
    page = family.page
    family.goto(path)
    _no_sideways_scroll(page, "invitation")
    page.get_by_label("Email address").fill("alex.morgan@example.invalid")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Enter the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/login/**")
    family.check_accessibility()

    mail.outbox.clear()
    page.get_by_label("Username").fill("alex.morgan@example.invalid")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/family/sign-in/code/**")
    family.check_accessibility()
    _no_sideways_scroll(page, "code")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Code from the email").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/family/")
    family.check_accessibility()
    _no_sideways_scroll(page, "home")
    assert case.child.first_name in page.content()
    assert "We are deciding whether to assess" in page.content()

    page.get_by_role("link", name=f"See this request {case.reference}").click()
    page.wait_for_url(f"**/family/requests/{case.reference}/")
    family.check_accessibility()
    _no_sideways_scroll(page, "request")
    due = case.decision_to_assess_due
    assert f"{due.day} {due:%B %Y}" in page.content()
    assert "Elin Hughes" in page.content()
    assert worker.username not in page.inner_text("main").replace(worker.email, "")
    assert carer.name not in page.inner_text("header")
