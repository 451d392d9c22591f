"""A caseworker (who also manages) records a disagreement in the browser: a declined case shows
its appeal deadline, a mediation and an appeal with an order are recorded, and the order's
deadlines appear on the case and the dashboard (issue 18). axe-core checks every page."""

import datetime
import os
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Group

from cases.roles import Role
from disputes.models import Dispute
from tests.browser.conftest import sign_in
from tests.cases.factories import case_in_status, caseworker

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = datetime.date(2026, 11, 2)
SHOTS = Path(os.environ.get("EHC_SCREENSHOTS", "/tmp/ehc-screenshots"))  # noqa: S108


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)):
        yield


def _fill_date(page, prefix, day: datetime.date):
    page.locator(f"[name='{prefix}-on_0']").fill(str(day.day))
    page.locator(f"[name='{prefix}-on_1']").fill(str(day.month))
    page.locator(f"[name='{prefix}-on_2']").fill(str(day.year))


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_declined_case_mediation_appeal_and_order(checked_page):
    worker = caseworker()
    worker.groups.add(Group.objects.get(name=Role.MANAGER))
    # Received 1 September, declined on day 40 (11 October): appeal until 11 December.
    case = case_in_status(
        "assessment_declined",
        actor=worker,
        received_on=datetime.date(2026, 9, 1),
        today=TODAY,
        family_told=True,
    )
    page = checked_page.page
    sign_in(page, worker.username, "a-test-password")

    checked_page.goto(f"/cases/{case.reference}/")
    assert "11 December 2026" in page.locator("#appeal-window").inner_text()
    _shot(page, "1-declined-case")

    page.get_by_role("link", name="Record mediation, an appeal or an order").click()
    checked_page.check_accessibility()
    page.get_by_text("Record contact with the mediation adviser").first.click()
    _fill_date(page, "mediation_start-newdecline_to_assess", datetime.date(2026, 10, 20))
    page.get_by_role("button", name="Record contact with the mediation adviser").first.click()
    checked_page.check_accessibility()
    assert "Mediation certificate due from the adviser" in page.content()
    dispute = Dispute.objects.get()

    page.get_by_text("Record the appeal").first.click()
    _fill_date(page, f"appeal_register-{dispute.pk}", datetime.date(2026, 10, 22))
    page.get_by_label("Refusal to assess").check()
    page.get_by_role("button", name="Record the appeal").click()
    checked_page.check_accessibility()
    assert "Council's response to the tribunal due" in page.content()

    page.get_by_text("Record the outcome").first.click()
    prefix = f"appeal_outcome-{dispute.pk}"
    _fill_date(page, prefix, datetime.date(2026, 10, 30))
    page.get_by_label("Tribunal made an order").check()
    page.locator(f"[name='{prefix}-order_kind']").select_option("assess")
    page.get_by_role("button", name="Record the outcome").click()
    checked_page.check_accessibility()
    dates = page.locator(f"#dispute-{dispute.pk}-dates").inner_text()
    assert "Tell the family the assessment will be made (reg 44(2)(b))" in dates
    assert "13 November 2026" in dates  # 2 weeks from 30 October
    _shot(page, "2-disagreement-page")

    checked_page.goto(f"/cases/{case.reference}/")
    assert page.locator("#case-status").inner_text() == "Assessing"
    assert "8 January 2027" in page.content()  # reg 44(2)(b)(i): 10 weeks from the order
    assert "13 November 2026" in page.locator(f"#dispute-{dispute.pk}-dates").inner_text()
    _shot(page, "3-case-after-order")

    checked_page.goto("/reports/")
    counts = page.locator("#dispute-counts").inner_text()
    assert "Appeals registered\n1" in counts.replace("\t", "\n")
    _shot(page, "4-dashboard")
