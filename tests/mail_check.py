"""The suite's check that no email names a child (sections 6 and 11: an email leaves the
council's systems, so no email to staff, a partner service or a family ever carries a child's
name). tests/conftest.py runs it after every test over every message the test sent, so every
message sent anywhere in the suite is checked, not only those a test looks at."""

from django.core import mail

from cases.models import Child
from notifications import texts


class _AsEmail:
    def __init__(self, text):
        self.subject = f"Text to {text.to}: {text.body}"
        self.body = text.body


def _text(message) -> str:
    parts = [message.subject, message.body]
    for alternative, _mimetype in getattr(message, "alternatives", []):
        parts.append(str(alternative))
    return "\n".join(str(part) for part in parts)


def emails_naming_a_child(messages=None) -> list[str]:
    """The subjects of the messages that name a child held in the database (the emails and the
    text messages the test sent: a text is checked as a message whose subject is its body)."""
    if messages is None:
        messages = [*mail.outbox, *(_AsEmail(text) for text in texts.outbox)]
    if not messages:
        return []
    try:
        names = [
            f"{first} {last}"
            for first, last in Child.objects.values_list("first_name", "last_name")
        ]
    except RuntimeError:  # a test without database access has no children either
        return []
    return [
        f"{message.subject!r} names {name}"
        for message in messages
        for name in names
        if name in _text(message)
    ]
