"""Reads for the inbox and for choosing who is told. Each costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import CharField, Exists, Func, OuterRef, QuerySet
from django.db.models.functions import Cast

from cases.roles import Role

from .models import EmailOptOut, LineManager, Notification


@dataclass(frozen=True)
class Recipient:
    """Who an alert goes to: a user (inbox and email) or a shared mailbox (email); `mobile`
    (+447...) where a family member's mobile number is on record, for texts (decision 0175)."""

    key: str
    user_id: int | None
    email: str
    name: str = ""
    mobile: str = ""


class Joined(Func):
    """`a || b || ...`: a milestone key built in SQL without Concat's COALESCE wrappers (which
    cost the anti-join its index on the notification's unique key)."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = CharField()


def as_text(expression):
    return Cast(expression, output_field=CharField())


def recorded(*, kind: str, object_type: str, level: str, milestone=None) -> Exists:
    """A notification of this kind and level (and milestone, where the key has one: advice
    alerts once per level, ever) already recorded for the outer row, for anyone: the sweep
    sources' anti-join, on the prefix of the unique key's index."""
    key = {"milestone": milestone} if milestone is not None else {}
    return Exists(
        Notification.objects.filter(
            kind=kind,
            object_type=object_type,
            # Notification.object_id is text: compare it with the row's id as text.
            object_id=as_text(OuterRef("pk")),
            level=level,
            **key,
        )
    )


def _recipient(user_id: int, email: str, name: str = "") -> Recipient:
    return Recipient(key=f"user:{user_id}", user_id=user_id, email=email or "", name=name)


def users_as_recipients(user_ids) -> dict[int, Recipient]:
    """Active users by id; inactive staff are not told (their cases show as theirs until
    reassigned, and their manager is still told when a case is overdue)."""
    rows = (
        get_user_model()
        .objects.filter(pk__in=set(user_ids), is_active=True)
        .values_list("pk", "email", "first_name", "last_name", "username")
    )
    return {
        pk: _recipient(pk, email, f"{first} {last}".strip() or username)
        for pk, email, first, last, username in rows
    }


def managers() -> list[Recipient]:
    """Every active user holding the manager role (section 8)."""
    rows = (
        get_user_model()
        .objects.filter(groups__name=Role.MANAGER, is_active=True)
        .values_list("pk", "email")
        .order_by("pk")
        .distinct()
    )
    return [_recipient(pk, email) for pk, email in rows]


def line_managers() -> dict[int, Recipient]:
    """caseworker id -> their recorded (active) manager."""
    rows = LineManager.objects.filter(manager__is_active=True).values_list(
        "caseworker_id", "manager_id", "manager__email"
    )
    return {caseworker: _recipient(pk, email) for caseworker, pk, email in rows}


def email_opt_outs(user_ids) -> set[tuple[int, str]]:
    return set(EmailOptOut.objects.filter(user_id__in=set(user_ids)).values_list("user_id", "kind"))


def inbox(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """A user's notifications, newest first (one query; no child data is read: the case and
    child are joined only to leave out those about a child restricted for retention). The text
    is rendered from each row's kind and context when read (decision 0072)."""
    notifications = (
        Notification.objects.for_user(user)
        .not_restricted()
        .only(
            "pk",
            "kind",
            "context",
            "stored_subject",
            "stored_body",
            "link",
            "due_on",
            "created_at",
            "read_at",
        )
    )
    return notifications.unread() if unread_only else notifications


def unread_count(*, user) -> int:
    return Notification.objects.for_user(user).not_restricted().unread().count()


def own_notification(*, user, notification_id) -> Notification | None:
    """The user's own notification, or None: someone else's is indistinguishable from none."""
    return Notification.objects.for_user(user).not_restricted().filter(pk=notification_id).first()
