"""A manager in the browser: the dashboard (axe-core clean), the timeliness table as CSV, and a
small tracker imported through the upload page."""

import csv
import datetime
import io
import os
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case
from reports.models import DashboardSummary
from reports.summary import dashboard_summary_refresh
from tests.browser.conftest import sign_in
from tests.cases.factories import caseworker, make_case, manager
from tests.reports.factories import issued_case

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("EHC_SCREENSHOTS", "")

TRACKER = (
    "reference,child_first_name,child_last_name,date_of_birth,primary_need,request_source,"
    "received_on,assessment_decision,assessment_decision_on\n"
    "TRK-0001,Alpha,Example,2015-03-14,ASD,2,{received},agreed,{decided}\n"
)


@pytest.fixture(autouse=True)
def frozen():
    """The factories date their steps by tests.cases.factories.TODAY: the dashboard's year
    must be that year."""
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)):
        yield


def test_manager_reads_the_dashboard_downloads_csv_and_imports_a_tracker(checked_page):
    today = timezone.localdate()
    boss = manager()
    issued_case(final_issued_on=today.replace(month=1, day=20), day=138)
    make_case(actor=caseworker(), received_on=today - datetime.timedelta(days=60), today=today)

    page = checked_page.page
    sign_in(page, boss.username, "a-test-password")
    page.wait_for_url("**/reports/")  # a manager's start page (issue 13 item 6)
    checked_page.check_accessibility()

    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url("**/reports/")
    checked_page.check_accessibility()
    assert page.locator("h1").inner_text().startswith("Dashboard")
    description = page.locator("#chart-desc").text_content()
    assert f"{today.year}: 1 final plans issued, 1 within 20 weeks" in description
    overdue = page.locator("#table-status-risk tbody tr").first
    assert overdue.locator("th").inner_text() == "Received"

    with page.expect_download() as download_info:
        page.get_by_role(
            "link",
            name=f"Download 20-week timeliness of final plans, {today.year} "
            "(CSV, with 9 more columns)",
        ).click()
    download = download_info.value
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["Month", "Plans issued", "On time"]
    assert rows[1][:4] == [f"{today.year}-01", "1", "1", "100"]  # rounded for people
    assert rows[-1][:3] == ["Total", "1", "1"]

    page.get_by_role("link", name="Import tracker").click()
    page.wait_for_url("**/reports/import/")
    checked_page.check_accessibility()
    received = today - datetime.timedelta(days=50)
    content = TRACKER.format(
        received=received.isoformat(), decided=(received + datetime.timedelta(days=30)).isoformat()
    )
    page.get_by_label("Tracker CSV file").set_input_files(
        {"name": "tracker.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/reports/import/")
    checked_page.check_accessibility()
    banner = page.locator(".govuk-notification-banner")
    assert "Imported 1 case. Open case TRK-0001." in banner.inner_text()
    assert Case.objects.get(reference="TRK-0001").status == "assessing"


def test_manager_follows_the_case_page_to_who_has_looked_at_the_record(checked_page):
    boss = manager()
    case = make_case(actor=caseworker(), today=timezone.localdate())

    page = checked_page.page
    sign_in(page, boss.username, "a-test-password")
    page.wait_for_url("**/reports/")  # a manager's start page (issue 13 item 6)
    page.goto(f"/cases/{case.reference}/")
    page.get_by_role("link", name="See who has looked at this child's record").click()
    page.wait_for_url(f"**/accounts/children/{case.child_id}/access-log/")
    checked_page.check_accessibility()
    assert page.locator("h1").inner_text().startswith("Who has looked at")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1  # the manager's own view of the case page, just now
    assert boss.username in rows.first.inner_text()
    assert case.reference in rows.first.inner_text()
    page.get_by_role("link", name=f"Back to {case.child.full_name}'s cases").click()
    page.wait_for_url("**/cases/?search=*")
    assert case.reference in page.locator("main").inner_text()


def test_manager_reads_counts_from_the_sweeps_summary_and_how_fresh_they_are(checked_page):
    """Issue 20 item 3 (decision 0160): after the deadline sweep the open-case counts come from
    its summary, and the page says when they were counted; a case opened since is not in them
    until the next sweep, while the lists stay live. Set EHC_SCREENSHOTS to keep the page."""
    today = timezone.localdate()
    boss, worker = manager(), caseworker()
    for days in (10, 60, 200):
        make_case(actor=worker, received_on=today - datetime.timedelta(days=days), today=today)
    dashboard_summary_refresh(today=today, now=timezone.now())
    counted_at = timezone.localtime(DashboardSummary.objects.get().taken_at).strftime("%H:%M")
    make_case(actor=worker, received_on=today, today=today)  # after the sweep

    page = checked_page.page
    sign_in(page, boss.username, "a-test-password")
    page.wait_for_url("**/reports/")
    checked_page.check_accessibility()
    freshness = page.locator("#freshness").inner_text()
    assert f"are counted as at {counted_at} today (counted every" in freshness
    assert "The case lists and every other figure are live." in freshness
    caption = page.locator("#table-status-risk caption").inner_text()
    assert f"Counts as at {counted_at} today" in caption
    totals = page.locator("#table-status-risk tbody tr").last
    assert totals.locator("td").last.inner_text() == "3"  # the sweep's count, not 4
    if SHOTS:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=f"{SHOTS}/dashboard-summary.png", full_page=False)
        page.locator("#table-status-risk").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/dashboard-summary-tables.png")
