"""Panels, their weekly meetings, agendas, attendance and decisions (ehc-process.md section 5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import Case, CaseStatus
from cases.roles import Role, has_role


class PanelType(models.TextChoices):
    NAP = "nap", "Needs Assessment Panel"
    EY_NAP = "ey_nap", "Early Years Needs Assessment Panel"
    STATUTORY = "statutory", "Statutory assessment panel"


#: The panel types that decide whether to assess; the statutory panel decides whether to issue.
ASSESSMENT_PANEL_TYPES = (PanelType.NAP, PanelType.EY_NAP)


class Agency(models.TextChoices):
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    EDUCATIONAL_PSYCHOLOGY = "educational_psychology", "Educational psychology"
    PARENT_CARER_FORUM = "parent_carer_forum", "Parent carer forum"


#: Section 5: a statutory panel decides only with education, health and social care present.
STATUTORY_QUORUM = frozenset({Agency.EDUCATION, Agency.HEALTH, Agency.SOCIAL_CARE})


class BankHolidayRule(models.TextChoices):
    SKIP = "skip", "Skip the meeting"
    NEXT_WORKING_DAY = "next_working_day", "Move to the next working day"
    PREVIOUS_WORKING_DAY = "previous_working_day", "Move to the previous working day"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"


class Panel(models.Model):
    name = models.CharField(max_length=120, unique=True)
    panel_type = models.CharField(max_length=16, choices=PanelType.choices)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_panels"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    capacity = models.PositiveSmallIntegerField(help_text="The most items one meeting can take.")
    agenda_lead_days = models.PositiveSmallIntegerField(
        default=3, help_text="How many days before the meeting the agenda is built."
    )
    bank_holiday_rule = models.CharField(
        max_length=24, choices=BankHolidayRule.choices, default=BankHolidayRule.NEXT_WORKING_DAY
    )
    location = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["panel_type", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="panel_capacity_positive"),
        ]

    def __str__(self):
        return self.name


class PanelMembership(models.Model):
    """A person who sits on a panel, for an agency. Members see the panel's agendas."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships"
    )
    agency = models.CharField(max_length=32, choices=Agency.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["panel", "agency", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="panel_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_agency_display()}) on {self.panel}"


class DeclineReason(models.Model):
    """Section 5: decline reasons are chosen from a list the council maintains."""

    panel_type = models.CharField(max_length=16, choices=PanelType.choices)
    text = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["panel_type", "text"]
        constraints = [
            models.UniqueConstraint(fields=["panel_type", "text"], name="decline_reason_unique"),
        ]

    def __str__(self):
        return self.text


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Agenda published"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


#: A case "sits on an open agenda" while its meeting is scheduled or published.
OPEN_MEETING_STATUSES = (MeetingStatus.SCHEDULED, MeetingStatus.PUBLISHED)


def is_chair_or_manager(instance, user) -> bool:
    """Only the panel's chair (or a manager) edits, publishes and closes its meetings."""
    return has_role(user, Role.MANAGER) or instance.panel.chair_id == getattr(user, "pk", None)


class PanelMeeting(ConcurrentTransitionMixin, models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    starts_at = models.TimeField()
    status = FSMField(
        default=MeetingStatus.SCHEDULED, choices=MeetingStatus.choices, protected=True
    )
    moved_from = models.DateField(
        null=True, blank=True, help_text="The usual date, when a bank holiday moved the meeting."
    )
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["date", "panel"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "date"], name="panel_meeting_one_a_day"),
        ]
        indexes = [models.Index(fields=["panel", "status", "date"])]

    def __str__(self):
        return f"{self.panel} on {self.date:%d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MEETING_STATUSES

    @transition(
        field=status,
        source=MeetingStatus.SCHEDULED,
        target=MeetingStatus.PUBLISHED,
        permission=is_chair_or_manager,
    )
    def publish(self):
        """Publishing freezes the agenda and sends members their papers."""

    @transition(
        field=status,
        source=MeetingStatus.PUBLISHED,
        target=MeetingStatus.CLOSED,
        permission=is_chair_or_manager,
    )
    def close(self):
        """Every item has an outcome."""

    @transition(
        field=status,
        source=MeetingStatus.SCHEDULED,
        target=MeetingStatus.CANCELLED,
        permission=is_chair_or_manager,
    )
    def cancel(self):
        pass


class ItemStatus(models.TextChoices):
    LISTED = "listed", "Listed"
    REMOVED = "removed", "Removed by the chair"
    DECIDED = "decided", "Decided"
    DEFERRED = "deferred", "Deferred"


class Outcome(models.TextChoices):
    AGREE_TO_ASSESS = "agree_to_assess", "Agree to assess"
    DECLINE_TO_ASSESS = "decline_to_assess", "Decline to assess"
    AGREE_TO_ISSUE = "agree_to_issue", "Agree to issue a plan"
    DECLINE_TO_ISSUE = "decline_to_issue", "Decline to issue a plan"
    DEFER = "defer", "Defer for more information"


#: The stage a case must be at for each panel type to decide it; a listed case at any other stage
#: has moved on since it was listed (withdrawn, or decided elsewhere).
CASE_STATUS_FOR_PANEL_TYPE = {
    PanelType.NAP: CaseStatus.RECEIVED,
    PanelType.EY_NAP: CaseStatus.RECEIVED,
    PanelType.STATUTORY: CaseStatus.ASSESSING,
}


#: Which outcomes each panel type may record; each (but defer) is the case transition it fires.
OUTCOMES_BY_PANEL_TYPE = {
    PanelType.NAP: (Outcome.AGREE_TO_ASSESS, Outcome.DECLINE_TO_ASSESS, Outcome.DEFER),
    PanelType.EY_NAP: (Outcome.AGREE_TO_ASSESS, Outcome.DECLINE_TO_ASSESS, Outcome.DEFER),
    PanelType.STATUTORY: (Outcome.AGREE_TO_ISSUE, Outcome.DECLINE_TO_ISSUE, Outcome.DEFER),
}


class ItemSource(models.TextChoices):
    BUILT = "built", "Added by the agenda builder"
    CHAIR = "chair", "Added by the chair"
    DEFERRED = "deferred", "Deferred from an earlier meeting"
    ROLLED_OVER = "rolled_over", "Rolled over from a full agenda"


class AgendaItem(ConcurrentTransitionMixin, models.Model):
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField()
    source = models.CharField(max_length=16, choices=ItemSource.choices)
    status = FSMField(default=ItemStatus.LISTED, choices=ItemStatus.choices, protected=True)
    advice_incomplete = models.BooleanField(
        default=False,
        help_text="Listed only because the decision falls due before the following meeting.",
    )
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    reasons = models.TextField(blank=True)
    decline_reason = models.ForeignKey(
        DeclineReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="agenda_item_case_once"),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.case.reference}"

    @transition(field=status, source=ItemStatus.LISTED, target=ItemStatus.REMOVED)
    def remove(self):
        """Kept as a record, so rebuilding the agenda does not put the case back."""

    @transition(field=status, source=ItemStatus.REMOVED, target=ItemStatus.LISTED)
    def restore(self):
        pass

    @transition(field=status, source=ItemStatus.LISTED, target=ItemStatus.DECIDED)
    def decide(self):
        pass

    @transition(field=status, source=ItemStatus.LISTED, target=ItemStatus.DEFERRED)
    def defer(self):
        pass


#: The chair attends as the chair (unless they also sit for an agency).
CHAIR = "chair"
ATTENDANCE_CAPACITIES = [(CHAIR, "Chair"), *Agency.choices]


class Attendance(models.Model):
    """Who was at a meeting: each member and the chair, present, sending apologies, or absent."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.CharField(max_length=32, choices=ATTENDANCE_CAPACITIES)
    present = models.BooleanField(default=True)
    apologies = models.BooleanField(default=False, help_text="Absent, and sent apologies.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once"),
        ]

    def __str__(self):
        return f"{self.user} at {self.meeting}"
