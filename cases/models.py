"""The child, the case (one request for an EHC needs assessment) and its exceptions."""

from __future__ import annotations

import datetime
import re
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models import Case as SqlCase
from django.db.models import Q, Value, When
from django.db.models.functions import Upper
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from . import deadlines
from .roles import may_change_case, may_record_panel_decision
from .visibility import case_visibility_q


class PrimaryNeed(models.TextChoices):
    """SEN2 type-of-need codes (ehc-process.md section 9). NSA is a census code: not valid here."""

    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    DS = "DS", "Down syndrome"
    OTH = "OTH", "Other difficulty or disability"


class RequestSource(models.IntegerChoices):
    """SEN2 request source codes."""

    PARENT_OR_YOUNG_PERSON = 1, "Parent or young person"
    EDUCATION_SETTING = 2, "School or other education setting"
    HEALTH = 3, "Health professional"
    SOCIAL_CARE = 4, "Social care professional"
    OTHER = 5, "Other"


upn_validator = RegexValidator(
    r"^[A-Z]\d{11}[0-9A-Z]$",
    "A unique pupil number is 13 characters: a letter, 11 digits and a final digit or letter.",
)

urn_validator = RegexValidator(
    r"^\d{6}$", "A unique reference number (URN) is 6 digits, like 100001."
)


EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
PHONE_INVALID = "Enter a telephone number, like 01632 960 001 or 07700 900 982"
CONTACT_EMAIL_MISSING = "Enter an email address, or choose another way to contact them"
CONTACT_PHONE_MISSING = "Enter a telephone number, or choose another way to contact them"
CONTACT_ADDRESS_MISSING = "Enter an address, or choose another way to contact them"
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()-]+$")
PHONE_DIGITS = (10, 13)


def validate_phone(value: str) -> None:
    """A UK or international telephone number: digits, spaces, brackets, hyphens, a leading +,
    and 10 to 13 digits in all."""
    digits = sum(char.isdigit() for char in value)
    if not PHONE_CHARACTERS.match(value) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ValidationError(PHONE_INVALID, code="invalid")


class ChildQuerySet(models.QuerySet):
    def not_restricted(self):
        return self.filter(restricted_on__isnull=True)


class Child(models.Model):
    """Section 9: the child or young person the request is about."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    upn = models.CharField(
        "unique pupil number", max_length=13, blank=True, validators=[upn_validator]
    )
    home_local_authority = models.CharField(max_length=100, blank=True)
    current_setting = models.CharField(
        max_length=200, blank=True, help_text="School, college or early years setting."
    )
    current_setting_urn = models.CharField(
        "URN of the current setting",
        max_length=6,
        blank=True,
        default="",
        db_default="",
        validators=[urn_validator],
        help_text="The setting's unique reference number (SEN2 URN), when known.",
    )
    in_year_9_or_above = models.BooleanField(
        default=False, help_text="Preparing-for-adulthood advice is then required."
    )
    young_person_consents_to_parents = models.BooleanField(
        null=True,
        blank=True,
        help_text=(
            "Section 10: once a young person, whether they consent to their parents seeing the "
            "case. Unknown (blank) means no consent recorded."
        ),
    )
    consent_recorded_on = models.DateField(null=True, blank=True)
    restricted_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text=(
            "Set by the retention task once the retention period has passed: the record is then "
            "shown to no one, and deleted after EHC_RETENTION_RESTRICTED_DAYS (decision 0064)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            # Duplicate search at intake (cases.selectors.possible_duplicate_children): the
            # children born on one day, and the few with a given unique pupil number.
            models.Index(fields=["date_of_birth"], name="child_date_of_birth"),
            models.Index(fields=["upn"], condition=~Q(upn=""), name="child_upn"),
            # The few restricted children (decision 0064), read by every "not restricted" check.
            models.Index(
                fields=["restricted_on"],
                condition=Q(restricted_on__isnull=False),
                name="child_restricted",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def is_young_person(self, on: datetime.date) -> bool:
        """CFA 2014 s83(2): over compulsory school age; decisions then go to them."""
        return deadlines.is_young_person(self.date_of_birth, on)

    @property
    def initials(self) -> str:
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()


def restricted_children():
    """The ids of children restricted for retention (decision 0064). A subquery, not a join:
    they are few (a partial index), so "not restricted" costs a hashed lookup per row rather
    than a join to the children of every row read."""
    return Child.objects.filter(restricted_on__isnull=False).values("pk")


def restricted_cases():
    """The ids of the cases of children restricted for retention: for rows that point at a case
    (advice requests, agenda items, notifications, audit entries), `.exclude(case_id__in=...)`."""
    return Case.objects.filter(child_id__in=restricted_children()).values("pk")


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    POST = "post", "Post"
    PHONE = "phone", "Phone"


class ParentCarerQuerySet(models.QuerySet):
    def with_parental_responsibility(self):
        """Section 10: only people with parental responsibility receive decisions."""
        return self.filter(has_parental_responsibility=True)


class ParentCarer(models.Model):
    """A parent or carer of the child (section 10), and how to reach them. Only those with
    parental responsibility receive decisions and letters."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="parent_carers")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True, error_messages={"invalid": EMAIL_INVALID})
    phone = models.CharField(max_length=40, blank=True, validators=[validate_phone])
    address = models.TextField(blank=True)
    preferred_contact_method = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL
    )
    communication_needs = models.TextField(
        blank=True, help_text="For example an interpreter, large print or easy read."
    )
    interpreter_language = models.CharField(
        max_length=100, blank=True, help_text="Leave blank when no interpreter is needed."
    )
    has_parental_responsibility = models.BooleanField(default=True)

    objects = ParentCarerQuerySet.as_manager()

    def __str__(self):
        return self.name

    def clean(self):
        """A way to reach them by the means they prefer (section 10)."""
        needed = {
            ContactMethod.EMAIL: ("email", CONTACT_EMAIL_MISSING),
            ContactMethod.PHONE: ("phone", CONTACT_PHONE_MISSING),
            ContactMethod.POST: ("address", CONTACT_ADDRESS_MISSING),
        }.get(self.preferred_contact_method)
        if needed and not getattr(self, needed[0]).strip():
            raise ValidationError({needed[0]: needed[1]})


#: Where a case step with hooks puts the child's parents with parental responsibility, read
#: with the locked case (cases.services): its letters and the family's message both use them.
PARENTS_READ_FOR_STEP = "parents_with_responsibility_read"


def parents_with_responsibility(child: Child) -> list[ParentCarer]:
    """The child's parents and carers with parental responsibility (section 10), by id: those
    the case step read with the child, else read now (never kept: a child loaded earlier may
    have new parents since)."""
    read = getattr(child, PARENTS_READ_FOR_STEP, None)
    if read is not None:
        return read
    return list(
        ParentCarer.objects.with_parental_responsibility().filter(child=child).order_by("id")
    )


class CaseStatus(models.TextChoices):
    """Section 3: the statuses of one request."""

    RECEIVED = "received", "Received"
    ASSESSING = "assessing", "Assessing"
    DRAFTING = "drafting", "Drafting plan"
    DRAFT_ISSUED = "draft_issued", "Draft plan issued"
    FINAL_ISSUED = "final_issued", "Final plan issued"
    ASSESSMENT_DECLINED = "assessment_declined", "Assessment declined"
    PLAN_DECLINED = "plan_declined", "Plan declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (
    CaseStatus.RECEIVED,
    CaseStatus.ASSESSING,
    CaseStatus.DRAFTING,
    CaseStatus.DRAFT_ISSUED,
)


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def visible_to(self, user):
        """Section 8: the cases this user may see (rules in cases.visibility); never a case of
        a child restricted for retention."""
        condition = case_visibility_q(user)
        cases = self.all() if condition is None else self.filter(condition)
        return cases.not_restricted()

    def not_restricted(self):
        """Cases of children not restricted for retention: for reports, which see every case."""
        return self.exclude(child_id__in=restricted_children())

    def with_risk(self, today: datetime.date, warning_days: int | None = None):
        """Annotate `risk` in SQL (section 6), so lists filter and sort on it in the database."""
        if warning_days is None:
            warning_days = settings.EHC_RISK_WARNING_DAYS
        return self.annotate(risk=risk_expression(today, warning_days))


def risk_expression(today: datetime.date, warning_days: int):
    """The SQL twin of deadlines.risk_level. Advice-overdue joins in when advice requests exist."""
    window_end = today + datetime.timedelta(days=warning_days)
    at_risk = Q(next_milestone_due__lte=window_end) | Q(rolled_off_agenda=True)
    for extra in RISK_EXTRA_CONDITIONS:
        # bandit B610 misreads this callable named `extra` as QuerySet.extra(): it is not.
        at_risk |= extra(today)  # nosec B610
    return SqlCase(
        When(next_milestone_due__isnull=True, then=Value("")),
        When(next_milestone_due__lt=today, then=Value(deadlines.Risk.OVERDUE.value)),
        When(at_risk, then=Value(deadlines.Risk.AT_RISK.value)),
        default=Value(deadlines.Risk.ON_TRACK.value),
        output_field=models.CharField(),
    )


#: Callables (today -> Q) that make an open case at risk, added by apps that know more about a
#: case (the advice requests app adds "any advice request overdue").
RISK_EXTRA_CONDITIONS: list = []

#: The stored risk inputs that are dates (decision 0190): the case is at risk from the day after
#: each. The deadline sweep rechecks a case on the first such day, so a condition registered
#: above that compares a stored date with today must name its field here.
RISK_INPUT_DATES = ("outstanding_advice_due", "consultation_answer_due", "decision_letter_due")


class Case(ConcurrentTransitionMixin, models.Model):
    """One request for an EHC needs assessment and its 20-week statutory clock.

    The status is protected: it changes only through the transitions below, fired by
    cases.services.case_transition (which locks the row, validates, and audits).
    """

    reference = models.CharField(max_length=20, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    received_on = models.DateField(
        help_text="The date the authority received the request: week 0 of the statutory clock."
    )
    request_source = models.PositiveSmallIntegerField(choices=RequestSource.choices)
    primary_need = models.CharField(max_length=4, choices=PrimaryNeed.choices)
    secondary_needs = models.JSONField(default=list, blank=True)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    status = FSMField(
        default=CaseStatus.RECEIVED, choices=CaseStatus.choices, protected=True, db_index=True
    )
    status_changed_on = models.DateField(
        help_text="Effective date of the latest transition; the next may not be earlier."
    )

    # Due dates, stored so lists filter and sort on them in the database. Derived only from
    # received_on (and the clock settings) by case_create / case_update.
    decision_to_assess_due = models.DateField()
    statutory_panel_decision_due = models.DateField()
    draft_plan_due = models.DateField()
    final_plan_due = models.DateField(db_index=True)
    next_milestone = models.CharField(
        max_length=32, blank=True, choices=[(m.value, m.label) for m in deadlines.Milestone]
    )
    next_milestone_due = models.DateField(null=True, blank=True, db_index=True)
    due_date_overrides = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "Milestone -> ISO date, written by the disputes app after a tribunal order (reg "
            "44(2)) reopens the case: the next milestone is then due on the order's date. The "
            "stored 20-week due dates above stay as they were (decision 0121)."
        ),
    )

    # When each milestone was actually met.
    assessment_decided_on = models.DateField(null=True, blank=True)
    plan_decided_on = models.DateField(null=True, blank=True)
    draft_issued_on = models.DateField(
        null=True, blank=True, help_text="The latest draft served on the family."
    )
    final_issued_on = models.DateField(null=True, blank=True, db_index=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    appeal_rights_sent_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the family was sent their appeal and mediation rights after a decline.",
    )

    evidence_deadline = models.DateField(
        null=True,
        blank=True,
        help_text="If set, the case goes to the Needs Assessment Panel only after this date.",
    )
    rolled_off_agenda = models.BooleanField(
        default=False, help_text="Rolled off a full agenda: at risk until it next moves on."
    )
    imported = models.BooleanField(
        default=False, help_text="Imported from a tracker: readiness rules do not apply."
    )

    # Risk inputs (section 6), kept on the case by the apps that own them when their records
    # change, so that every open case's risk reads columns only: never a set of other rows whose
    # plan hangs on the planner's estimate (decisions 0078 and 0190). Compared with today in the
    # risk expression, so the date rolling over needs no write.
    outstanding_advice_due = models.DateField(
        null=True,
        blank=True,
        help_text="The earliest due date of the advice still outstanding (advice requests app).",
    )
    consultation_answer_due = models.DateField(
        null=True,
        blank=True,
        help_text="The earliest due date of a consultation not yet answered (plans app).",
    )
    decision_letter_due = models.DateField(
        null=True,
        blank=True,
        help_text="The earliest due date of a decision letter not yet sent (plans app).",
    )
    forecast_to_miss = models.BooleanField(
        default=False,
        db_default=False,
        help_text="The latest forecast has the final plan after week 20 (forecasts app).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["next_milestone_due", "received_on", "id"]
        indexes = [
            models.Index(fields=["caseworker", "status"]),
            # A caseworker's list in its default order (DEFAULT_ORDER in selectors.py).
            models.Index(
                fields=["caseworker", "next_milestone_due", "received_on", "id"],
                name="case_caseworker_next_due",
            ),
            models.Index(fields=["received_on"]),
            models.Index(fields=["decision_to_assess_due"]),
            models.Index(fields=["statutory_panel_decision_due"]),
            models.Index(fields=["draft_plan_due"]),
            # Agenda builds (decision 0074): the waiting cases in agenda order, so a build reads
            # only the cases it lists. (`rolled_off_agenda` is deliberately in no index: setting
            # it stays a heap-only update.)
            models.Index(
                fields=["decision_to_assess_due", "received_on", "id"],
                condition=Q(status=CaseStatus.RECEIVED),
                name="case_received_agenda_order",
            ),
            models.Index(
                fields=["statutory_panel_decision_due", "received_on", "id"],
                condition=Q(status=CaseStatus.ASSESSING),
                name="case_assessing_agenda_order",
            ),
            # The family sweep's comment reminders (decision 0197): the drafts issued on given
            # days, not every draft awaiting comments.
            models.Index(
                fields=["draft_issued_on"],
                condition=Q(status=CaseStatus.DRAFT_ISSUED),
                name="case_draft_issued_on_idx",
            ),
            # The tracker import's check that a reference is not held already, ignoring letter
            # case (reports.tracker_import): without it each 500 references scanned every case
            # (9.5 s of a 10,000-row import at 1,000,000 cases).
            models.Index(Upper("reference"), name="case_reference_upper"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(final_plan_due__gt=models.F("received_on")),
                name="case_final_plan_due_after_received",
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        """Any saved change to a case may change its risk: the next deadline sweep rechecks
        it (decision 0190)."""
        super().save(*args, **kwargs)
        cases_flag_for_recheck([self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # --- Transitions (section 3). Side effects on dates only; the service does the rest. ----

    @transition(
        field=status,
        source=CaseStatus.RECEIVED,
        target=CaseStatus.ASSESSING,
        permission=may_record_panel_decision,
    )
    def agree_to_assess(self, *, effective_date, reason=""):
        """Reg 5(1): the panel agrees to assess; advice is then requested."""
        self.assessment_decided_on = effective_date

    @transition(
        field=status,
        source=CaseStatus.RECEIVED,
        target=CaseStatus.ASSESSMENT_DECLINED,
        permission=may_record_panel_decision,
    )
    def decline_to_assess(self, *, effective_date, reason=""):
        """Reg 5(3): the family is told, with their appeal and mediation rights."""
        self.assessment_decided_on = effective_date
        self.appeal_rights_sent_on = effective_date

    @transition(
        field=status,
        source=CaseStatus.ASSESSING,
        target=CaseStatus.DRAFTING,
        permission=may_record_panel_decision,
    )
    def agree_to_issue(self, *, effective_date, reason=""):
        self.plan_decided_on = effective_date

    @transition(
        field=status,
        source=CaseStatus.ASSESSING,
        target=CaseStatus.PLAN_DECLINED,
        permission=may_record_panel_decision,
    )
    def decline_to_issue(self, *, effective_date, reason=""):
        """Reg 10(1): a decision not to issue is due by week 16, with appeal rights."""
        self.plan_decided_on = effective_date
        self.appeal_rights_sent_on = effective_date

    @transition(
        field=status,
        source=CaseStatus.DRAFTING,
        target=CaseStatus.DRAFT_ISSUED,
        permission=may_change_case,
    )
    def issue_draft(self, *, effective_date, reason=""):
        self.draft_issued_on = effective_date

    @transition(
        field=status,
        source=CaseStatus.DRAFT_ISSUED,
        target=CaseStatus.FINAL_ISSUED,
        permission=may_change_case,
    )
    def issue_final(self, *, effective_date, reason=""):
        """Reg 13(2), reg 14: the final plan, with appeal rights."""
        self.final_issued_on = effective_date

    @transition(
        field=status,
        source=CaseStatus.DRAFT_ISSUED,
        target=CaseStatus.DRAFTING,
        permission=may_change_case,
    )
    def revise_draft(self, *, effective_date, reason=""):
        """The family's comments (or a school's response) need a revised draft."""

    @transition(
        field=status,
        source=list(OPEN_STATUSES),
        target=CaseStatus.WITHDRAWN,
        permission=may_change_case,
    )
    def withdraw(self, *, effective_date, reason=""):
        self.withdrawn_on = effective_date

    @transition(
        field=status,
        source=CaseStatus.ASSESSMENT_DECLINED,
        target=CaseStatus.ASSESSING,
        permission=may_change_case,
    )
    @transition(
        field=status,
        source=CaseStatus.PLAN_DECLINED,
        target=CaseStatus.DRAFTING,
        permission=may_change_case,
    )
    def reopen_on_appeal(self, *, effective_date, reason=""):
        """The Tribunal ordered (or the authority conceded) the assessment or the plan."""


class ExceptionGround(models.TextChoices):
    """Section 2: regs 5(4), 8(2), 10(4), 13(3). Plan-level grounds; `missed_appointment`
    excuses advice only and is recorded on the advice request."""

    SCHOOL_CLOSURE = "school_closure", "School or setting closure"
    EXCEPTIONAL_PERSONAL_CIRCUMSTANCES = (
        "exceptional_personal_circumstances",
        "Exceptional personal circumstances",
    )
    ABSENT_FROM_AREA = "absent_from_area", "Absent from the area for 4 weeks or more"


class ExceptionQuerySet(models.QuerySet):
    def agreed(self):
        return self.filter(agreed_at__isnull=False)


class TimeLimitException(models.Model):
    """What every exception records (section 2), on a case or on an advice request: the dates
    it covers, the evidence, who proposed it and who agreed it. Only agreed ones count."""

    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    notes = models.TextField(help_text="Evidence for the exception.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    family_notified_on = models.DateField(null=True, blank=True)

    objects = ExceptionQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None


class CaseException(TimeLimitException):
    """An exception to a plan-level time limit. It never moves a due date: it only changes how
    a late milestone is counted (section 7)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="exceptions")
    ground = models.CharField(max_length=40, choices=ExceptionGround.choices)
    agreement_comment = models.TextField(
        blank=True, help_text="What the manager said when agreeing it (optional)."
    )
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refused_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="case_exception_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(agreed_at__isnull=True) | Q(agreed_by__isnull=False),
                name="case_exception_agreed_has_agreer",
            ),
            models.CheckConstraint(
                condition=Q(refused_at__isnull=True)
                | (Q(refused_by__isnull=False) & Q(agreed_at__isnull=True)),
                name="case_exception_refused_by_someone_not_agreed",
            ),
        ]
        indexes = [
            # The dashboard's queue of exceptions waiting for a manager (issue 14).
            models.Index(
                fields=["proposed_at"],
                condition=Q(agreed_at__isnull=True, refused_at__isnull=True),
                name="case_exception_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.case.reference}: {self.get_ground_display()}"

    @property
    def is_refused(self) -> bool:
        return self.refused_at is not None

    @property
    def is_waiting(self) -> bool:
        return not self.is_agreed and not self.is_refused


class ReferenceSequence(models.Model):
    """The last case number used in a year, locked while a reference is taken."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


from .record_models import (  # noqa: E402, F401 - the everyday record's own module, re-exported
    CASE_NOTE_IMMUTABLE,
    CaseDocument,
    CaseDocumentShare,
    CaseDocumentType,
    CaseNote,
    CaseNoteImmutableError,
    ContactKind,
)

#: The cases flagged inside `cases_flags_collected` (None outside it).
_flags_collected: ContextVar[set[int] | None] = ContextVar("cases_flags_collected", default=None)


@contextmanager
def cases_flags_collected():
    """The cases flagged inside this block are flagged once, in one upsert as it ends (not if it
    raises: its transaction is then rolled back). A case step wraps its save and its hooks in
    it: the save and, for example, a decision notice's letter due date each flag the case, and
    two upserts of the one flag in one transaction do what one does (issue 20). Still inside the
    step's transaction, so a sweep claiming the flag waits for the step to commit. Nested, the
    outer block writes them; a flag from a savepoint rolled back inside the block is written
    too (the sweep then rechecks a case that did not change: harmless)."""
    if _flags_collected.get() is not None:
        yield
        return
    ids: set[int] = set()
    token = _flags_collected.set(ids)
    try:
        yield
    finally:
        _flags_collected.reset(token)
    cases_flag_for_recheck(ids)


class CaseRiskRecheck(models.Model):
    """A case changed since the deadline sweep last read it (decision 0190): the sweep claims
    and deletes these rows and rechecks only their cases. A narrow table of its own, so that
    neither flagging nor claiming rewrites the wide case row and its indexes."""

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="risk_recheck"
    )
    flagged_at = models.DateTimeField()

    def __str__(self):
        return f"{self.case_id} flagged {self.flagged_at:%Y-%m-%d %H:%M}"


def case_risk_inputs_set(statements, using=None, *, flag: bool = True) -> int:
    """Run set-based UPDATEs of cases' stored risk inputs (each module's backfill or sync,
    decision 0190) and flag every case written for the sweep. No rows pass through Python but
    the ids written. Returns the cases written."""
    changed: list[int] = []
    with (connection if using is None else using).cursor() as cursor:
        for statement in statements:
            cursor.execute(statement + " RETURNING cases_case.id")
            changed += [row[0] for row in cursor.fetchall()]
    if flag:
        cases_flag_for_recheck(changed)
    return len(changed)


def cases_flag_for_recheck(case_ids) -> None:
    """Flag these cases for the next deadline sweep: one upsert. Every writer that changes what
    a case's risk is computed from calls this in its own transaction (a saved case does it in
    `Case.save()`). The upsert locks an existing flag, so a sweep claiming it waits for this
    transaction to commit and then reads the change. Inside `cases_flags_collected` the flags
    are written once, as it ends."""
    collected = _flags_collected.get()
    if collected is not None:
        collected.update(case_ids)
        return
    ids = sorted(set(case_ids))
    if not ids:
        return
    now = timezone.now()
    CaseRiskRecheck.objects.bulk_create(
        [CaseRiskRecheck(case_id=pk, flagged_at=now) for pk in ids],
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["flagged_at"],
    )
