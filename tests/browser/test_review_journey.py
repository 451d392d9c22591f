"""Annual reviews in the browser (axe-checked on every page): a caseworker runs a review from
the invitations to the amended plan; the school writes its review report in the partner
workspace; a manager checks and downloads a validated SEN2 return."""

import datetime
import os
import zipfile
from pathlib import Path

import pytest
import time_machine

from reviews.models import Review
from tests.advice_requests.factories import partner
from tests.browser.conftest import sign_in
from tests.cases.factories import ChildFactory, caseworker, manager
from tests.reviews.factories import make_plan, review_in_status, school_service

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date
TODAY = D(2026, 11, 30)
SHOTS = os.environ.get("EHC_SCREENSHOTS")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)):
        yield


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _date(page, field_id, day: D):
    for index, value in enumerate((day.day, day.month, day.year)):
        page.locator(f"#{field_id}_{index}").fill(str(value))


def _step(checked_page, name, day, **extra):
    page = checked_page.page
    form = page.locator(f"#step-{name}")
    _date(page, f"id_{name}-effective_date", day)
    for field, value in extra.items():
        if isinstance(value, D):
            _date(page, f"id_{name}-{field}", value)
        elif isinstance(value, bool):
            page.locator(f"#id_{name}-{field}").check()
        else:
            page.locator(f"#id_{name}-{field}").fill(value)
    form.get_by_role("button").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    banner = page.locator(".govuk-notification-banner")
    assert "recorded" in banner.inner_text(), page.locator("main").inner_text()[:500]


def test_caseworker_runs_a_review_to_the_amended_plan(checked_page):
    worker = caseworker(first_name="Casey", last_name="Worker")
    school_service(name="Oakfield Primary (synthetic)")
    plan = make_plan(
        caseworker=worker,
        start_date=D(2025, 12, 10),  # review due 10 December 2026: this month's list? no: next
        child=ChildFactory(first_name="Ada", last_name="Example", date_of_birth=D(2016, 3, 1)),
        today=TODAY,
    )
    make_plan(caseworker=worker, start_date=D(2025, 11, 20), today=TODAY)  # due this month
    page = checked_page.page
    sign_in(page, worker.username, "a-test-password")
    page.get_by_role("link", name="Annual reviews").click()
    page.wait_for_url("**/reviews/")
    checked_page.check_accessibility()
    _shot(page, "01-reviews-due-this-month")
    assert "Reviews due this month (1)" in page.locator(".moj-sub-navigation").inner_text()
    page.get_by_role("link", name="Phase transfers").click()
    checked_page.check_accessibility()
    _shot(page, "02-phase-transfers")
    assert "15 February 2027" in page.locator("table").inner_text()

    checked_page.goto(f"/reviews/plans/{plan.pk}/")
    _shot(page, "03-plan")
    _date(page, "id_meeting_on", D(2026, 10, 20))
    page.locator("#id_school").select_option(label="Oakfield Primary (synthetic)")
    page.locator("#id_outcomes").fill("Reads a short book aloud\nJoins a lunchtime club")
    page.get_by_role("button", name="Arrange the review").click()
    page.wait_for_url("**/reviews/*/")
    checked_page.check_accessibility()
    _shot(page, "04-review-arranged")

    _step(checked_page, "send_invitations", D(2026, 10, 5))
    _step(checked_page, "hold_meeting", D(2026, 10, 20), child_views_given=True)
    _step(
        checked_page,
        "receive_report",
        D(2026, 10, 28),
        report_text="Reading has improved; lunchtimes are still hard.",
        report_by="Oakfield Primary SENCo",
    )
    _shot(page, "05-report-received")
    _step(checked_page, "decide_amend", D(2026, 11, 2), decision_letter_sent_on=D(2026, 11, 3))
    _step(checked_page, "propose_amendments", D(2026, 11, 4))
    # The family's 15 days: issuing on 18 November is refused, with the reason, nothing saved.
    _date(page, "id_issue_amended_plan-effective_date", D(2026, 11, 18))
    page.locator("#step-issue_amended_plan").get_by_role("button").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "can be issued from 19 November 2026" in summary
    _shot(page, "06-amended-plan-refused")
    _step(checked_page, "issue_amended_plan", D(2026, 11, 19))
    _shot(page, "07-amended-plan-issued")
    review = Review.objects.get(plan=plan)
    assert review.status == "amended"
    assert "Amended plan issued" in page.locator("strong.govuk-tag").first.inner_text()

    page.locator(f"#id_progress_{review.outcomes.first().pk}").select_option("achieved")
    page.get_by_role("button", name="Save progress").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    assert review.outcomes.first().progress == "achieved"


def test_school_writes_its_review_report(checked_page):
    school = school_service(name="Oakfield Primary (synthetic)")
    review = review_in_status("meeting_held", school=school, today=TODAY)
    senco = partner(school, first_name="Sam", last_name="Senco")
    page = checked_page.page
    sign_in(page, senco.username, "a-test-password")
    checked_page.goto("/reviews/school/")
    _shot(page, "08-school-inbox")
    page.get_by_role("link", name=f"Write the report for {review.plan.child.full_name}").click()
    page.wait_for_url("**/reviews/school/*/")
    checked_page.check_accessibility()
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    assert "Enter the review report." in page.locator(".govuk-error-summary").inner_text()
    _shot(page, "09-school-report-errors")
    page.get_by_label("Review report").fill("Good progress in reading (synthetic).")
    page.get_by_label("Your name and role").fill("Sam Senco, SENCo")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url("**/reviews/school/")
    checked_page.check_accessibility()
    _shot(page, "10-school-report-sent")
    review.refresh_from_db()
    assert review.status == "report_received"


def test_manager_checks_and_downloads_the_sen2_return(checked_page):
    boss = manager()
    bad = make_plan(setting_urn="", sen_setting="", today=TODAY)
    make_plan(today=TODAY, setting_urn="100001")
    review_in_status("maintained", plan=make_plan(sen_setting="OLA"), today=TODAY)
    page = checked_page.page
    sign_in(page, boss.username, "a-test-password")
    page.get_by_role("link", name="SEN2 return").click()
    page.wait_for_url("**/reports/sen2/")
    checked_page.check_accessibility()
    page.get_by_label("Calendar year of the return").fill("2026")
    page.get_by_role("button", name="Check the return").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    _shot(page, "11-sen2-blocked")
    assert bad.child.full_name in page.locator("#sen2-problems").inner_text()
    bad.sen_setting = "EHE"
    bad.save()
    page.get_by_role("button", name="Check the return").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    _shot(page, "12-sen2-valid")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the return (CSV files, zipped)").click()
    names = zipfile.ZipFile(download_info.value.path()).namelist()
    assert "sen2_2026_active_plans.csv" in names
    checked_page.goto("/reviews/measures/")
    _shot(page, "13-review-measures")
    page.get_by_role("link", name="Reviews with the child's contribution").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    _shot(page, "14-measure-reviews")
    checked_page.goto("/reviews/plans/import/")
    page.get_by_label("Active plans CSV file").set_input_files(
        {
            "name": "plans.csv",
            "mimeType": "text/csv",
            "buffer": b"child_first_name,child_last_name,date_of_birth,plan_start_date,"
            b"primary_need\nAda,Example,2014-08-31,2021-03-01,NSA\n",
        }
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    assert "row 2, column primary_need" in page.locator(".govuk-error-summary").inner_text()
    _shot(page, "15-plan-import-errors")
