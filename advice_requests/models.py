"""Partner services, the advice they are asked for (reg 6, reg 8), and who read what.

ehc-process.md section 4. The status of a request is protected: it changes only through the
transitions below, fired by advice_requests.services (which locks the row, validates, audits).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import F, Q, When
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import Case, TimeLimitException, restricted_cases
from cases.roles import Role, has_role

from .access_models import (  # noqa: F401 - the access log's own module, re-exported here
    ACCESS_LOG_IMMUTABLE,
    AccessAction,
    AccessLog,
    AccessLogImmutableError,
)
from .roles import may_manage_advice, may_respond


class PartnerServiceKind(models.TextChoices):
    EP_SERVICE = "ep_service", "Educational psychology service"
    COMMISSIONED_EP = "commissioned_ep", "Commissioned educational psychology provider"
    SALT = "salt", "Speech and language therapy"
    OCCUPATIONAL_THERAPY = "occupational_therapy", "Occupational therapy"
    PAEDIATRICS = "paediatrics", "Paediatrics"
    CAMHS = "camhs", "Child and adolescent mental health services"
    SOCIAL_CARE = "social_care", "Children's social care"
    SCHOOL = "school", "School or education setting"
    OTHER = "other", "Other"


class PartnerService(models.Model):
    """An organisation that gives advice. Access belongs to the service, so it survives staff
    turnover: a new member sees its open requests, a leaver loses them at once."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=PartnerServiceKind.choices)
    contact_email = models.EmailField(help_text="The service's shared mailbox for reminders.")
    is_active = models.BooleanField(default=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ServiceMembership",
        through_fields=("service", "user"),
        related_name="partner_services",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ServiceMembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_on__isnull=True)


class ServiceMembership(models.Model):
    """A partner user's time in a service. Ending it (left_on) ends their access immediately;
    rows are kept so the access log can always say which service a reader acted for."""

    service = models.ForeignKey(
        PartnerService, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_memberships"
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ServiceMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["service", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "user"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_service_user",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.service}"


class AdviceKind(models.TextChoices):
    """Section 4, reg 6(1)."""

    PARENT_VIEWS = "parent_views", "Parent and child views"
    EDUCATION = "education", "Educational advice"
    HEALTH = "health", "Medical advice"
    EDUCATIONAL_PSYCHOLOGY = "educational_psychology", "Educational psychology advice"
    SOCIAL_CARE = "social_care", "Social care advice"
    PREPARING_FOR_ADULTHOOD = "preparing_for_adulthood", "Preparing for adulthood advice"
    SENSORY = "sensory", "Hearing or vision advice"
    OTHER = "other", "Other advice"


class AdviceStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACCEPTED = "accepted", "Accepted"
    SUBMITTED = "submitted", "Submitted"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"
    RETURNED = "returned", "Returned for quality"


#: Still owed by the provider: these keep a case from the statutory panel and can be overdue.
OUTSTANDING_STATUSES = (AdviceStatus.REQUESTED, AdviceStatus.ACCEPTED, AdviceStatus.RETURNED)
#: Section 4: a case is ready for the statutory panel when every request has ended in one of these.
ENDED_STATUSES = (AdviceStatus.SUBMITTED, AdviceStatus.DECLINED, AdviceStatus.CANCELLED)
#: Decision 0195: per alert level (due soon, overdue, escalated), the requests that may still owe
#: it: outstanding and not yet told it.
MAY_OWE_ALERT = {
    level: Q(status__in=OUTSTANDING_STATUSES, **{f"alerted_{level}": False})
    for level in ("due_soon", "overdue", "escalated")
}


def _pending_due_on(level: str) -> models.GeneratedField:
    """The due date while the request may still owe this level's alert, else empty: kept by
    the database from the status and the mark, so no writer needs to know. A column (not a
    partial index on due_on) so PostgreSQL's statistics say how few are pending: over the whole
    table, most due dates are past but most of those requests ended long ago."""
    return models.GeneratedField(
        expression=SqlCase(When(MAY_OWE_ALERT[level], then=F("due_on"))),
        output_field=models.DateField(),
        db_persist=True,
    )


class AdviceRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Section 8: partners see only requests to services they are a current member of;
        caseworkers and managers see all; everyone else sees nothing. Nobody sees a request
        about a child restricted for retention (decision 0064)."""
        if has_role(user, Role.CASEWORKER, Role.MANAGER):
            return self.not_restricted()
        if has_role(user, Role.PARTNER) and user.is_active:
            # `service IN (the user's current services)`, not a correlated EXISTS per request:
            # PostgreSQL then reads only those services' requests from the service index.
            return self.not_restricted().filter(
                service_id__in=ServiceMembership.objects.current()
                .filter(user=user)
                .values("service_id")
            )
        return self.none()

    def not_restricted(self):
        return self.exclude(case_id__in=restricted_cases())

    def outstanding(self):
        return self.filter(status__in=OUTSTANDING_STATUSES)

    def overdue(self, today: datetime.date):
        """Reg 8(1): not submitted (nor ended) and today is past the due date."""
        return self.outstanding().filter(due_on__lt=today)


class AdviceRequest(ConcurrentTransitionMixin, models.Model):
    """One request for advice from one provider for one case (reg 6(1)); due 6 weeks after the
    provider received it (reg 8(1))."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="advice_requests")
    kind = models.CharField(max_length=32, choices=AdviceKind.choices)
    service = models.ForeignKey(
        PartnerService,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advice_requests",
        help_text="Empty only for parent views gathered by the SEN team (decision 0020).",
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="named_advice_requests",
        help_text="Optional: the professional within the service the request is assigned to.",
    )
    question = models.TextField(help_text="What the authority asks the provider to advise on.")
    requested_on = models.DateField(help_text="The date the provider received the request.")
    due_on = models.DateField(db_index=True)
    status = FSMField(
        default=AdviceStatus.REQUESTED,
        choices=AdviceStatus.choices,
        protected=True,
        db_index=True,
    )
    status_changed_on = models.DateField()
    accepted_on = models.DateField(null=True, blank=True)
    first_submitted_on = models.DateField(
        null=True, blank=True, help_text="When the provider first returned advice (6-week measure)."
    )
    submitted_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    cancelled_on = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    last_reason = models.TextField(
        blank=True, help_text="Why it was last declined, cancelled or returned."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    last_chased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "When the service was last reminded (section 10): the latest chase contact on the "
            "case, kept here so the weekly follow-up can count what was not chased."
        ),
    )
    # Written by the deadline sweep alone (decision 0195), in the transaction that recorded the
    # alert: true once the request's notification at that level exists (alerts are once per
    # level, ever). A save() of an instance loaded before the mark writes it back to false:
    # harmless, the request is read again, owes nothing, and is marked again.
    alerted_due_soon = models.BooleanField(default=False, db_default=False)
    alerted_overdue = models.BooleanField(default=False, db_default=False)
    alerted_escalated = models.BooleanField(default=False, db_default=False)
    pending_due_soon_on = _pending_due_on("due_soon")
    pending_overdue_on = _pending_due_on("overdue")
    pending_escalated_on = _pending_due_on("escalated")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AdviceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["case", "status"]),
            models.Index(fields=["service", "status", "due_on"]),
            # Which cases have overdue advice (the risk of every open case, section 6): read
            # from the outstanding requests' due dates alone, not every request ever made.
            models.Index(
                fields=["due_on", "case"],
                condition=Q(status__in=OUTSTANDING_STATUSES),
                name="advice_outstanding_due_idx",
            ),
            # The advice sweep (decision 0195): per level, the due dates of the requests not yet
            # told it, so what was told long ago is never read again.
            *(
                models.Index(
                    fields=[f"pending_{level}_on"],
                    condition=Q(**{f"pending_{level}_on__isnull": False}),
                    name=f"advice_pending_{level}_idx",
                )
                for level in MAY_OWE_ALERT
            ),
            # Measures over the advice requested in a period (the dashboard, the follow-up).
            models.Index(fields=["requested_on"], name="advice_requested_on_idx"),
            # The family sweep's "all the advice is in": the advice submitted in the last week.
            models.Index(
                fields=["submitted_on", "case"],
                condition=Q(status="submitted"),
                name="advice_submitted_on_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "service"],
                condition=~Q(status="cancelled"),
                name="advice_one_live_request_per_provider_per_case",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(kind="parent_views") & ~Q(status="cancelled"),
                name="advice_one_live_parent_views_per_case",
            ),
            models.CheckConstraint(
                condition=Q(kind="parent_views") | Q(service__isnull=False),
                name="advice_service_required_except_parent_views",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gt=models.F("requested_on")),
                name="advice_due_after_requested",
            ),
        ]

    def __str__(self):
        return f"{self.case.reference}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        """Saving a request keeps its case's stored advice risk input right (decision 0190)."""
        super().save(*args, **kwargs)
        from .risk_inputs import case_advice_due_refresh  # noqa: PLC0415 - imports this module

        case_advice_due_refresh([self.case_id])

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status in OUTSTANDING_STATUSES and today > self.due_on

    # --- Transitions (section 4). They record dates only; the services do the rest. ---------

    @transition(
        field=status,
        source=AdviceStatus.REQUESTED,
        target=AdviceStatus.ACCEPTED,
        permission=may_respond,
    )
    def accept(self, *, on: datetime.date, reason: str = ""):
        self.accepted_on = on

    @transition(
        field=status,
        source=[AdviceStatus.REQUESTED, AdviceStatus.ACCEPTED],
        target=AdviceStatus.DECLINED,
        permission=may_respond,
    )
    def decline(self, *, on: datetime.date, reason: str = ""):
        """The service cannot advise (for example the child is not known to it)."""
        self.declined_on = on
        self.last_reason = reason

    @transition(
        field=status,
        source=[AdviceStatus.REQUESTED, AdviceStatus.ACCEPTED],
        target=AdviceStatus.CANCELLED,
        permission=may_manage_advice,
    )
    def cancel(self, *, on: datetime.date, reason: str = ""):
        """The caseworker no longer needs this advice."""
        self.cancelled_on = on
        self.last_reason = reason

    @transition(
        field=status,
        source=[AdviceStatus.ACCEPTED, AdviceStatus.RETURNED],
        target=AdviceStatus.SUBMITTED,
        permission=may_respond,
    )
    def submit(self, *, on: datetime.date, reason: str = ""):
        self.submitted_on = on
        if self.first_submitted_on is None:
            self.first_submitted_on = on

    @transition(
        field=status,
        source=AdviceStatus.SUBMITTED,
        target=AdviceStatus.RETURNED,
        permission=may_manage_advice,
    )
    def return_for_quality(self, *, on: datetime.date, reason: str = ""):
        """The caseworker sends the advice back: it does not answer the question asked."""
        self.returned_on = on
        self.last_reason = reason


class AdviceSubmission(models.Model):
    """A document and its structured summary. Every submission is kept (a returned one too), so
    the history of what the provider sent is never lost."""

    advice_request = models.ForeignKey(
        AdviceRequest, on_delete=models.PROTECT, related_name="submissions"
    )
    stored_name = models.CharField(
        max_length=100, unique=True, help_text="Server-generated; never the uploaded name."
    )
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    needs = models.TextField()
    outcomes_sought = models.TextField()
    provision = models.TextField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self):
        return f"{self.advice_request}: {self.original_filename}"


class AdviceExceptionGround(models.TextChoices):
    """Section 2, reg 8(2): the grounds that excuse late advice."""

    EXCEPTIONAL_PERSONAL_CIRCUMSTANCES = (
        "exceptional_personal_circumstances",
        "Exceptional personal circumstances",
    )
    ABSENT_FROM_AREA = "absent_from_area", "Absent from the area for 4 weeks or more"
    MISSED_APPOINTMENT = "missed_appointment", "Missed an appointment made by the provider"


class AdviceException(TimeLimitException):
    """An exception to the advice time limit. Counts only once a manager (not the proposer)
    agrees it, and never moves the due date."""

    advice_request = models.ForeignKey(
        AdviceRequest, on_delete=models.PROTECT, related_name="exceptions"
    )
    ground = models.CharField(max_length=40, choices=AdviceExceptionGround.choices)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="advice_exception_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(agreed_at__isnull=True) | Q(agreed_by__isnull=False),
                name="advice_exception_agreed_has_agreer",
            ),
        ]

    def __str__(self):
        return f"{self.advice_request}: {self.get_ground_display()}"


class ReusedAdvice(models.Model):
    """Reg 6(4): existing advice used instead of a new request, because the provider, the
    authority and the family all agree it is sufficient."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reused_advice")
    kind = models.CharField(max_length=32, choices=AdviceKind.choices)
    service = models.ForeignKey(
        PartnerService, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_name = models.CharField(
        max_length=200, blank=True, help_text="Who gave the advice, if not a partner service."
    )
    original_advice_on = models.DateField(help_text="When the existing advice was given.")
    provider_agreed_on = models.DateField()
    authority_agreed_on = models.DateField()
    family_agreed_on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "kind", "id"]
        verbose_name_plural = "reused advice"
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | ~Q(provider_name=""),
                name="reused_advice_names_its_provider",
            ),
        ]

    def __str__(self):
        return f"{self.case.reference}: re-used {self.get_kind_display()}"
