"""Administrators can find parked notifications in the admin and send them again."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from notifications.models import EmailStatus, Notification
from tests.cases.factories import UserFactory

from .factories import case_due_16_february, sweep

pytestmark = pytest.mark.django_db


def test_a_parked_row_is_listed_with_its_error_and_can_be_retried(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    case_due_16_february()
    sweep(datetime.date(2026, 2, 2))
    Notification.objects.update(
        email_status=EmailStatus.PARKED, email_attempts=5, email_last_error="SMTPDataError: 554"
    )
    client.force_login(admin)
    changelist = reverse("admin:notifications_notification_changelist")
    page = client.get(changelist, {"email_status__exact": "parked"})
    assert page.status_code == 200
    assert "SMTPDataError: 554" in page.text
    row = Notification.objects.get()
    response = client.post(
        changelist, {"action": "retry_parked", ACTION_CHECKBOX_NAME: [row.pk]}, follow=True
    )
    assert "1 parked notification(s) queued again." in response.text
    row.refresh_from_db()
    assert (row.email_status, row.email_attempts, row.email_last_error) == (
        EmailStatus.PENDING,
        0,
        "",
    )
