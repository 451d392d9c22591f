"""Reads for panels: who sees which meetings, agendas with their papers, the forward plan."""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404

from advice_requests.models import AdviceRequest
from cases import deadlines
from cases.models import Case, CaseStatus, restricted_cases
from cases.roles import Role, has_role

from .eligibility import assessment_panel_type
from .models import (
    CASE_STATUS_FOR_PANEL_TYPE,
    OPEN_MEETING_STATUSES,
    AgendaItem,
    ItemSource,
    ItemStatus,
    MeetingStatus,
    Panel,
    PanelMeeting,
    PanelType,
)

FORWARD_PLAN_MEETINGS = 4


#: Section 8: who may see panels at all (partners and users without a role may not).
PANEL_AREA_ROLES = (Role.PANEL_CHAIR, Role.PANEL_MEMBER, Role.CASEWORKER, Role.MANAGER)


def may_use_panels(user) -> bool:
    return bool(user and user.is_authenticated) and has_role(user, *PANEL_AREA_ROLES)


def panels_visible_to(user):
    """Caseworkers and managers see every panel; chairs and members the panels they sit on."""
    if has_role(user, Role.CASEWORKER, Role.MANAGER):
        return Panel.objects.all()
    if not has_role(user, Role.PANEL_CHAIR, Role.PANEL_MEMBER):
        return Panel.objects.none()
    return Panel.objects.filter(
        Q(chair=user) | Q(memberships__user=user, memberships__is_active=True)
    ).distinct()


def meetings_visible_to(user):
    return PanelMeeting.objects.filter(panel__in=panels_visible_to(user)).select_related("panel")


def cases_on_agendas_of(user) -> Q | None:
    """The case-visibility rule for panel chairs and members: cases on agendas of panels they
    sit on (section 8: "agendas and case summaries of their panels"), not cases the chair took
    off an agenda. A subquery, not a join, so a case on several agendas is listed once."""
    if not has_role(user, Role.PANEL_CHAIR, Role.PANEL_MEMBER):
        return None
    sits_on = Q(meeting__panel__chair=user) | Q(
        meeting__panel__memberships__user=user, meeting__panel__memberships__is_active=True
    )
    on_agendas = (
        AgendaItem.objects.filter(sits_on).exclude(status=ItemStatus.REMOVED).values("case_id")
    )
    return Q(pk__in=on_agendas)


def meeting_get(*, user, meeting_id: int) -> PanelMeeting:
    """One meeting the user may see; Http404 otherwise (no existence leak)."""
    try:
        return meetings_visible_to(user).get(pk=meeting_id)
    except PanelMeeting.DoesNotExist as exc:
        raise Http404("No such meeting.") from exc


def panel_get(*, user, panel_id: int) -> Panel:
    try:
        return panels_visible_to(user).get(pk=panel_id)
    except Panel.DoesNotExist as exc:
        raise Http404("No such panel.") from exc


def agenda_item_get(*, user, item_id: int) -> AgendaItem:
    try:
        return (
            AgendaItem.objects.select_related("meeting__panel", "case")
            .exclude(case_id__in=restricted_cases())
            .get(pk=item_id, meeting__panel__in=panels_visible_to(user))
        )
    except AgendaItem.DoesNotExist as exc:
        raise Http404("No such agenda item.") from exc


def next_meeting_of(*, panel: Panel, today: datetime.date) -> PanelMeeting | None:
    """The chair's "next meeting": the earliest not yet closed or cancelled, today or later,
    or an earlier one still open (decisions not all recorded)."""
    return (
        PanelMeeting.objects.filter(panel=panel, status__in=OPEN_MEETING_STATUSES)
        .filter(Q(date__gte=today) | Q(status=MeetingStatus.PUBLISHED))
        .select_related("panel")
        .order_by("date")
        .first()
    )


def outstanding_advice_counts(case_ids) -> dict[int, int]:
    """Case id -> advice requests not yet in (one query)."""
    return dict(
        AdviceRequest.objects.outstanding()
        .filter(case_id__in=list(case_ids))
        .order_by()
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )


def relevant_due(panel_type: str, case: Case) -> datetime.date:
    if panel_type == PanelType.STATUTORY:
        return case.statutory_panel_decision_due
    return case.decision_to_assess_due


def _age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class AgendaLine:
    item: AgendaItem
    case: Case
    due_on: datetime.date
    days_remaining: int
    age: int = 0
    advice_outstanding: int = 0
    moved_on: bool = False

    @property
    def days_words(self) -> str:
        """ "14 days left", "due today", "3 days overdue": never a negative number of days."""
        days = self.days_remaining
        if days == 0:
            return "due today"
        count = abs(days)
        return f"{count} day{'' if count == 1 else 's'} {'left' if days > 0 else 'overdue'}"

    @property
    def child_initials(self) -> str:
        return self.case.child.initials

    @property
    def advice_status(self) -> str:
        """What the panel needs to know about the advice: none is asked for before a decision
        to assess (section 4); after it, whether all of it is in."""
        if self.case.status == CaseStatus.RECEIVED:
            return "Not requested yet"
        if self.advice_outstanding:
            return f"{self.advice_outstanding} outstanding"
        return "All advice in"

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.item.advice_incomplete:
            flags.append("Advice incomplete")
        if self.item.source == ItemSource.DEFERRED:
            flags.append("Deferred")
        if self.item.source == ItemSource.ROLLED_OVER:
            flags.append("Rolled over")
        if self.days_remaining < 0:
            flags.append("Overdue")
        if self.moved_on and self.item.status == ItemStatus.LISTED:
            flags.append(f"Moved on: now {self.case.get_status_display().lower()}")
        return flags


def meeting_agenda(*, meeting: PanelMeeting, today: datetime.date, include_removed=False):
    """The agenda in the chair's order with due dates, days remaining and advice status: two
    queries however long the agenda."""
    items = (
        meeting.items.exclude(case_id__in=restricted_cases())
        .select_related("case__child", "decline_reason")
        .order_by("position", "id")
    )
    if not include_removed:
        items = items.exclude(status=ItemStatus.REMOVED)
    items = list(items)
    outstanding = outstanding_advice_counts(item.case_id for item in items) if items else {}
    lines = []
    for item in items:
        due = relevant_due(meeting.panel.panel_type, item.case)
        lines.append(
            AgendaLine(
                item,
                item.case,
                due,
                deadlines.days_remaining(due, today),
                age=_age_on(item.case.child.date_of_birth, today),
                advice_outstanding=outstanding.get(item.case_id, 0),
                moved_on=item.case.status != CASE_STATUS_FOR_PANEL_TYPE[meeting.panel.panel_type],
            )
        )
    return lines


def upcoming_meetings(*, panel: Panel, today: datetime.date, count: int):
    return list(
        PanelMeeting.objects.filter(
            panel=panel, date__gte=today, status__in=OPEN_MEETING_STATUSES
        ).order_by("date")[:count]
    )


def forward_plan(*, today: datetime.date, latest_advice_due=None):
    """Section 5: cases expected at each of the next 4 meetings of each panel, so the service
    can add a meeting before a backlog forms. A case is expected at the first meeting on or after
    the day it should be decided: its due date, or (statutory) when its last advice is due if
    that is sooner. `latest_advice_due` maps case id -> latest outstanding advice due date."""
    latest_advice_due = latest_advice_due or {}
    plan = []
    panels = list(Panel.objects.filter(is_active=True))
    received = list(
        Case.objects.filter(status=CaseStatus.RECEIVED).values_list(
            "id", "decision_to_assess_due", "received_on", "child__date_of_birth"
        )
    )
    assessing = list(
        Case.objects.filter(status=CaseStatus.ASSESSING).values_list(
            "id", "statutory_panel_decision_due"
        )
    )
    meetings = {
        panel.pk: upcoming_meetings(panel=panel, today=today, count=FORWARD_PLAN_MEETINGS)
        for panel in panels
    }
    for panel in panels:
        dates = [m.date for m in meetings[panel.pk]]
        counts = [0] * len(dates)
        if panel.panel_type == PanelType.STATUTORY:
            expected = [
                min(due, latest_advice_due.get(case_id, today)) for case_id, due in assessing
            ]
        else:
            expected = [
                due
                for _, due, received_on, born in received
                if assessment_panel_type(born, received_on) == panel.panel_type
            ]
        for day in expected:
            index = bisect.bisect_left(dates, day)
            if index < len(dates):  # due after the last planned meeting: not yet expected
                counts[index] += 1
        plan.append(
            {
                "panel": panel,
                "meetings": [
                    {"meeting": m, "expected": n, "over_capacity": n > panel.capacity}
                    for m, n in zip(meetings[panel.pk], counts, strict=True)
                ],
            }
        )
    return plan


def meetings_due_for_agenda_build(*, today: datetime.date):
    """Scheduled meetings whose lead-time day has come (and not yet held)."""
    candidates = PanelMeeting.objects.filter(
        status=MeetingStatus.SCHEDULED, date__gte=today, panel__is_active=True
    ).select_related("panel")
    return [
        m for m in candidates if m.date - datetime.timedelta(days=m.panel.agenda_lead_days) <= today
    ]
