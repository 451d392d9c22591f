"""The weekly manager digest: once per ISO week, counts by stage and risk, long-overdue cases."""

import datetime

import pytest

from notifications.digest import iso_week, manager_digest_send
from notifications.models import Kind, Notification
from tests.cases.factories import case_in_status, manager
from tests.plans.factories import send_letters

from .factories import case_due_16_february

pytestmark = pytest.mark.django_db
D = datetime.date


def test_digest_is_sent_once_per_iso_week_to_every_manager():
    first, second = manager(), manager()
    overdue = case_due_16_february()
    assessing = case_in_status("assessing")  # statutory panel decision due 27 April: on track
    send_letters(assessing, assessing.caseworker)  # the family told on time (plans.letters)
    monday = D(2026, 3, 23)
    manager_digest_send(today=monday)
    manager_digest_send(today=monday)
    manager_digest_send(today=D(2026, 3, 29))  # Sunday: same ISO week
    digests = Notification.objects.filter(kind=Kind.MANAGER_DIGEST)
    assert sorted(digests.values_list("recipient_id", flat=True)) == sorted([first.pk, second.pk])
    assert set(digests.values_list("milestone", flat=True)) == {"2026-W13"}
    body = digests.first().body
    assert "- Received: 1 open, 1 overdue, 0 at risk, 0 on track" in body
    assert "- Assessing: 1 open, 0 overdue, 0 at risk, 1 on track" in body
    assert "Cases overdue by more than 4 weeks: 1" in body
    assert f"- {overdue.reference}: decision whether to assess was due 16 February 2026" in body
    manager_digest_send(today=D(2026, 3, 30))
    assert Notification.objects.filter(kind=Kind.MANAGER_DIGEST).count() == 4


def test_iso_week_at_the_turn_of_the_year():
    assert iso_week(D(2026, 12, 31)) == "2026-W53"
    assert iso_week(D(2027, 1, 4)) == "2027-W01"
    assert iso_week(D(2027, 1, 1)) == "2026-W53"
