"""The access log (ehc-process.md section 8): who read which advice request, or downloaded
which document, when and from where. Kept apart from models.py, which stays about the process."""

from django.conf import settings
from django.db import connections, models

from audit.erasure import retention_erasure_active


class AccessAction(models.TextChoices):
    READ = "read", "Read the request"
    LIST = "list", "Listed in an inbox"
    DOWNLOAD = "download", "Downloaded the document"
    DOWNLOAD_PAPER = "download_paper", "Downloaded a paper shared by the SEN team"


class AccessLogQuerySet(models.QuerySet):
    def append(self, entries: list["AccessLog"]) -> None:
        """Write the entries in one INSERT statement. A single INSERT is atomic on its own;
        bulk_create would wrap it in BEGIN and COMMIT (two more round trips on every inbox page,
        issue 20 item 4). A list longer than one statement can bind goes through bulk_create,
        whose batches are then kept together by its transaction."""
        if not entries:
            return
        fields = [field for field in self.model._meta.concrete_fields if not field.primary_key]
        connection = connections[self.db]
        if len(entries) > connection.ops.bulk_batch_size(fields, entries):
            self.bulk_create(entries)
            return
        for entry in entries:
            entry._prepare_related_fields_for_save(operation_name="append")
        # QuerySet._insert is what Model.save and bulk_create write through, without the
        # transaction bulk_create opens around its batches.
        self._insert(entries, fields=fields, using=self.db)
        for entry in entries:
            entry._state.adding = False
            entry._state.db = self.db

    def update(self, **kwargs):
        raise AccessLogImmutableError(ACCESS_LOG_IMMUTABLE)

    def delete(self):
        if retention_erasure_active():  # the retention path only (audit.erasure)
            return super().delete()
        raise AccessLogImmutableError(ACCESS_LOG_IMMUTABLE)


ACCESS_LOG_IMMUTABLE = "The access log is append-only: entries cannot be changed or deleted."


class AccessLogImmutableError(Exception):
    pass


class AccessLog(models.Model):
    """Section 8: every partner read of a request and every document download, with who, what,
    when and from where. Append-only (a PostgreSQL trigger refuses changes too)."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=16, choices=AccessAction.choices)
    advice_request = models.ForeignKey(
        "advice_requests.AdviceRequest", on_delete=models.PROTECT, related_name="access_log"
    )
    submission = models.ForeignKey(
        "advice_requests.AdviceSubmission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case_document = models.ForeignKey(
        "cases.CaseDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A case document the caseworker shared with the request.",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["advice_request", "occurred_at"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AccessLogImmutableError(ACCESS_LOG_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if retention_erasure_active():
            return super().delete(*args, **kwargs)
        raise AccessLogImmutableError(ACCESS_LOG_IMMUTABLE)
