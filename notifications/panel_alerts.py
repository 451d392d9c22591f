"""Panel members get their papers: when a chair publishes an agenda (panels.services'
AGENDA_PUBLISHED_HOOKS, called on commit), each member of the panel is told, once per meeting.
The message names the panel, the day and how many cases: never a child (section 6)."""

from __future__ import annotations

from django.urls import reverse

from panels.models import ItemStatus, PanelMeeting

from .models import Kind
from .selectors import users_as_recipients
from .services import Alert, alerts_record


def agenda_published_notify(*, meeting_id: int) -> int:
    meeting = PanelMeeting.objects.select_related("panel").get(pk=meeting_id)
    member_ids = set(
        meeting.panel.memberships.filter(is_active=True).values_list("user_id", flat=True)
    )
    member_ids.add(meeting.panel.chair_id)
    member_ids.discard(meeting.published_by_id)  # the chair who published has the papers
    context = {
        "panel": meeting.panel.name,
        "meeting_on": meeting.date,
        "items": meeting.items.filter(status=ItemStatus.LISTED).count(),
        "link": reverse("panels:meeting", kwargs={"meeting_id": meeting.pk}),
    }
    alerts = [
        Alert(
            kind=Kind.AGENDA_PUBLISHED,
            object_type="panel_meeting",
            object_id=str(meeting.pk),
            milestone="published",
            level="",
            recipient=recipient,
            context=context,
            due_on=meeting.date,
        )
        for recipient in users_as_recipients(member_ids).values()
    ]
    return alerts_record(alerts=alerts)
