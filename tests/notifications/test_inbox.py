"""The in-app inbox: every alert is there, unread until its recipient marks it read."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from cases.services import case_assign
from notifications.models import Kind, Notification
from notifications.selectors import inbox, unread_count
from notifications.services import (
    NOT_YOUR_NOTIFICATION,
    notification_mark_read,
    notifications_mark_all_read,
)
from tests.cases.factories import caseworker, manager

from .factories import case_due_16_february, sweep

pytestmark = pytest.mark.django_db
D = datetime.date


def test_mark_read_changes_the_unread_count_and_only_the_recipient_may():
    worker, other = caseworker(), caseworker()
    for _ in range(3):
        case_due_16_february(actor=worker)
    sweep(D(2026, 2, 2))
    assert unread_count(user=worker) == 3
    first = inbox(user=worker).first()
    with pytest.raises(PermissionDenied, match=NOT_YOUR_NOTIFICATION):
        notification_mark_read(user=other, notification=first)
    assert unread_count(user=worker) == 3
    notification_mark_read(user=worker, notification=first)
    notification_mark_read(user=worker, notification=first)
    assert unread_count(user=worker) == 2
    assert len(inbox(user=worker, unread_only=True)) == 2
    assert notifications_mark_all_read(user=worker) == 2
    assert unread_count(user=worker) == 0


def test_the_inbox_is_one_query_however_many_notifications(django_assert_num_queries):
    worker = caseworker()
    for _ in range(12):
        case_due_16_february(actor=worker)
    sweep(D(2026, 2, 2))
    with django_assert_num_queries(1):
        subjects = [n.subject for n in inbox(user=worker)]
    assert len(subjects) == 12


def test_assigning_a_case_tells_the_new_caseworker_in_the_same_transaction():
    boss, worker = manager(), caseworker()
    case = case_due_16_february()
    case_assign(actor=boss, case=case, caseworker=worker)
    note = Notification.objects.get(recipient=worker)
    assert note.kind == Kind.CASE_ASSIGNED
    assert note.case == case
    assert note.subject.startswith(f"Case {case.reference} assigned to you: decision whether")
    assert boss.get_username() in note.body
    # Assigned away and back again: a second, distinct alert.
    case_assign(actor=boss, case=case, caseworker=boss)
    case_assign(actor=boss, case=case, caseworker=worker)
    assert Notification.objects.filter(recipient=worker, kind=Kind.CASE_ASSIGNED).count() == 2


def test_taking_a_case_yourself_tells_nobody():
    worker = caseworker()
    case = case_due_16_february()
    case_assign(actor=worker, case=case, caseworker=worker)
    assert not Notification.objects.exists()


def test_logging_a_case_for_someone_else_tells_them():
    boss, worker = manager(), caseworker()
    case = case_due_16_february(actor=boss, caseworker=worker)
    assert list(Notification.objects.values_list("recipient_id", "kind", "case_id")) == [
        (worker.pk, Kind.CASE_ASSIGNED, case.pk)
    ]
