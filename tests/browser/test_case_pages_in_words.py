"""Issues 13 (items 6-8) and 14 in the browser, axe-checked: a caseworker opens on their own
cases, decides knowingly on a case with advice outstanding and sees the history in words; a
manager lands on the dashboard's headline figures, reassigns cases from the list and refuses
an exception. Set EHC_SCREENSHOTS=<dir> to keep a 1280 px screenshot of every page."""

import datetime
import os
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from cases.exception_services import exception_propose
from cases.models import Case
from tests.browser.conftest import sign_in
from tests.cases.factories import case_in_status, caseworker, make_case, manager

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("EHC_SCREENSHOTS")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)):
        yield


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def wide(checked_page_with):
    checked = checked_page_with(viewport={"width": 1280, "height": 900})
    return checked


def test_caseworker_decides_knowingly_on_their_own_case(wide):
    today = timezone.localdate()
    elin = caseworker(first_name="Elin", last_name="Morgan")
    other = caseworker(first_name="Ana", last_name="Bell")
    mine = case_in_status("assessing", actor=elin, received_on=datetime.date(2026, 7, 1))
    theirs = make_case(actor=other, received_on=today - datetime.timedelta(days=10), today=today)
    page = wide.page
    sign_in(page, elin.username, "a-test-password")
    page.wait_for_url("**/cases/")
    wide.check_accessibility()
    assert page.locator("h1").inner_text() == "My cases"
    body = page.locator("main").inner_text()
    assert mine.reference in body
    assert theirs.reference not in body
    _shot(page, "caseworker-my-cases")

    page.get_by_role("link", name=mine.reference).click()
    page.wait_for_url(f"**/cases/{mine.reference}/")
    wide.check_accessibility()
    assert "Agreed to assess" in page.locator("#history").inner_text()
    assert elin.username not in page.locator("#history").inner_text()
    _shot(page, "caseworker-case-page")

    page.locator("summary", has_text="Agree to issue a plan").click()
    form = page.locator("form", has=page.get_by_role("button", name="Agree to issue a plan"))
    assert "Advice is still outstanding" in form.inner_text()
    form.get_by_role("button", name="Agree to issue a plan").click()
    wide.check_accessibility()
    assert (
        "Confirm you are making this decision without it"
        in page.locator(".govuk-error-summary").inner_text()
    )
    _shot(page, "caseworker-decision-needs-confirmation")
    assert Case.objects.get(pk=mine.pk).status == "assessing"
    form = page.locator("form", has=page.get_by_role("button", name="Agree to issue a plan"))
    form.get_by_label(
        "I confirm I am recording this decision without the outstanding advice"
    ).check()
    form.get_by_role("button", name="Agree to issue a plan").click()
    page.wait_for_url(f"**/cases/{mine.reference}/")
    wide.check_accessibility()
    assert (
        "Agreed to issue a plan on 2 November 2026."
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert "Ready for the statutory panel" not in page.locator("main").inner_text()
    _shot(page, "caseworker-after-decision")


def test_manager_reassigns_from_the_list_and_refuses_an_exception(wide):
    today = timezone.localdate()
    boss = manager(first_name="Morgan", last_name="Hale")
    sam = caseworker(first_name="Sam", last_name="Reed")
    ana = caseworker(first_name="Ana", last_name="Bell")
    cases = [
        make_case(actor=sam, received_on=today - datetime.timedelta(days=d), today=today)
        for d in (50, 36, 20)
    ]
    exception_propose(
        actor=sam,
        case=cases[0],
        ground="exceptional_personal_circumstances",
        starts_on=today - datetime.timedelta(days=5),
        notes="Hospital stay (synthetic).",
    )
    page = wide.page
    sign_in(page, boss.username, "a-test-password")
    page.wait_for_url("**/reports/")
    wide.check_accessibility()
    headlines = page.locator("#headlines").inner_text()
    assert "Overdue now" in headlines
    assert "Exceptions waiting" in headlines
    assert cases[0].reference in page.locator("#table-exceptions-waiting").inner_text()
    assert "Days left" in page.locator("#table-at-risk").inner_text()
    _shot(page, "manager-dashboard")

    page.goto("/cases/")
    wide.check_accessibility()
    page.get_by_label(f"Select {cases[1].reference}").check()
    page.get_by_label(f"Select {cases[2].reference}").check()
    page.get_by_role("button", name="Reassign selected cases").click()
    page.wait_for_url("**/cases/reassign/?*")
    wide.check_accessibility()
    _shot(page, "manager-reassign")
    page.get_by_label("Give them to").select_option(label="Ana Bell")
    page.get_by_label("Why are you reassigning them?").fill("Sam is on leave.")
    page.get_by_role("button", name="Reassign 2 cases").click()
    page.wait_for_url("**/cases/?*")
    wide.check_accessibility()
    assert (
        "2 cases reassigned to Ana Bell." in page.locator(".govuk-notification-banner").inner_text()
    )
    assert set(Case.objects.filter(caseworker=ana).values_list("pk", flat=True)) == {
        cases[1].pk,
        cases[2].pk,
    }
    _shot(page, "manager-after-reassign")

    page.goto(f"/cases/{cases[0].reference}/")
    wide.check_accessibility()
    assert "Why this case is overdue" in page.locator("#risk-reasons").inner_text()
    page.locator("summary", has_text="Refuse").click()
    page.get_by_label("Why is it refused?").fill("No evidence of the stay yet.")
    page.get_by_role("button", name="Refuse the exception").click()
    page.wait_for_url(f"**/cases/{cases[0].reference}/")
    wide.check_accessibility()
    assert "No evidence of the stay yet." in page.locator("#exceptions + table").inner_text()
    _shot(page, "manager-case-page")
