"""The EHC plan as structured data (CFA 2014 s37; reg 12), its issued versions, the family's
response to a draft (s38) and the consultation of settings (s39). Letters: letter_models.

The plan's rows are the working copy; an issued version is a frozen snapshot (JSON, the HTML
the page shows and its PDF) that nothing changes afterwards: the model refuses it and, on
PostgreSQL, a trigger refuses UPDATE (and any DELETE but retention's) on the table itself.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from advice_requests.models import AdviceSubmission
from audit.erasure import retention_erasure_active
from cases.models import Case

from .letter_models import (  # noqa: F401 - letters live in their own module, re-exported
    DecisionNotice,
    Letter,
    LetterKind,
    LetterTemplate,
    SentMethod,
)


class Section(models.TextChoices):
    """Reg 12(1): every section separately identified."""

    A = "A", "A: Views, interests and aspirations"
    B = "B", "B: Special educational needs"
    C = "C", "C: Health care needs"
    D = "D", "D: Social care needs"
    E = "E", "E: Outcomes sought"
    F = "F", "F: Special educational provision"
    G = "G", "G: Health care provision"
    H1 = "H1", "H1: Social care provision (CSDPA 1970 s2)"
    H2 = "H2", "H2: Other social care provision"
    I = "I", "I: Placement"  # noqa: E741 - reg 12's own letter
    J = "J", "J: Personal budget"
    K = "K", "K: Advice and information"


class NeedArea(models.TextChoices):
    """CoP 6.28: the four broad areas of need that section B is grouped by."""

    COMMUNICATION = "communication", "Communication and interaction"
    COGNITION = "cognition", "Cognition and learning"
    SEMH = "semh", "Social, emotional and mental health"
    SENSORY_PHYSICAL = "sensory_physical", "Sensory and/or physical"


class ProvisionSection(models.TextChoices):
    F = "F", "F: Special educational provision"
    G = "G", "G: Health care provision"
    H1 = "H1", "H1: Social care provision (CSDPA 1970 s2)"
    H2 = "H2", "H2: Other social care provision"


class FrequencyUnit(models.TextChoices):
    DAY = "day", "a day"
    WEEK = "week", "a week"
    FORTNIGHT = "fortnight", "a fortnight"
    MONTH = "month", "a month"
    TERM = "term", "a term"
    YEAR = "year", "a year"


class Plan(models.Model):
    """One plan per case: the working copy of sections A to K. Sections B, E, F-H and K are
    rows (needs, outcomes, provision, advice listed); the others are text."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="plan")
    child_views = models.TextField(
        "The child's or young person's own views",
        blank=True,
        help_text="In their own words where possible: what they like, what matters to them.",
    )
    family_views = models.TextField("The parents' views", blank=True)
    aspirations = models.TextField("Interests and aspirations", blank=True)
    health_needs = models.TextField("Health care needs related to the SEN (C)", blank=True)
    social_care_needs = models.TextField("Social care needs (D)", blank=True)
    setting_type = models.CharField(
        "Type of school or setting",
        max_length=200,
        blank=True,
        help_text="For example, mainstream primary school.",
    )
    setting_name = models.CharField(
        "School or setting named",
        max_length=200,
        blank=True,
        help_text="Shown only in the final plan: a draft never names a school (s38).",
    )
    personal_budget = models.TextField("Personal budget (J)", blank=True)
    amendment_opened_on = models.DateField(
        null=True,
        blank=True,
        help_text="A review decided to amend the plan (reg 22): its sections may be edited "
        "until the amended plan is issued.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Plan for {self.case.reference}"


class SourcedItem(models.Model):
    """A statement that can cite the advice it came from (reg 12(1)(k), section 12)."""

    source = models.ForeignKey(
        AdviceSubmission,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The advice this statement came from.",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class Outcome(SourcedItem):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField()
    preparing_for_adulthood = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]


class Provision(SourcedItem):
    """Specified and quantified (section 12): what, by whom (qualification), how often, for how
    long, in what group size, from when. A frequency needs its unit: the database refuses one
    without the other too."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="provision")
    section = models.CharField(max_length=2, choices=ProvisionSection.choices, default="F")
    what = models.TextField()
    delivered_by = models.CharField("Who delivers it", max_length=200, blank=True)
    qualification = models.CharField(max_length=200, blank=True)
    frequency = models.PositiveSmallIntegerField(
        "How often (times)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    frequency_unit = models.CharField(
        "How often (per)", max_length=10, choices=FrequencyUnit.choices, blank=True
    )
    session_minutes = models.PositiveSmallIntegerField(
        "How long (minutes each time)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    group_size = models.PositiveSmallIntegerField(
        "Group size",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="1 for one-to-one.",
    )
    starts_on = models.DateField("From", null=True, blank=True)

    class Meta:
        ordering = ["section", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__isnull=True, frequency_unit="")
                | (Q(frequency__isnull=False) & ~Q(frequency_unit="")),
                name="provision_frequency_has_unit",
            ),
        ]

    def __str__(self):
        return self.what[:60]

    @property
    def how_often(self) -> str:
        if self.frequency is None:
            return ""
        times = (
            "once"
            if self.frequency == 1
            else "twice"
            if self.frequency == 2
            else f"{self.frequency} times"
        )  # noqa: PLR2004
        return f"{times} {self.get_frequency_unit_display()}"


class Need(SourcedItem):
    """Section B, by area; linked to the outcomes it works towards and the provision meeting it
    (the "golden thread")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="needs")
    area = models.CharField(max_length=20, choices=NeedArea.choices)
    text = models.TextField()
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="needs")
    provision = models.ManyToManyField(Provision, blank=True, related_name="needs")

    class Meta:
        ordering = ["area", "position", "id"]

    def __str__(self):
        return self.text[:60]


class AdviceListed(models.Model):
    """Section K: the advice and information gathered, filled in from the case's advice and
    editable (reg 12(1)(k))."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="advice_listed")
    description = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    dated = models.DateField(null=True, blank=True)
    submission = models.ForeignKey(
        AdviceSubmission, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["dated", "id"]
        verbose_name_plural = "advice listed"

    def __str__(self):
        return self.description


#: The plan's editable items by the name the pages, the API and the audit use.
ITEM_MODELS = {"need": Need, "outcome": Outcome, "provision": Provision, "advice": AdviceListed}


class VersionKind(models.TextChoices):
    DRAFT = "draft", "Draft plan"
    FINAL = "final", "Final plan"
    AMENDMENTS = "amendments", "Proposed amendments"
    AMENDED = "amended", "Amended plan"


#: Versions the family comments on (s38 for a draft; reg 22(2) for proposed amendments).
FOR_COMMENT_KINDS = (VersionKind.DRAFT, VersionKind.AMENDMENTS)
#: Versions that name the setting and carry appeal rights (reg 14; reg 22(3)-(4)).
ISSUED_PLAN_KINDS = (VersionKind.FINAL, VersionKind.AMENDED)


VERSION_FROZEN = "An issued version of a plan cannot be changed."


class VersionFrozenError(Exception):
    pass


#: A draft whose "last day for comments" alert the sweep has not marked (decision 0199).
DRAFT_NOT_ALERTED = Q(kind=VersionKind.DRAFT, comments_due_alerted=False)
#: Its issue date while it is not marked, else empty: the sweep's read and its index use this
#: same expression (the planner matches it by form).
DRAFT_COMMENTS_PENDING_ON = models.Case(
    models.When(DRAFT_NOT_ALERTED, then=models.F("issued_on")), output_field=models.DateField()
)


class PlanVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise VersionFrozenError(VERSION_FROZEN)

    def delete(self):
        if retention_erasure_active():
            return super().delete()
        raise VersionFrozenError(VERSION_FROZEN)


class PlanVersion(models.Model):
    """An issued version, exactly as the family received it. Only ever inserted (its PDF, made
    from its HTML, is filled in once, afterwards: plans.documents); the trigger of migration
    0002 refuses every other UPDATE and every DELETE but retention's."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=VersionKind.choices)
    issued_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField()
    html = models.TextField()
    pdf = models.BinaryField(
        null=True,
        help_text="Made from `html` after the version is committed (plans.documents); filled once.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    comments_due_alerted = models.BooleanField(
        default=False,
        db_default=False,
        editable=False,
        help_text="The sweep recorded the alert for the family's last day for comments on this "
        "draft (decision 0199): set once, by the sweep, not part of what the family received.",
    )

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
        ]
        indexes = [
            # What the sweep reads (decision 0199): the drafts by the date their comments alert
            # is pending from. An index on the expression, not a partial one, so ANALYZE keeps
            # statistics of its own (PostgreSQL ignores a partial index's) and the planner
            # knows how few drafts are pending.
            models.Index(DRAFT_COMMENTS_PENDING_ON, name="draft_comments_pending_on"),
        ]

    def __str__(self):
        return f"{self.plan.case.reference} version {self.number} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise VersionFrozenError(VERSION_FROZEN)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if retention_erasure_active():
            return super().delete(*args, **kwargs)
        raise VersionFrozenError(VERSION_FROZEN)


class CommentKind(models.TextChoices):
    """s38: the family may comment, ask for a meeting, and ask for a particular school."""

    COMMENT = "comment", "Comment"
    MEETING = "meeting", "Request for a meeting"
    PREFERRED_SETTING = "preferred_setting", "School or college asked for"


class CommentSource(models.TextChoices):
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    MEETING = "meeting", "Meeting"
    PORTAL = "portal", "Family portal"


#: How a comment reached the SEN team, as the staff comments table says it ("..., section B,
#: by letter on 3 December 2026").
COMMENT_CAME = {
    CommentSource.LETTER: "by letter",
    CommentSource.EMAIL: "by email",
    CommentSource.MEETING: "said at a meeting",
    CommentSource.PORTAL: "sent through the family portal",
}


#: How a caseworker can say a comment reached them: the portal's are made by the family there.
RECORDED_SOURCES = [choice for choice in CommentSource.choices if choice[0] != CommentSource.PORTAL]


class CommentAnswer(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class FamilyComment(models.Model):
    """One thing the family said about a draft, and its answer (section 12: every comment is
    answered, accepted and changed in the next version, or not accepted with the reason)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="comments")
    version = models.ForeignKey(
        PlanVersion,
        on_delete=models.PROTECT,
        related_name="comments",
        help_text="The draft commented on.",
    )
    kind = models.CharField(max_length=20, choices=CommentKind.choices, default="comment")
    section = models.CharField(max_length=2, choices=Section.choices)
    text = models.TextField()
    source = models.CharField(max_length=10, choices=CommentSource.choices)
    received_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(max_length=20, choices=CommentAnswer.choices, blank=True)
    answer_text = models.TextField(
        blank=True, help_text="What will change, or why it is not accepted."
    )
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_in = models.ForeignKey(
        PlanVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes_made",
        help_text="The version that made the accepted change.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(answer="not_accepted") | ~Q(answer_text=""),
                name="comment_not_accepted_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on section {self.section}"

    @property
    def how_it_came(self) -> str:
        return COMMENT_CAME.get(self.source, f"by {self.get_source_display().lower()}")

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


class ConsultationAnswer(models.TextChoices):
    CAN_MEET = "can_meet", "Can meet the needs"
    CANNOT_MEET = "cannot_meet", "Cannot meet the needs"


#: An unanswered consultation whose late alert the sweep has not marked (decision 0199): the
#: sweep's read and its partial index use this same condition.
LATE_NOT_ALERTED = Q(answer="", late_alerted=False)


class Consultation(models.Model):
    """s39: a school or college consulted on being named, with the draft; 15 days to respond."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="consultations")
    setting_name = models.CharField("School or college", max_length=200)
    setting_type = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    sent_on = models.DateField()
    due_on = models.DateField(db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    last_chased_on = models.DateField(null=True, blank=True)
    times_chased = models.PositiveSmallIntegerField(default=0)
    answer = models.CharField(max_length=20, choices=ConsultationAnswer.choices, blank=True)
    reasons = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late_alerted = models.BooleanField(
        default=False,
        db_default=False,
        editable=False,
        help_text="The sweep recorded the alert that this school or college is late (decision "
        "0199); written by the sweep alone.",
    )

    class Meta:
        ordering = ["sent_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="") | Q(responded_on__isnull=False),
                name="consultation_answer_has_date",
            ),
        ]
        indexes = [
            # What the sweep reads (decision 0199): unanswered, late alert not recorded.
            models.Index(
                fields=["due_on"], name="consultation_late_owing", condition=LATE_NOT_ALERTED
            ),
        ]

    def __str__(self):
        return f"{self.setting_name} ({self.plan.case.reference})"

    def save(self, *args, **kwargs):
        """Saving a consultation keeps its case's stored risk input right (decision 0190)."""
        super().save(*args, **kwargs)
        from .risk_inputs import case_plan_inputs_refresh  # noqa: PLC0415 - imports this module

        case_plan_inputs_refresh(
            Plan.objects.filter(pk=self.plan_id).values_list("case_id", flat=True)
        )

    def is_late(self, today) -> bool:
        return not self.answer and today > self.due_on
