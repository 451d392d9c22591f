"""WCAG 2.2 reflow (1.4.10): at 320 px wide no staff list page scrolls sideways.

A demo borough is seeded once; each role (caseworker, manager, panel chair, partner) signs in
and opens the list pages it uses at 320 px, with rows in their tables. A wide table may scroll
inside its own box (`app-table-scroll`, cases/static/cases/tables.css); the page must not.
axe-core checks every page too (tests/browser/conftest.py). Set EHC_SCREENSHOTS to a folder
to keep each page as reflow-<page>.png.
"""

import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from advice_requests.models import PartnerService
from cases.demo import DEMO_PASSWORD
from cases.models import Case
from demo.borough import seed_demo
from panels.models import PanelMeeting
from tests.browser.conftest import sign_in
from tests.notifications.factories import notification_for

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("EHC_SCREENSHOTS", "")
PHONE = {"width": 320, "height": 640}
FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"
#: What sticks out past the window outside the tables' own scrolling boxes (the report).
WIDE_ELEMENTS = """[...document.querySelectorAll('main *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.right > window.innerWidth + 1 && !e.closest('.app-table-scroll');
  }).map(e => e.tagName + '.' + e.className + ' in #' + (e.closest('[id]') || {}).id)
  .slice(0, 3)"""
#: Rows on the page: a table's, or the notifications inbox's (a list, not a table).
ROWS = "main table tbody tr, #notifications > li"


def staff_pages() -> dict[str, list[str]]:
    """Each role's list pages, with the demo's ids filled in."""
    meeting = PanelMeeting.objects.filter(items__isnull=False).order_by("date").first()
    service = PartnerService.objects.order_by("pk").first()
    disputed = Case.objects.filter(disputes__isnull=False).order_by("pk").first()
    return {
        "demo.caseworker": [
            "/cases/",
            "/reviews/",
            "/plans/letters/",
            "/notifications/",
            f"/cases/{disputed.reference}/disagreement/",
        ],
        "demo.manager": [
            "/reports/",
            "/reports/sen2/",
            "/reviews/measures/",
            "/forecasts/accuracy/",
            f"/forecasts/services/{service.pk}/",
            "/advice/follow-up/",
        ],
        "demo.chair": ["/panels/", "/panels/forward-plan/", f"/panels/meetings/{meeting.pk}/"],
        "demo.partner.ep": ["/advice/", "/advice/?view=done"],
    }


def test_no_staff_list_page_scrolls_sideways_at_320_px(checked_page_with):
    seed_demo(cases=24, today=timezone.localdate())
    caseworker = get_user_model().objects.get(username="demo.caseworker")
    for number in (1, 2, 3):
        notification_for(
            caseworker,
            number=number,
            subject=f"Case EHC-2026-0000{number}: educational psychology advice due 12 March",
            link=f"/advice/{number}/",
            created_at=timezone.now(),
        )
    wide = {}
    for username, paths in staff_pages().items():
        checked = checked_page_with(viewport=PHONE)
        page = checked.page
        sign_in(page, username, DEMO_PASSWORD)
        for path in paths:
            response = page.goto(checked.base_url + path)
            assert response.status < 400, f"{username} {path}: HTTP {response.status}"
            checked.check_accessibility()
            assert page.locator(ROWS).count(), f"{path}: no rows to reflow"
            if SHOTS:
                name = re.sub(r"\W+", "-", path).strip("-")
                page.screenshot(path=f"{SHOTS}/reflow-{name}.png", full_page=True)
            if not page.evaluate(FITS):
                width = page.evaluate("document.documentElement.scrollWidth")
                wide[f"{username} {path}"] = f"{width} px: {page.evaluate(WIDE_ELEMENTS)}"
    assert not wide, "Scrolls sideways at 320 px:\n" + "\n".join(
        f"{where}: {what}" for where, what in wide.items()
    )


def test_the_case_list_fits_its_column_at_desktop_widths(checked_page_with):
    """Beside its filter the case list has three quarters of the page: at 1024 px and wider
    its columns (the manager's, with the select boxes, are the most) all show without scrolling
    its box."""
    seed_demo(cases=24, today=timezone.localdate())
    checked = checked_page_with(viewport={"width": 1024, "height": 800})
    page = checked.page
    sign_in(page, "demo.manager", DEMO_PASSWORD)
    page.goto(checked.base_url + "/cases/?scope=all")
    checked.check_accessibility()
    assert page.locator(ROWS).count()
    box = page.locator(".app-table-scroll").first
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth + 1"), box.evaluate(
        "b => [b.clientWidth, b.scrollWidth]"
    )
