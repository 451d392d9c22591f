"""Issue 16 item 4: where the council switches them on, each family message also goes as a text
through the same outbox row, with the same retries; never with the child's name; never over the
network in tests (the in-memory text backend)."""

import datetime

import pytest
from django.core import mail

from families.messages import family_message
from notifications import texts
from notifications.delivery import deliver_pending
from notifications.kinds import FAMILY_KINDS, Kind
from notifications.models import Notification, TextStatus
from notifications.services import notifications_retry_parked
from tests.cases.factories import ChildFactory, make_case

from .factories import parent_of

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 3, 3)
DUE = datetime.date(2026, 3, 17)


def every_family_event(case):
    """One message of each family kind (the hooks and the sweep call family_message/_alerts
    with these; tests/families/test_messages.py drives the hooks themselves)."""
    for kind in sorted(FAMILY_KINDS):
        due_on = DUE if kind in (Kind.FAMILY_DRAFT_READY, Kind.FAMILY_COMMENT_REMINDER) else None
        family_message(case=case, kind=kind, on=ON, today=ON, due_on=due_on)


def family_with_phones():
    child = ChildFactory(first_name="Zebedee", last_name="Quirke")
    with_email = parent_of(child, name="Alex Parent", email="alex@example.invalid")
    with_email.phone = "07700 900 982"
    with_email.save()
    text_only = parent_of(child, name="Sam Parent")
    text_only.email, text_only.phone = "", "+44 (0)7700-900123".replace("(0)", "")
    text_only.save()
    landline = parent_of(child, name="Lee Parent", email="lee@example.invalid")
    landline.phone = "01632 960 001"
    landline.save()
    return make_case(child=child)


@pytest.mark.parametrize(
    ("phone", "mobile"),
    [
        ("07700 900 982", "+447700900982"),
        ("+44 7700 900982", "+447700900982"),
        ("0044 (7700) 900-982", "+447700900982"),
        ("01632 960 001", ""),
        ("+33 6 12 34 56 78", ""),
        ("", ""),
    ],
)
def test_only_uk_mobile_numbers_are_texted(phone, mobile):
    assert texts.mobile_number(phone) == mobile


def test_switched_on_each_event_is_texted_once_to_each_mobile_without_the_childs_name(settings):
    settings.EHC_TEXT_MESSAGES = True
    case = family_with_phones()
    every_family_event(case)
    every_family_event(case)  # recorded once per event and recipient
    result = deliver_pending()
    assert result.texts_sent == 2 * len(FAMILY_KINDS)
    assert deliver_pending().texts_sent == 0  # delivered once
    assert result.sent == 2 * len(FAMILY_KINDS)  # the emails: Alex and Lee, not Sam
    by_number = {}
    for text in texts.outbox:
        by_number.setdefault(text.to, []).append(text.body)
    assert sorted(by_number) == ["+447700900123", "+447700900982"]
    for body in texts.outbox:
        body = body.body
        assert case.reference in body
        assert f"/family/requests/{case.reference}/" in body
        assert "3 March 2026" in body or "17 March 2026" in body
        assert len(body) <= 160 + 60  # one or two text fragments, with the link
        for private in ("Zebedee", "Quirke", "Alex", "Sam"):
            assert private not in body
    sent = Notification.objects.filter(text_status=TextStatus.SENT)
    assert sent.count() == 2 * len(FAMILY_KINDS)
    assert all(row.texted_at is not None for row in sent)


def test_switched_off_nothing_is_texted_and_a_text_only_parent_is_not_told(settings):
    assert settings.EHC_TEXT_MESSAGES is False  # the default
    case = family_with_phones()
    every_family_event(case)
    assert not Notification.objects.exclude(text_status=TextStatus.NOT_SENT).exists()
    assert not Notification.objects.filter(recipient_key__startswith="mobile:").exists()
    result = deliver_pending()
    assert (result.sent, result.texts_sent) == (2 * len(FAMILY_KINDS), 0)
    assert texts.outbox == []


def test_staff_alerts_are_never_texted(settings):
    settings.EHC_TEXT_MESSAGES = True
    from notifications.selectors import Recipient
    from notifications.services import Alert, alerts_record

    staff = Recipient(key="user:0", user_id=None, email="s@example.invalid", mobile="+447700900982")
    alerts_record(
        alerts=[
            Alert(Kind.CASE_OVERDUE, "case", "1", "x@2026-01-01", "", staff, {"reference": "R"})
        ]
    )
    assert Notification.objects.get().text_status == TextStatus.NOT_SENT


class BrokenNotify:
    """A text backend whose every send fails, as Notify does when its key is wrong."""

    def send_text(self, message):
        raise RuntimeError("403 Forbidden: invalid API key")


def test_a_failed_text_is_retried_then_parked_and_never_holds_up_the_email(settings):
    settings.EHC_TEXT_MESSAGES = True
    settings.EHC_TEXT_BACKEND = "tests.families.test_texts.BrokenNotify"
    settings.EHC_NOTIFICATION_MAX_ATTEMPTS = 2
    child = ChildFactory()
    carer = parent_of(child, email="alex@example.invalid")
    carer.phone = "07700900982"
    carer.save()
    case = make_case(child=child)
    family_message(case=case, kind=Kind.FAMILY_DECISION, on=ON, today=ON)
    first = deliver_pending()
    assert (first.sent, first.texts_failed) == (1, 1)
    row = Notification.objects.get(kind=Kind.FAMILY_DECISION)
    assert row.text_status == TextStatus.PENDING
    assert row.text_attempts == 1
    assert row.text_last_error.startswith("RuntimeError: 403")
    assert deliver_pending().texts_failed == 0  # waiting out its back-off
    later = row.text_next_attempt_at + datetime.timedelta(seconds=1)
    assert deliver_pending(now=later).texts_parked == 1
    row.refresh_from_db()
    assert (row.text_status, row.email_status) == (TextStatus.PARKED, "sent")
    assert len(mail.outbox) == 1  # the email went once, whatever happened to the text
    settings.EHC_TEXT_BACKEND = "notifications.texts.LocmemTextBackend"
    assert notifications_retry_parked(notification_ids=[row.pk]) == 1
    assert deliver_pending().texts_sent == 1
    assert len(mail.outbox) == 1


def test_texts_through_notify_need_the_key_and_template(settings):
    settings.EHC_TEXT_MESSAGES = True
    settings.EHC_TEXT_BACKEND = "notifications.texts.NotifyTextBackend"
    settings.GOVUK_NOTIFY_API_KEY = ""
    settings.EHC_NOTIFY_TEXT_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    assert [e.msg for e in texts.check_text_settings()] == [
        "EHC_TEXT_MESSAGES is on but GOVUK_NOTIFY_API_KEY is empty."
    ]
    settings.EHC_TEXT_MESSAGES = False
    assert texts.check_text_settings() == []


def test_the_notify_backend_sends_the_text_template_with_the_message_and_no_network(settings):
    """The production backend, with Notify's HTTP call replaced: what it would post."""
    service, secret = "26785a09-ab16-4eb0-8407-a37497a57506", "3d844edf-8d35-48ac-975b-e847b4f122b0"
    settings.GOVUK_NOTIFY_API_KEY = f"ehc_test-{service}-{secret}"
    settings.EHC_NOTIFY_TEXT_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    settings.EHC_NOTIFY_SMS_SENDER_ID = ""
    backend = texts.NotifyTextBackend()
    posted = []
    backend.client.post = lambda url, data: posted.append((url, data))
    backend.send_text(texts.TextMessage("+447700900982", "Request R: ready.", "ehc-notification-7"))
    assert posted == [
        (
            "/v2/notifications/sms",
            {
                "phone_number": "+447700900982",
                "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
                "personalisation": {"message": "Request R: ready."},
                "reference": "ehc-notification-7",
            },
        )
    ]
