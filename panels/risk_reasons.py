"""Which full agenda a case rolled off (issue 14: "At risk" says each reason), for the case
page's risk reasons (registered in PanelsConfig.ready through cases.risk_reasons)."""

from __future__ import annotations

from .models import AgendaItem, ItemSource, PanelMeeting


def rolled_off_reason(*, case, today) -> list[str]:
    """Two queries for a case that rolled off a full agenda (the item it was rolled over to,
    and the meeting before it); none for any other case."""
    if not case.rolled_off_agenda:
        return []
    item = (
        AgendaItem.objects.filter(case=case, source=ItemSource.ROLLED_OVER)
        .select_related("meeting__panel")
        .order_by("-meeting__date")
        .first()
    )
    if item is None:
        return ["It rolled off a full panel agenda."]
    meeting = item.meeting
    full = (
        PanelMeeting.objects.filter(panel=meeting.panel, date__lt=meeting.date)
        .order_by("-date")
        .first()
    )
    moved_to = meeting.date.strftime("%-d %B %Y")
    if full is None:
        return [
            f"It rolled off a full agenda of the {meeting.panel.name}: now listed for {moved_to}."
        ]
    return [
        f"It rolled off the full agenda of the {meeting.panel.name} on "
        f"{full.date:%-d %B %Y}: now listed for {moved_to}."
    ]
