"""A partner in the browser: the unread count in the header, the inbox (axe-checked), marking one
read and all read, and the email preferences page."""

import re

import pytest
from django.utils import timezone

from cases.roles import Role
from tests.browser.conftest import sign_in
from tests.cases.factories import UserFactory
from tests.notifications.factories import notification_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_partner_reads_their_notifications(checked_page):
    user = UserFactory(roles=[Role.PARTNER])
    for number in (1, 2, 3):
        notification_for(
            user,
            number=number,
            subject=f"Case EHC-2026-0000{number}: educational psychology advice due 12 March",
            link=f"/advice/{number}/",
            created_at=timezone.now(),
        )
    page = checked_page.page
    sign_in(page, user.username, "a-test-password")

    checked_page.goto("/notifications/")
    header = page.locator("#header-notifications")
    assert header.inner_text().startswith("Notifications 3")
    assert page.locator("#notifications > li").count() == 3
    link = page.get_by_role("link", name="Case EHC-2026-00002: educational psychology advice")
    assert link.get_attribute("href") == "/advice/2/"

    page.get_by_role("button", name=re.compile(r"^Mark as read\W+Case EHC-2026-00002")).click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    assert "Notification marked as read." in page.content()
    assert page.locator("#header-notifications").inner_text().startswith("Notifications 2")

    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    assert page.locator("#header-notifications").inner_text().strip() == "Notifications"
    assert page.locator("#unread-summary").inner_text() == "You have no unread notifications."

    page.get_by_role("link", name="Choose which notifications are emailed to you").click()
    page.wait_for_url("**/notifications/preferences/")
    checked_page.check_accessibility()
    page.get_by_label("Advice due within 7 days").uncheck()
    page.get_by_role("button", name="Save preferences").click()
    page.wait_for_load_state()
    assert "Your email preferences are saved." in page.content()
    assert not page.get_by_label("Advice due within 7 days").is_checked()
    assert "Overdue alerts cannot be switched off" in page.content()
