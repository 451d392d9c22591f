"""The caseworker's everyday record of a case (ehc-process.md section 10): case notes and the
contact log, and the case's documents with the advice requests each is shared with. Kept apart
from models.py, which stays about the statutory process; re-exported there.

The contact log is append-only: a wrong entry is corrected by a new entry that points at it,
never by an update (a PostgreSQL trigger refuses changes too, migration 0008). Like the audit
trail, the only delete is the retention path (audit.erasure).

The few links to the advice app (a note about an advice request or with a partner service, a
document shared with an advice request) are by model name: this module imports no other app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from audit.erasure import retention_erasure_active

CASE_NOTE_IMMUTABLE = (
    "Case notes are append-only: record a correction as a new entry instead of changing one."
)


class CaseNoteImmutableError(Exception):
    pass


class ContactKind(models.TextChoices):
    """Section 10: how the contact happened."""

    PHONE_CALL = "phone_call", "Phone call"
    EMAIL = "email", "Email"
    MEETING = "meeting", "Meeting"
    LETTER = "letter", "Letter"
    VISIT = "visit", "Visit"
    OTHER = "other", "Other"


class CaseNoteQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise CaseNoteImmutableError(CASE_NOTE_IMMUTABLE)

    def delete(self):
        if retention_erasure_active():  # the retention path only (audit.erasure)
            return super().delete()
        raise CaseNoteImmutableError(CASE_NOTE_IMMUTABLE)


class CaseNote(models.Model):
    """One case note or contact: what kind, when it happened, with whom, what was said, and who
    recorded it when. A chase of outstanding advice is one too (`advice_request`, `is_chase`)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(max_length=16, choices=ContactKind.choices)
    occurred_on = models.DateField(help_text="When it happened: today or earlier.")
    with_parent_carer = models.ForeignKey(
        "cases.ParentCarer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A person of the family, when the contact was with one.",
    )
    with_service = models.ForeignKey(
        "advice_requests.PartnerService",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A partner service, when the contact was with one.",
    )
    with_whom = models.CharField(
        max_length=200, blank=True, help_text="Anyone else, in words (or a name at the time)."
    )
    summary = models.TextField(help_text="What was said or done.")
    advice_request = models.ForeignKey(
        "advice_requests.AdviceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notes",
        help_text="The advice request this contact was about (a chase names one).",
    )
    is_chase = models.BooleanField(
        default=False, help_text="A reminder to the partner service about outstanding advice."
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        # RESTRICT, not PROTECT: the retention path may delete an entry with its corrections.
        on_delete=models.RESTRICT,
        related_name="corrections",
        help_text="The entry this one corrects (shown together); the original is never changed.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    submission_token = models.CharField(
        max_length=64,
        blank=True,
        help_text="The form's one-time token: a second submission of the same form adds nothing.",
    )

    objects = CaseNoteQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "recorded_at", "id"]
        indexes = [
            models.Index(fields=["case", "occurred_on"]),
            models.Index(
                fields=["advice_request", "recorded_at"],
                condition=Q(is_chase=True),
                name="case_note_chase_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_token"],
                condition=~Q(submission_token=""),
                name="case_note_one_per_submission",
            ),
            models.CheckConstraint(
                condition=Q(is_chase=False) | Q(advice_request__isnull=False),
                name="case_note_chase_names_its_request",
            ),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.get_kind_display()} on {self.occurred_on}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise CaseNoteImmutableError(CASE_NOTE_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if retention_erasure_active():
            return super().delete(*args, **kwargs)
        raise CaseNoteImmutableError(CASE_NOTE_IMMUTABLE)

    #: The case page's history tells notes from audit entries by this.
    is_contact_note = True

    @property
    def with_label(self) -> str:
        """With whom, in words: the family member, the service, or the free text."""
        if self.with_parent_carer_id:
            person = self.with_parent_carer
            return f"{person.name} ({person.relationship})" if person.relationship else person.name
        if self.with_service_id:
            return self.with_service.name
        return self.with_whom


class CaseDocumentType(models.TextChoices):
    REQUEST_LETTER = "request_letter", "Request letter"
    EVIDENCE = "evidence", "Evidence"
    REPORT = "report", "Report"
    CORRESPONDENCE = "correspondence", "Correspondence"
    PLAN = "plan", "EHC plan"
    OTHER = "other", "Other"


class CaseDocument(models.Model):
    """A paper of the case (the request letter, evidence, reports, letters, the plan), checked
    and stored by security.uploads as advice documents are, and downloaded only as an
    attachment. `uploaded_by` is empty for a document the software made (a generated plan)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    document_type = models.CharField(max_length=20, choices=CaseDocumentType.choices)
    title = models.CharField(max_length=200)
    dated_on = models.DateField(help_text="The date on the document (or when it arrived).")
    stored_name = models.CharField(
        max_length=100, unique=True, help_text="Server-generated; never the uploaded name."
    )
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    shared_with = models.ManyToManyField(
        "advice_requests.AdviceRequest",
        through="CaseDocumentShare",
        related_name="shared_documents",
        blank=True,
    )

    class Meta:
        ordering = ["-dated_on", "-id"]
        indexes = [models.Index(fields=["case", "dated_on"])]

    def __str__(self):
        return f"{self.title} ({self.get_document_type_display()})"


class CaseDocumentShare(models.Model):
    """The caseworker lets one advice request's provider see one case document."""

    document = models.ForeignKey(CaseDocument, on_delete=models.CASCADE, related_name="shares")
    advice_request = models.ForeignKey(
        "advice_requests.AdviceRequest", on_delete=models.PROTECT, related_name="document_shares"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shared_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "advice_request"], name="case_document_shared_once"
            ),
        ]

    def __str__(self):
        return f"{self.document_id} shared with advice request {self.advice_request_id}"
