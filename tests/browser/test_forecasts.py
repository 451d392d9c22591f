"""A manager in the browser (axe-checked): the cases forecast to miss 20 weeks with their
reasons on the dashboard, a case's forecast and its basis, and the EP service's backlog chart
with a "what if" and a declared capacity."""

import datetime

import pytest
import time_machine

from forecasts.models import ServiceCapacity
from forecasts.services import forecasts_recompute
from tests.browser.conftest import sign_in
from tests.cases.factories import TODAY, case_in_status, caseworker, make_case, manager

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)):
        yield


def test_manager_sees_cases_forecast_to_miss_and_the_ep_backlog(checked_page):
    worker = caseworker()
    for _ in range(5):  # decided on day 40, final plan on day 138
        case_in_status("final_issued", actor=worker, today=TODAY)
    waiting = make_case(actor=worker, received_on=TODAY - datetime.timedelta(days=50), today=TODAY)
    assessing = case_in_status(
        "assessing", actor=worker, today=TODAY, received_on=TODAY - datetime.timedelta(days=45)
    )
    forecasts_recompute(today=TODAY)
    boss = manager(first_name="Morgan", last_name="Manager")

    page = checked_page.page
    sign_in(page, boss.username, "a-test-password")
    checked_page.goto("/reports/")
    rows = page.locator("#forecast-to-miss-cases tbody tr")
    assert rows.count() == 1
    assert waiting.reference in rows.first.inner_text()
    assert "At this pace: week 22 (due by week 20). The decision whether to assess was due on" in (
        rows.first.inner_text()
    )
    assert assessing.reference not in page.locator("#forecast-to-miss-cases").inner_text()
    chart = page.locator("svg#dashboard-backlog")
    assert "Synthetic Educational Psychology Service" in chart.locator("title").text_content()
    assert "requests outstanding now" in chart.locator("desc").text_content()
    assert "Not measured yet" in page.locator("#forecast-accuracy").inner_text()

    rows.first.get_by_role("link", name=waiting.reference).click()
    page.wait_for_url(f"**/cases/{waiting.reference}/**")
    checked_page.check_accessibility()
    section = page.locator("#forecast-section")
    assert "Forecast to miss 20 weeks" in section.inner_text()
    assert "Deciding whether to assess has taken 6 weeks at the median" in section.inner_text()

    checked_page.goto("/cases/?ordering=-forecast_final")
    assert "After 20 weeks" in page.locator("table").inner_text()

    checked_page.goto("/advice/follow-up/?what_if=lots")
    assert "Enter a capacity as a number" in page.locator("#backlog-section").inner_text()
    checked_page.goto("/advice/follow-up/?what_if=4")
    assert "At 4 a week (what if)" in page.locator("svg#follow-up-backlog desc").text_content()

    page.get_by_role("link", name="Synthetic Educational Psychology Service: backlog").click()
    checked_page.check_accessibility()
    page.get_by_label("Declared capacity").fill("7.5")
    page.get_by_role("button", name="Save capacity").click()
    checked_page.check_accessibility()
    assert "Capacity saved: 7.5 a week." in page.locator("body").inner_text()
    assert ServiceCapacity.objects.get().per_week == 7.5
    page.get_by_label("Declared capacity").fill("-3")
    page.get_by_role("button", name="Save capacity").click()
    checked_page.check_accessibility()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert ServiceCapacity.objects.get().per_week == 7.5
