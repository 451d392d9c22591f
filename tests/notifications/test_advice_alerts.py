"""Advice alerts (section 6): due within 7 days and overdue remind the partner service's current
members and its shared mailbox; 14 days overdue escalates to the caseworker's manager. Exactly
once per request and level, over frozen dates."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from advice_requests.memberships import membership_remove
from notifications.advice_alerts import ESCALATE_AFTER_DAYS, advice_owing_alerts
from notifications.delivery import deliver_pending
from notifications.models import EmailStatus, Kind, LineManager, Notification
from tests.advice_requests.factories import (
    PartnerServiceFactory,
    advice_in_status,
    assessing_case,
    make_advice,
    partner,
)
from tests.cases.factories import caseworker, manager

from .factories import sweep

pytestmark = pytest.mark.django_db
D = datetime.date
#: make_advice requests on 1 October 2026: due 12 November 2026 (reg 8(1), 6 weeks).
DUE = D(2026, 11, 12)
MAILBOX = "speech.therapy@example.invalid"


def _told(advice, **filters):
    return sorted(
        Notification.objects.filter(
            object_type="advice_request", object_id=str(advice.pk), **filters
        ).values_list("level", "recipient_key")
    )


@pytest.fixture
def salt():
    """A service with two current members, one leaver and a shared mailbox."""
    service = PartnerServiceFactory(contact_email=MAILBOX)
    members = [partner(service), partner(service)]
    leaver = partner(service)
    membership_remove(actor=manager(), service=service, user=leaver, today=D(2026, 10, 2))
    return service, members, leaver


def _managers():
    return sorted(
        f"user:{pk}"
        for pk in get_user_model()
        .objects.filter(groups__name="manager")
        .values_list("pk", flat=True)
    )


def test_due_soon_overdue_and_escalated_each_alert_once(salt):
    service, (first, second), leaver = salt
    advice = make_advice(service=service)
    sweep(DUE - datetime.timedelta(days=8))
    assert _told(advice) == []

    sweep(DUE - datetime.timedelta(days=7))  # due within 7 days
    expected_soon = [
        ("due_soon", f"mailbox:{MAILBOX}"),
        ("due_soon", f"user:{first.pk}"),
        ("due_soon", f"user:{second.pk}"),
    ]
    assert _told(advice) == expected_soon
    sweep(DUE - datetime.timedelta(days=7))
    sweep(DUE)  # still due soon (due today): nothing new
    assert _told(advice) == expected_soon

    sweep(DUE + datetime.timedelta(days=1))  # overdue
    overdue = [(level, key) for level, key in _told(advice) if level == "overdue"]
    assert overdue == [
        ("overdue", f"mailbox:{MAILBOX}"),
        ("overdue", f"user:{first.pk}"),
        ("overdue", f"user:{second.pk}"),
    ]
    sweep(DUE + datetime.timedelta(days=ESCALATE_AFTER_DAYS - 1))
    assert not _told(advice, level="escalated")

    sweep(DUE + datetime.timedelta(days=ESCALATE_AFTER_DAYS))  # 14 days overdue
    # No line manager recorded for the caseworker: every manager (decision 0031).
    assert _told(advice, level="escalated") == [("escalated", key) for key in _managers()]
    sweep(DUE + datetime.timedelta(days=ESCALATE_AFTER_DAYS))
    sweep(DUE + datetime.timedelta(days=40))
    assert len(_told(advice)) == 6 + len(_managers())
    assert not Notification.objects.filter(recipient=leaver).exists()
    assert advice.pk not in {row["pk"] for row in advice_owing_alerts(D(2026, 12, 22))}


def test_the_message_says_what_is_due_and_when_and_links_to_the_request(salt):
    service, (first, _), _ = salt
    advice = make_advice(service=service)
    sweep(D(2026, 11, 9))
    note = Notification.objects.get(recipient=first, object_id=str(advice.pk))
    assert note.kind == Kind.ADVICE_DUE_SOON
    assert note.subject == (
        f"Case {advice.case.reference}: medical advice due 12 November 2026, 3 days"
    )
    assert note.link == f"/advice/{advice.pk}/"
    assert note.due_on == DUE
    assert note.case_id == advice.case_id


def test_the_mailbox_is_emailed_once_per_alert_and_has_no_inbox(salt):
    service, _, _ = salt
    advice = make_advice(service=service)
    sweep(DUE - datetime.timedelta(days=2))
    sweep(DUE + datetime.timedelta(days=3))
    sweep(DUE + datetime.timedelta(days=3))
    deliver_pending()
    to_mailbox = [email for email in mail.outbox if email.to == [MAILBOX]]
    assert len(to_mailbox) == 2
    assert sorted(email.subject.split(":")[0] for email in to_mailbox) == [
        "Case " + advice.case.reference,
        "Overdue",
    ]
    assert not Notification.objects.filter(
        recipient_key=f"mailbox:{MAILBOX}", recipient__isnull=False
    ).exists()


def test_escalation_goes_to_the_recorded_line_manager_only(salt):
    service, _, _ = salt
    worker, own, other = caseworker(), manager(), manager()
    LineManager.objects.create(caseworker=worker, manager=own)
    advice = make_advice(case=assessing_case(actor=worker), service=service)
    sweep(DUE + datetime.timedelta(days=ESCALATE_AFTER_DAYS + 2))
    assert _told(advice, level="escalated") == [("escalated", f"user:{own.pk}")]
    escalation = Notification.objects.get(recipient=own, object_id=str(advice.pk))
    assert escalation.kind == Kind.ADVICE_ESCALATED
    assert escalation.link == f"/cases/{advice.case.reference}/"
    assert escalation.email_status == EmailStatus.PENDING
    assert not Notification.objects.filter(recipient=other, object_type="advice_request").exists()
    # First seen 16 days overdue: the service is still told it is overdue (once).
    assert [level for level, _ in _told(advice)].count("overdue") == 3


def test_the_familys_views_remind_the_caseworker():
    worker = caseworker()
    case = assessing_case(actor=worker)
    sweep(DUE + datetime.timedelta(days=1))
    parent_views = case.advice_requests.get(kind="parent_views")
    assert _told(parent_views) == [("overdue", f"user:{worker.pk}")]
    note = Notification.objects.get(object_id=str(parent_views.pk))
    assert note.link == f"/cases/{case.reference}/"
    assert "the SEN team (the family's views)" in note.body


@pytest.mark.parametrize("status", ["cancelled", "declined", "submitted"])
def test_ended_advice_never_alerts(status):
    advice = advice_in_status(status)
    for day in (DUE - datetime.timedelta(days=3), DUE + datetime.timedelta(days=1), D(2027, 1, 1)):
        sweep(day)
    assert _told(advice) == []


def test_returned_advice_is_owed_again_and_alerts_when_overdue():
    advice = advice_in_status("returned")
    sweep(DUE + datetime.timedelta(days=1))
    assert {level for level, _ in _told(advice)} == {"overdue"}


def test_an_unchanged_advice_sweep_is_one_query(salt, django_assert_num_queries):
    service, _, _ = salt
    for _ in range(3):
        make_advice(service=service)
    today = DUE + datetime.timedelta(days=ESCALATE_AFTER_DAYS)
    sweep(today)
    assert advice_owing_alerts(today) == []
    with django_assert_num_queries(1):
        advice_owing_alerts(today)
