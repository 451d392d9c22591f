"""Agenda published (section 5: "publishing sends members their papers"): every active member of
the panel, and its chair, is told once per meeting (decision 0034).

Registered on `panels.services.AGENDA_PUBLISHED_HOOKS`, which run inside `agenda_publish`'s
transaction, so the alerts are recorded with the publication or not at all (a transactional
outbox). The unique key is kind + meeting + recipient: publishing cannot alert anyone twice.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from panels.models import ItemStatus, PanelMeeting

from .models import Kind
from .selectors import Recipient
from .services import Alert, alerts_record

OBJECT_TYPE = "panel_meeting"


def panel_meeting_path(meeting_id: int) -> str:
    return settings.EHC_PANEL_MEETING_URL_PATH.format(id=meeting_id)


def panel_recipients(meeting: PanelMeeting) -> list[Recipient]:
    """The panel's active members and its chair, if their accounts are active: one query."""
    rows = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(panel_memberships__panel_id=meeting.panel_id, panel_memberships__is_active=True)
            | Q(pk=meeting.panel.chair_id)
        )
        .values_list("pk", "email")
        .order_by("pk")
        .distinct()
    )
    return [Recipient(key=f"user:{pk}", user_id=pk, email=email or "") for pk, email in rows]


def agenda_published_notify(*, meeting_id: int) -> int:
    """Tell the panel its agenda is out: which meeting, when, and how many cases (never which
    children: the email names none)."""
    meeting = PanelMeeting.objects.select_related("panel").get(pk=meeting_id)
    items = meeting.items.filter(status=ItemStatus.LISTED).count()
    context = {
        "panel": meeting.panel.name,
        "meeting_on": meeting.date,
        "items": items,
        "link": panel_meeting_path(meeting.pk),
    }
    return alerts_record(
        alerts=[
            Alert(
                kind=Kind.AGENDA_PUBLISHED,
                object_type=OBJECT_TYPE,
                object_id=str(meeting.pk),
                milestone=meeting.date.isoformat(),
                level="",
                recipient=recipient,
                context=context,
                due_on=meeting.date,
            )
            for recipient in panel_recipients(meeting)
        ],
        now=meeting.published_at,
    )
