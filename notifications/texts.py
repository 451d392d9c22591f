"""Text messages (issue 16 item 4: "where the council sets it up, a text message through GOV.UK
Notify"). A text is one more way the same notification is delivered, not a message of its own:
the outbox row that holds a family's email also holds the mobile number and the text's delivery
state, and delivery.py sends both (decision 0175).

Off unless the council switches it on (`EHC_TEXT_MESSAGES`). Only messages to families are
texted; the text is rendered from the row's kind and context like the email (never the child's
name, needs or reasons: the context has none), from `notifications/text/<kind>.txt`.

Backends, chosen by `EHC_TEXT_BACKEND` as Django chooses an email backend: GOV.UK Notify
(production), the console (local) and an in-memory outbox (tests: nothing reaches the internet).
django-gov-notify only sends email, so the Notify backend calls the client it is built on
(notifications-python-client) with one text template whose whole content is `((message))`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from .kinds import FAMILY_KINDS

#: A UK mobile number, once spaces, brackets and hyphens are gone: 07, +447 or 00447, 9 more.
UK_MOBILE = re.compile(r"^(?:07|\+447|00447)(\d{9})$")


def mobile_number(phone: str) -> str:
    """The number to text, as +447..., or "" when `phone` is not a UK mobile (a landline, an
    overseas number or nothing): a text to a landline would only fail at Notify (decision 0175)."""
    digits = re.sub(r"[\s()\-]", "", phone or "")
    found = UK_MOBILE.match(digits)
    return f"+447{found.group(1)}" if found else ""


def texts_on() -> bool:
    return bool(settings.EHC_TEXT_MESSAGES)


def texted(kind: str) -> bool:
    """Whether a notification of this kind is texted when the recipient has a mobile number."""
    return texts_on() and kind in FAMILY_KINDS


def render_text(kind: str, context: dict) -> str:
    """The text: what happened, its date, the reference and the portal link, in one line."""
    from .messages import absolute_url

    text = render_to_string(
        f"notifications/text/{kind}.txt",
        {**context, "url": absolute_url(context.get("link", ""))},
    )
    return " ".join(text.split())


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str
    reference: str


class NotifyTextBackend:
    """Sends through GOV.UK Notify: GOVUK_NOTIFY_API_KEY and EHC_NOTIFY_TEXT_TEMPLATE_ID (a text
    template holding only `((message))`), and optionally EHC_NOTIFY_SMS_SENDER_ID."""

    def __init__(self):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(settings.GOVUK_NOTIFY_API_KEY)

    def send_text(self, message: TextMessage) -> None:
        self.client.send_sms_notification(
            phone_number=message.to,
            template_id=settings.EHC_NOTIFY_TEXT_TEMPLATE_ID,
            personalisation={"message": message.body},
            reference=message.reference,
            sms_sender_id=settings.EHC_NOTIFY_SMS_SENDER_ID or None,
        )


class ConsoleTextBackend:
    """Prints each text (for `make run` with texts switched on): nothing leaves the machine."""

    def send_text(self, message: TextMessage) -> None:
        sys.stdout.write(f"Text to {message.to} ({message.reference}): {message.body}\n")
        sys.stdout.flush()


#: The texts the in-memory backend "sent", as django.core.mail.outbox holds emails.
outbox: list[TextMessage] = []


class LocmemTextBackend:
    """Keeps each text in `outbox` (the test settings' backend)."""

    def send_text(self, message: TextMessage) -> None:
        outbox.append(message)


def text_backend():
    return import_string(settings.EHC_TEXT_BACKEND)()


def check_text_settings(app_configs=None, **kwargs):
    """With texts on through Notify, refuse to start without the key and the template id, so
    the first family message does not fail five times and park before anyone notices."""
    from django.core.checks import Error

    if not texts_on() or settings.EHC_TEXT_BACKEND != "notifications.texts.NotifyTextBackend":
        return []
    return [
        Error(
            f"EHC_TEXT_MESSAGES is on but {name} is empty.",
            hint="Set it, or switch texts off (EHC_TEXT_MESSAGES=false). See docs/operations.md.",
            id="notifications.E001",
        )
        for name in ("GOVUK_NOTIFY_API_KEY", "EHC_NOTIFY_TEXT_TEMPLATE_ID")
        if not getattr(settings, name)
    ]
