"""A caseworker in the browser: sign in, find a case, record a step; and a refused step."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Case, CaseStatus
from cases.services import case_transition
from tests.browser.conftest import sign_in
from tests.cases.factories import advice_chosen, caseworker, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(checked, user):
    checked.goto("/")
    page = checked.page
    assert page.locator("h1").inner_text() == "Sign in"
    sign_in(page, user.username, "a-test-password")
    page.wait_for_url("**/cases/")
    checked.check_accessibility()


def _open_case(checked, case):
    page = checked.page
    page.get_by_label("Case reference or child's name").fill(case.reference)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/cases/?*")
    checked.check_accessibility()
    assert page.locator("tbody tr").count() == 1
    page.get_by_role("link", name=case.reference).click()
    page.wait_for_url(f"**/cases/{case.reference}/")
    checked.check_accessibility()


def _fill_date(form, date):
    form.get_by_label("Day").fill(str(date.day))
    form.get_by_label("Month").fill(str(date.month))
    form.get_by_label("Year").fill(str(date.year))


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_find_a_case_and_agree_to_assess(checked_page_with, javascript):
    """The whole journey works with JavaScript disabled too: plain forms and <details>."""
    checked_page = checked_page_with(java_script_enabled=javascript)
    user = caseworker()
    today = timezone.localdate()
    case = make_case(actor=user, received_on=today - datetime.timedelta(days=30), today=today)
    make_case(actor=user, received_on=today - datetime.timedelta(days=3), today=today)
    decided = today - datetime.timedelta(days=1)
    advice_chosen()  # the borough's educational psychology service

    _sign_in(checked_page, user)
    _open_case(checked_page, case)
    page = checked_page.page
    assert page.locator("#case-status").inner_text() == "Received"
    timeline = page.locator("#timeline .moj-timeline__item").first
    assert "Next" in timeline.inner_text()

    page.locator("summary", has_text="Agree to assess").click()
    form = page.locator("form", has=page.get_by_role("button", name="Agree to assess"))
    _fill_date(form, decided)
    form.get_by_label("Educational psychology service").select_option(
        label="Synthetic Educational Psychology Service"
    )
    form.get_by_role("button", name="Agree to assess").click()
    page.wait_for_url(f"**/cases/{case.reference}/")
    checked_page.check_accessibility()

    assert "Agreed to assess on" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("#case-status").inner_text() == "Assessing"
    first = page.locator("#timeline .moj-timeline__item").first.inner_text()
    assert f"Done {decided.day} {decided:%B %Y}" in first
    assert "On time" in first
    assert "Next" in page.locator("#timeline .moj-timeline__item").nth(1).inner_text()
    case.refresh_from_db()
    assert (case.status, case.assessment_decided_on) == (CaseStatus.ASSESSING, decided)


def test_refused_step_shows_a_clear_error_and_changes_nothing(checked_page):
    user = caseworker()
    today = timezone.localdate()
    case = make_case(actor=user, received_on=today - datetime.timedelta(days=30), today=today)

    _sign_in(checked_page, user)
    _open_case(checked_page, case)
    page = checked_page.page
    # A colleague records the panel's decision while this page is open.
    case_transition(
        actor=caseworker(), case=case, transition="decline_to_assess", reason="Synthetic."
    )
    page.locator("summary", has_text="Agree to assess").click()
    form = page.locator("form", has=page.get_by_role("button", name="Agree to assess"))
    _fill_date(form, today)
    form.get_by_role("button", name="Agree to assess").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()

    summary = page.locator(".govuk-error-summary")
    assert "There is a problem" in summary.inner_text()
    assert "This case changed while you were working on it" in summary.inner_text()
    assert page.locator("#case-status").inner_text() == "Assessment declined"
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ASSESSMENT_DECLINED

    # An impossible date is refused too, in the error summary, and nothing is recorded.
    page.goto(checked_page.base_url + f"/cases/{case.reference}/")
    page.locator("summary", has_text="Reopen on appeal").click()
    form = page.locator("form", has=page.get_by_role("button", name="Reopen on appeal"))
    _fill_date(form, today + datetime.timedelta(days=1))
    form.get_by_label("Reason").fill("Tribunal order (synthetic).")
    form.get_by_role("button", name="Reopen on appeal").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    assert (
        "Date it happened must be today or in the past"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ASSESSMENT_DECLINED
