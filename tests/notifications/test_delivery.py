"""The outbox delivery: sent once, retried with back-off, parked after N failures."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications.delivery import backoff, deliver_pending, message_id
from notifications.models import EmailStatus, Kind, Notification
from notifications.services import (
    URGENT_ALWAYS_EMAILED,
    email_preference_set,
    notifications_retry_parked,
)
from tests.cases.factories import caseworker, manager

from .factories import case_due_16_february, sweep

pytestmark = pytest.mark.django_db
D = datetime.date


class FlakyBackend:
    """An email backend whose server refuses the first `failures` messages."""

    failures = 0
    sent: list = []

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        FlakyBackend.sent.extend(messages)
        return len(messages)

    def close(self):
        pass


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.FlakyBackend"
    FlakyBackend.sent = []
    FlakyBackend.failures = 0
    return FlakyBackend


def test_each_owed_email_is_sent_once_and_marked_sent():
    worker = caseworker()
    case = case_due_16_february(actor=worker)
    sweep(D(2026, 2, 2))
    assert deliver_pending().sent == 1
    assert deliver_pending().sent == 0
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    row = Notification.objects.get()
    assert email.to == [worker.email]
    assert email.subject == row.subject
    assert email.extra_headers["Message-ID"] == message_id(row)
    assert case.reference in email.body
    assert row.email_status == EmailStatus.SENT
    assert row.email_attempts == 1
    assert row.emailed_at is not None


def test_a_failure_is_recorded_and_retried_after_the_back_off(flaky):
    case_due_16_february()
    sweep(D(2026, 2, 2))
    flaky.failures = 1
    now = timezone.now()
    result = deliver_pending(now=now)
    assert (result.sent, result.failed) == (0, 1)
    row = Notification.objects.get()
    assert row.email_status == EmailStatus.PENDING
    assert row.email_attempts == 1
    assert row.email_last_error.startswith("SMTPServerDisconnected")
    assert row.email_next_attempt_at == now + datetime.timedelta(minutes=1)
    assert deliver_pending(now=now + datetime.timedelta(seconds=30)).sent == 0
    assert deliver_pending(now=now + datetime.timedelta(minutes=1)).sent == 1
    assert len(flaky.sent) == 1


def test_backoff_doubles_and_is_capped_at_an_hour():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 8)] == [1, 2, 4, 8, 60]


def test_a_poison_row_is_parked_after_the_last_attempt_and_can_be_retried(flaky, settings):
    settings.EHC_NOTIFICATION_MAX_ATTEMPTS = 3
    case_due_16_february()
    sweep(D(2026, 2, 2))
    flaky.failures = 100
    now = timezone.now()
    for minutes in (0, 1, 3):
        deliver_pending(now=now + datetime.timedelta(minutes=minutes))
    row = Notification.objects.get()
    assert (row.email_status, row.email_attempts) == (EmailStatus.PARKED, 3)
    assert deliver_pending(now=now + datetime.timedelta(days=1)).failed == 0
    flaky.failures = 0
    assert notifications_retry_parked(notification_ids=[row.pk]) == 1
    assert deliver_pending().sent == 1
    assert len(flaky.sent) == 1


def test_a_switched_off_kind_stays_in_the_inbox_but_is_not_emailed():
    worker = caseworker()
    email_preference_set(user=worker, kind=Kind.CASE_AT_RISK, email=False)
    case_due_16_february(actor=worker)
    sweep(D(2026, 2, 2))
    row = Notification.objects.get()
    assert row.email_status == EmailStatus.NOT_SENT
    assert deliver_pending().sent == 0
    assert mail.outbox == []


def test_overdue_alerts_cannot_be_switched_off():
    worker = caseworker()
    with pytest.raises(ValidationError) as refused:
        email_preference_set(user=worker, kind=Kind.CASE_OVERDUE, email=False)
    assert refused.value.message_dict == {"kind": [URGENT_ALWAYS_EMAILED]}
    case_due_16_february(actor=worker)
    sweep(D(2026, 2, 20))
    assert Notification.objects.get(recipient=worker).email_status == EmailStatus.PENDING


def test_switching_email_back_on_emails_later_alerts():
    worker = caseworker()
    email_preference_set(user=worker, kind=Kind.CASE_AT_RISK, email=False)
    email_preference_set(user=worker, kind=Kind.CASE_AT_RISK, email=True)
    case_due_16_february(actor=worker)
    sweep(D(2026, 2, 2))
    assert Notification.objects.get().email_status == EmailStatus.PENDING


def test_a_user_without_an_address_gets_the_inbox_only():
    boss = manager(email="")
    case_due_16_february()
    sweep(D(2026, 2, 20))
    assert Notification.objects.get(recipient=boss).email_status == EmailStatus.NOT_SENT


def test_delivery_costs_a_fixed_number_of_queries_per_email(django_assert_max_num_queries):
    for _ in range(3):
        case_due_16_february()
    sweep(D(2026, 2, 2))
    with django_assert_max_num_queries(3 * 4 + 4):
        assert deliver_pending().sent == 3
