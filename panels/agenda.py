"""Building an agenda and the chair's edits to it, until it is published (section 5)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from audit.services import audit_record
from cases.models import Case
from cases.services import cases_mark_rolled_off_agenda

from . import errors
from .eligibility import (
    assessment_candidates,
    assessment_panel_type,
    candidate_rows,
    statutory_candidates,
)
from .models import (
    CASE_STATUS_FOR_PANEL_TYPE,
    OPEN_MEETING_STATUSES,
    AgendaItem,
    ItemSource,
    ItemStatus,
    MeetingStatus,
    PanelMeeting,
    PanelType,
    is_chair_or_manager,
)


def next_meeting(meeting: PanelMeeting) -> PanelMeeting | None:
    """The panel's next meeting whose agenda can still take items."""
    return (
        PanelMeeting.objects.filter(
            panel_id=meeting.panel_id, date__gt=meeting.date, status=MeetingStatus.SCHEDULED
        )
        .select_related("panel")
        .order_by("date")
        .first()
    )


def _lock_editable(meeting: PanelMeeting) -> PanelMeeting:
    meeting = PanelMeeting.objects.select_for_update().select_related("panel").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise errors.PanelConflictError(errors.AGENDA_FROZEN)
    return meeting


def _check_chair(meeting: PanelMeeting, actor) -> None:
    if actor is not None and not is_chair_or_manager(meeting, actor):
        raise errors.PanelForbiddenError(errors.CHAIR_ONLY)


def _candidates(meeting: PanelMeeting, following: PanelMeeting | None):
    """Cases this build may list: eligible for the panel, on no open agenda, and never on this
    one (a case the chair removed stays off). A queryset: nothing is read yet."""
    panel_type = meeting.panel.panel_type
    if panel_type == PanelType.STATUTORY:
        following_date = following.date if following else meeting.date + datetime.timedelta(7)
        candidates = statutory_candidates(following_date)
    else:
        candidates = assessment_candidates(panel_type, meeting.date)
    return candidates.exclude(Exists(meeting.items.filter(case=OuterRef("pk"))))


def _next_position(meeting: PanelMeeting) -> int:
    return (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1


def _fill(meeting: PanelMeeting, following: PanelMeeting | None):
    """(room left, next position) on the meeting's agenda and on the following one's, in one
    query; (0, 0) for no following meeting."""
    fill = {
        meeting_id: (listed, last)
        for meeting_id, listed, last in AgendaItem.objects.filter(
            meeting__in=[m for m in (meeting, following) if m is not None]
        )
        .values("meeting_id")
        .annotate(listed=Count("pk", filter=Q(status=ItemStatus.LISTED)), last=Max("position"))
        .values_list("meeting_id", "listed", "last")
    }

    def room_and_position(m: PanelMeeting | None) -> tuple[int, int]:
        if m is None:
            return 0, 0
        listed, last = fill.get(m.pk, (0, 0))
        return max(m.panel.capacity - listed, 0), last + 1

    return room_and_position(meeting), room_and_position(following)


def _items(meeting: PanelMeeting | None, candidates, start: int, source: str) -> list[AgendaItem]:
    return [
        AgendaItem(
            meeting=meeting,
            case_id=candidate.case_id,
            position=start + offset,
            source=source,
            advice_incomplete=candidate.advice_incomplete,
        )
        for offset, candidate in enumerate(candidates)
    ]


@transaction.atomic
def agenda_build(*, meeting: PanelMeeting, actor=None) -> PanelMeeting:
    """Fill the agenda by due date then date received, up to capacity (section 5).

    Idempotent: items already on the agenda (and items the chair removed) stay as they are, and
    only newly eligible cases are appended, so building twice gives the same agenda and keeps
    the chair's changes. Cases beyond capacity become at risk and, as far as the next meeting
    has room, are listed there now; the rest lead the next build, being the most urgent.

    Reads only this agenda's room, the next one's and one meeting's capacity beyond both
    (decisions 0074 and 0165), and marks the cases it read beyond this agenda's room, by
    primary key: its cost does not grow with the backlog.
    """
    meeting = _lock_editable(meeting)
    _check_chair(meeting, actor)
    following = next_meeting(meeting)
    (room, position), (following_room, following_position) = _fill(meeting, following)
    candidates = _candidates(meeting, following)
    listable = room + following_room
    # One meeting's worth beyond both agendas: the cases that cannot fit either. The queue moves
    # by about a meeting's capacity a week, so every waiting case passes through a build's
    # reading before it is listed (decision 0165).
    limit = listable + meeting.panel.capacity
    chosen = candidate_rows(meeting.panel.panel_type, candidates, limit, on=following, ask=listable)
    added, overflow = chosen[:room], chosen[room:listable]
    # A case the chair took off the next agenda is not put back on it (it leads a later build).
    rolled = [c for c in overflow if not c.on_meeting]
    # Both agendas' new items in one INSERT.
    AgendaItem.objects.bulk_create(
        _items(meeting, added, position, ItemSource.BUILT)
        + _items(following, rolled, following_position, ItemSource.ROLLED_OVER)
    )
    # Every case read beyond this agenda's room did not fit it: marked at risk (only those not
    # already marked are written), whether it rolls over now or finds no room there either.
    marked = cases_mark_rolled_off_agenda(case_ids=[c.case_id for c in chosen[room:]])
    if not added and not rolled and not marked and meeting.agenda_built_at is not None:
        return meeting  # nothing changed: a rebuild writes nothing (safe to run hourly)
    meeting.agenda_built_at = timezone.now()
    meeting.save(update_fields=["agenda_built_at"])
    audit_record(
        actor=actor,
        verb="panel.agenda_built",
        target=meeting,
        payload={
            "added": [c.case_id for c in added],
            "rolled_over": [c.case_id for c in rolled],
            "rolled_to": following.pk if rolled else None,
            "marked_at_risk": marked,
        },
    )
    return meeting


@transaction.atomic
def agenda_item_add(*, actor, meeting: PanelMeeting, case: Case) -> AgendaItem:
    """The chair adds a case by hand: it must be at the stage this panel decides, and not on
    another open agenda (a case never sits on two)."""
    meeting = _lock_editable(meeting)
    _check_chair(meeting, actor)
    case = Case.objects.select_for_update().select_related("child").get(pk=case.pk)
    panel_type = meeting.panel.panel_type
    wrong_panel = panel_type != PanelType.STATUTORY and (
        assessment_panel_type(case.child.date_of_birth, case.received_on) != panel_type
    )
    if case.status != CASE_STATUS_FOR_PANEL_TYPE[panel_type] or wrong_panel:
        raise errors.PanelConflictError(
            errors.CASE_NOT_ELIGIBLE.format(
                reference=case.reference,
                status=case.get_status_display(),
                panel=meeting.panel.get_panel_type_display(),
            )
        )
    elsewhere = (
        AgendaItem.objects.filter(
            case=case, status=ItemStatus.LISTED, meeting__status__in=OPEN_MEETING_STATUSES
        )
        .exclude(meeting=meeting)
        .select_related("meeting__panel")
        .first()
    )
    if elsewhere is not None:
        raise errors.PanelConflictError(
            errors.CASE_ON_ANOTHER_AGENDA.format(
                reference=case.reference, meeting=elsewhere.meeting
            )
        )
    item = meeting.items.filter(case=case).first()
    if item is not None and item.status != ItemStatus.REMOVED:
        raise ValidationError(
            {"case": errors.CASE_ALREADY_ON_THIS_AGENDA.format(reference=case.reference)}
        )
    if item is not None:
        item.restore()
        item.position = _next_position(meeting)
        item.save()
    else:
        item = AgendaItem.objects.create(
            meeting=meeting,
            case=case,
            position=_next_position(meeting),
            source=ItemSource.CHAIR,
        )
    audit_record(actor=actor, verb="panel.item_added", target=item, case=case)
    return item


@transaction.atomic
def agenda_item_add_by_reference(*, actor, meeting: PanelMeeting, reference: str) -> AgendaItem:
    """The chair types a case reference. The chair check comes first, so nobody else learns
    from the answer whether a reference exists."""
    _check_chair(meeting, actor)
    case = Case.objects.filter(reference=(reference or "").strip().upper()).first()
    if case is None:
        raise ValidationError({"case": errors.NO_SUCH_CASE.format(reference=reference)})
    return agenda_item_add(actor=actor, meeting=meeting, case=case)


def case_moved_on(panel_type: str, case: Case) -> bool:
    """The case is no longer at the stage this panel decides (withdrawn, or decided elsewhere
    since it was listed): the panel can no longer decide it."""
    return case.status != CASE_STATUS_FOR_PANEL_TYPE[panel_type]


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem, reason: str = "") -> AgendaItem:
    """Until the agenda is published the chair removes any listed item; after it, only an
    item whose case has moved on (nothing is left for the panel to decide)."""
    meeting = (
        PanelMeeting.objects.select_for_update().select_related("panel").get(pk=item.meeting_id)
    )
    _check_chair(meeting, actor)
    item = AgendaItem.objects.select_for_update().select_related("case").get(pk=item.pk)
    if meeting.status == MeetingStatus.PUBLISHED:
        if not case_moved_on(meeting.panel.panel_type, item.case):
            raise errors.PanelConflictError(errors.ITEM_NOT_MOVED_ON)
    elif meeting.status != MeetingStatus.SCHEDULED:
        raise errors.PanelConflictError(errors.AGENDA_FROZEN)
    if item.status != ItemStatus.LISTED:
        raise errors.PanelConflictError(errors.ITEM_ALREADY_DECIDED)
    item.remove()
    item.save()
    audit_record(actor=actor, verb="panel.item_removed", target=item, case=item.case, reason=reason)
    if meeting.status == MeetingStatus.PUBLISHED:
        close_when_done(meeting, actor)
    return item


def close_when_done(meeting: PanelMeeting, actor) -> None:
    """Decision 0050: a published meeting closes itself when no listed item is left."""
    if meeting.items.filter(status=ItemStatus.LISTED).exists():
        return
    meeting.close()
    meeting.save()
    audit_record(
        actor=actor,
        verb="panel.meeting_closed",
        target=meeting,
        from_state=MeetingStatus.PUBLISHED,
        to_state=MeetingStatus.CLOSED,
    )


@transaction.atomic
def agenda_reorder(*, actor, meeting: PanelMeeting, item_ids: list[int]) -> PanelMeeting:
    """The chair's order: every listed item exactly once, first to last."""
    meeting = _lock_editable(meeting)
    _check_chair(meeting, actor)
    items = {item.pk: item for item in meeting.items.filter(status=ItemStatus.LISTED)}
    if sorted(item_ids) != sorted(items) or len(set(item_ids)) != len(item_ids):
        raise ValidationError({"items": errors.REORDER_MISMATCH})
    for position, item_id in enumerate(item_ids, start=1):
        items[item_id].position = position
    AgendaItem.objects.bulk_update(items.values(), ["position"])
    audit_record(
        actor=actor, verb="panel.agenda_reordered", target=meeting, payload={"order": item_ids}
    )
    return meeting
