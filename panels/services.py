"""Meetings, publishing, attendance and decisions (section 5). Every write is atomic, locks
the rows it changes and is audited; a decision moves the case through cases.services."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import has_transition_perm

from audit.services import audit_record
from cases.services import case_transition

from . import errors
from .agenda import close_when_done, next_meeting
from .models import (
    CHAIR,
    OUTCOMES_BY_PANEL_TYPE,
    STATUTORY_QUORUM,
    Agency,
    AgendaItem,
    Attendance,
    DeclineReason,
    ItemSource,
    ItemStatus,
    MeetingStatus,
    Outcome,
    Panel,
    PanelMeeting,
    PanelType,
    is_chair_or_manager,
)
from .schedule import WEEKS_AHEAD, meeting_date, usual_dates

#: Called inside agenda_publish's transaction with the published meeting's id, so what a hook
#: records (the notifications app's alerts) commits with the publication or not at all.
AGENDA_PUBLISHED_HOOKS: list = []


def meetings_generate(*, today: datetime.date, weeks: int = WEEKS_AHEAD) -> int:
    """Create each active panel's meetings for the next `weeks` weeks. Safe to run twice: a
    meeting that exists (or was moved off a bank holiday) is not created again."""
    created = 0
    for panel in Panel.objects.filter(is_active=True):
        existing = set(
            PanelMeeting.objects.filter(panel=panel, date__gte=today).values_list("date", flat=True)
        )
        moved = set(
            PanelMeeting.objects.filter(panel=panel, moved_from__isnull=False).values_list(
                "moved_from", flat=True
            )
        )
        new = []
        for usual in usual_dates(panel.weekday, today, weeks):
            actual = meeting_date(usual, panel.bank_holiday_rule)
            if actual is None or actual in existing or usual in moved:
                continue
            new.append(
                PanelMeeting(
                    panel=panel,
                    date=actual,
                    starts_at=panel.starts_at,
                    moved_from=usual if actual != usual else None,
                )
            )
            existing.add(actual)
        PanelMeeting.objects.bulk_create(new, ignore_conflicts=True)
        created += len(new)
    return created


@transaction.atomic
def agenda_publish(*, actor, meeting: PanelMeeting) -> PanelMeeting:
    """Publishing freezes the agenda and sends members their papers (the hooks record the
    alerts in this transaction; their emails go after commit)."""
    meeting = PanelMeeting.objects.select_for_update().select_related("panel").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise errors.PanelConflictError(errors.AGENDA_FROZEN)
    if not has_transition_perm(meeting.publish, actor):
        raise errors.PanelForbiddenError(errors.CHAIR_ONLY)
    meeting.publish()
    meeting.published_at = timezone.now()
    meeting.published_by = actor
    meeting.save()
    audit_record(
        actor=actor,
        verb="panel.agenda_published",
        target=meeting,
        from_state=MeetingStatus.SCHEDULED,
        to_state=MeetingStatus.PUBLISHED,
        payload={
            "items": list(
                meeting.items.filter(status=ItemStatus.LISTED).values_list("case_id", flat=True)
            )
        },
    )
    for hook in AGENDA_PUBLISHED_HOOKS:
        hook(meeting_id=meeting.pk)
    return meeting


def meeting_people(meeting: PanelMeeting) -> dict[int, str]:
    """Who is expected at the meeting: user id -> the capacity they sit in; the chair first
    (as the chair, unless they also sit for an agency), then the active members."""
    people = {meeting.panel.chair_id: CHAIR}
    for user_id, agency in meeting.panel.memberships.filter(is_active=True).values_list(
        "user_id", "agency"
    ):
        people[user_id] = agency
    return people


@transaction.atomic
def attendance_record(
    *, actor, meeting: PanelMeeting, present_user_ids, apologies_user_ids=()
) -> list[Attendance]:
    """Who was present, who sent apologies (everyone else was absent), by the capacity they sit
    in. At least one person must be present: a meeting nobody attended is not recorded."""
    meeting = PanelMeeting.objects.select_for_update().select_related("panel").get(pk=meeting.pk)
    if not is_chair_or_manager(meeting, actor):
        raise errors.PanelForbiddenError(errors.CHAIR_ONLY)
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.PUBLISHED):
        raise errors.PanelConflictError(errors.MEETING_NOT_OPEN)
    people = meeting_people(meeting)
    present = set(present_user_ids)
    apologies = set(apologies_user_ids)
    unknown = (present | apologies) - set(people)
    if unknown:
        raise ValidationError({"present": errors.NOT_A_MEMBER.format(user=sorted(unknown))})
    if not present:
        raise ValidationError({"present": errors.NOBODY_PRESENT})
    if present & apologies:
        raise ValidationError({"apologies": errors.PRESENT_AND_APOLOGIES})
    rows = [
        Attendance(
            meeting=meeting,
            user_id=user_id,
            agency=agency,
            present=user_id in present,
            apologies=user_id in apologies,
        )
        for user_id, agency in people.items()
    ]
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        verb="panel.attendance_recorded",
        target=meeting,
        payload={"present": sorted(present), "apologies": sorted(apologies)},
    )
    return rows


def quorum_missing(meeting: PanelMeeting) -> set[str]:
    """The agencies a statutory panel still needs present (empty when quorate)."""
    if meeting.panel.panel_type != PanelType.STATUTORY:
        return set()
    present = set(meeting.attendance.filter(present=True).values_list("agency", flat=True))
    return set(STATUTORY_QUORUM) - present


def quorum_missing_words(missing) -> str:
    """ "health and social care": the agencies missing, in the words on the page."""
    labels = [Agency(agency).label.lower() for agency in sorted(missing)]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _decision_reason(reasons: str, decline_reason: DeclineReason | None) -> str:
    if decline_reason is None:
        return reasons
    return f"{decline_reason.text}. {reasons}"


@transaction.atomic
def agenda_item_record_outcome(
    *,
    actor,
    item: AgendaItem,
    outcome: str,
    reasons: str,
    decline_reason: DeclineReason | None = None,
    details: dict | None = None,
    today: datetime.date | None = None,
) -> AgendaItem:
    """Record the panel's decision with its reasons and move the case, dated the meeting day.

    Atomic: if the case cannot move (wrong status, missing advice, permission), nothing about the
    item is saved. A deferral keeps the case where it is and lists it at the next meeting.
    """
    item = (
        AgendaItem.objects.select_for_update()
        .select_related("meeting__panel", "case")
        .get(pk=item.pk)
    )
    meeting = item.meeting
    panel = meeting.panel
    today = today or timezone.localdate()
    if not is_chair_or_manager(meeting, actor):
        raise errors.PanelForbiddenError(errors.CHAIR_ONLY)
    if meeting.status != MeetingStatus.PUBLISHED:
        raise errors.PanelConflictError(errors.MEETING_NOT_PUBLISHED)
    if item.status != ItemStatus.LISTED:
        raise errors.PanelConflictError(errors.ITEM_ALREADY_DECIDED)
    if outcome not in OUTCOMES_BY_PANEL_TYPE[panel.panel_type]:
        raise ValidationError(
            {
                "outcome": errors.OUTCOME_NOT_FOR_PANEL.format(
                    panel=panel.get_panel_type_display(), outcome=outcome
                )
            }
        )
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": errors.REASONS_REQUIRED})
    is_decline = outcome in (Outcome.DECLINE_TO_ASSESS, Outcome.DECLINE_TO_ISSUE)
    if is_decline and decline_reason is None:
        raise ValidationError({"decline_reason": errors.DECLINE_REASON_REQUIRED})
    if meeting.date > today:
        raise ValidationError({"outcome": errors.MEETING_IN_FUTURE.format(date=meeting.date)})
    missing = quorum_missing(meeting)
    if missing:
        names = quorum_missing_words(missing)
        raise errors.PanelConflictError(errors.NO_QUORUM.format(missing=names))

    if outcome == Outcome.DEFER:
        _defer(item, actor=actor)
    else:
        case_transition(
            actor=actor,
            case=item.case,
            transition=outcome,
            effective_date=meeting.date,
            reason=_decision_reason(reasons, decline_reason if is_decline else None),
            today=today,
            payload={"panel_meeting": meeting.pk, "agenda_item": item.pk},
            details=details,
        )
        item.decide()
    item.outcome = outcome
    item.reasons = reasons
    item.decline_reason = decline_reason if is_decline else None
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save()
    audit_record(
        actor=actor,
        verb="panel.outcome_recorded",
        target=item,
        case=item.case,
        effective_date=meeting.date,
        reason=reasons,
        payload={"outcome": outcome, "meeting": meeting.pk},
    )
    close_when_done(meeting, actor)
    return item


def _defer(item: AgendaItem, *, actor) -> None:
    following = next_meeting(item.meeting)
    if following is None:
        raise errors.PanelConflictError(errors.NO_NEXT_MEETING.format(panel=item.meeting.panel))
    item.defer()
    position = (
        following.items.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    AgendaItem.objects.create(
        meeting=following,
        case=item.case,
        position=position,
        source=ItemSource.DEFERRED,
        advice_incomplete=item.advice_incomplete,
    )
