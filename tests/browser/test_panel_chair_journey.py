"""A panel chair in the browser: build, reorder and publish the next agenda, record who came,
decide an item, and see the case's status and timeline move with the meeting date."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Case, CaseStatus
from panels.models import Agency, ItemStatus, PanelType
from tests.browser.conftest import sign_in
from tests.cases.factories import ChildFactory, make_case
from tests.panels.factories import PanelFactory, add_member, decline_reason, meeting

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(checked, user):
    page = checked.page
    sign_in(page, user.username, "a-test-password")
    page.wait_for_url("**/panels/")  # a chair's start page (issue 13 item 6)
    checked.check_accessibility()


def test_chair_runs_a_meeting(checked_page):
    today = timezone.localdate()
    panel = PanelFactory(panel_type=PanelType.NAP, name="Needs Assessment Panel")
    add_member(panel, Agency.EDUCATION)
    held = meeting(panel, today)
    meeting(panel, today + datetime.timedelta(days=7))
    child = {"child": ChildFactory(date_of_birth=datetime.date(2015, 1, 1))}
    older = make_case(received_on=today - datetime.timedelta(days=30), today=today, **child)
    newer = make_case(
        received_on=today - datetime.timedelta(days=20),
        today=today,
        child=ChildFactory(date_of_birth=datetime.date(2014, 6, 1)),
    )
    reason = decline_reason()
    page = checked_page.page

    _sign_in(checked_page, panel.chair)
    page.get_by_role("link", name="Panels").click()
    page.wait_for_url("**/panels/")
    checked_page.check_accessibility()
    page.get_by_role("link", name=f"{today:%A} {today.day} {today:%B %Y}").click()
    page.wait_for_url(f"**/panels/meetings/{held.pk}/")
    checked_page.check_accessibility()

    page.get_by_role("button", name="Build agenda").click()
    page.wait_for_url(f"**/panels/meetings/{held.pk}/")
    checked_page.check_accessibility()
    rows = page.locator("table tbody tr")
    assert rows.nth(0).inner_text().startswith(f"1\t{older.reference}")

    page.get_by_role("button", name=f"Up {newer.reference}").click()
    page.wait_for_url(f"**/panels/meetings/{held.pk}/")
    checked_page.check_accessibility()
    assert page.locator("table tbody tr").nth(0).inner_text().startswith(f"1\t{newer.reference}")

    page.get_by_label("I confirm: members are sent their papers now").check()
    page.get_by_role("button", name="Publish agenda").click()
    page.wait_for_url(f"**/panels/meetings/{held.pk}/")
    checked_page.check_accessibility()
    assert "Agenda published" in page.locator(".govuk-notification-banner").inner_text()

    # Attendance: the chair is listed with the members; nobody present is refused.
    page.get_by_role("button", name="Save attendance").click()
    checked_page.check_accessibility()
    assert "nobody is marked present" in page.locator(".govuk-error-summary").inner_text()
    page.locator(f"#attendance-{panel.chair.pk}-present").check()
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_url(f"**/panels/meetings/{held.pk}/")
    checked_page.check_accessibility()
    assert "1 person present" in page.locator(".govuk-notification-banner").inner_text()

    # One item's decision at a time, on its own page.
    page.get_by_role("link", name=f"Record decision for {newer.reference}").click()
    page.wait_for_url(f"**/panels/meetings/{held.pk}/items/*/outcome/")
    checked_page.check_accessibility()
    page.get_by_label("Decline to assess").check()
    page.get_by_label("Reason for declining").select_option(label=reason.text)
    page.get_by_label("The panel's reasons").fill("SEN support is meeting the need (synthetic).")
    page.get_by_role("button", name="Record decision").click()
    # The next item still waiting opens.
    page.wait_for_url(f"**/panels/meetings/{held.pk}/items/*/outcome/")
    checked_page.check_accessibility()
    assert (
        f"Case {newer.reference}: decision to decline to assess recorded"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert older.reference in page.locator("h1").inner_text()
    page.get_by_role("link", name="Back to the meeting").click()
    page.wait_for_url(f"**/panels/meetings/{held.pk}/")
    assert "2 of 10 places taken" in page.locator("#places").inner_text()

    page.get_by_role("link", name=newer.reference).click()
    page.wait_for_url(f"**/cases/{newer.reference}/")
    checked_page.check_accessibility()
    assert page.locator("#case-status").inner_text() == "Assessment declined"
    first = page.locator("#timeline .moj-timeline__item").first.inner_text()
    assert f"{today.day} {today:%B %Y}" in first
    case = Case.objects.get(pk=newer.pk)
    assert (case.status, case.assessment_decided_on) == (CaseStatus.ASSESSMENT_DECLINED, today)
    assert held.items.get(case=newer).status == ItemStatus.DECIDED
