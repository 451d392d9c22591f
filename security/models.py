"""The record access log (ehc-process.md section 8, ASVS 7.1/7.2): every view of a child's case
record, by anyone, with who, what, when and from where. Append-only: the application never
changes or deletes a row, and on PostgreSQL a trigger refuses it (migration 0002); a deletion
needs the documented privileged path (decision 0062)."""

from django.db import models

from audit.erasure import retention_erasure_active

ACCESS_LOG_APPEND_ONLY = "The record access log is append-only: rows cannot be changed or deleted."


class AccessLogAppendOnlyError(Exception):
    pass


class RecordAccessQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AccessLogAppendOnlyError(ACCESS_LOG_APPEND_ONLY)

    def delete(self):
        if retention_erasure_active():  # the retention path only (audit.erasure)
            return super().delete()
        raise AccessLogAppendOnlyError(ACCESS_LOG_APPEND_ONLY)


class RecordAccess(models.Model):
    """One view of a child's record. `child_id` and `user_id` are plain numbers, not foreign
    keys, so the log outlives neither cascade nor a user's deletion; `username` is kept too."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user_id = models.BigIntegerField(null=True)
    username = models.CharField(max_length=150)
    child_id = models.BigIntegerField(db_index=True)
    case_reference = models.CharField(max_length=32, blank=True)
    what = models.CharField(max_length=64)
    path = models.CharField(max_length=300)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = RecordAccessQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["child_id", "occurred_at"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {self.what}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AccessLogAppendOnlyError(ACCESS_LOG_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if retention_erasure_active():
            return super().delete(*args, **kwargs)
        raise AccessLogAppendOnlyError(ACCESS_LOG_APPEND_ONLY)


class RetentionRun(models.Model):
    """What one run of the retention task did (decision 0064): which children it restricted,
    deleted or held, by child id and case reference only, never a name or a date of birth, so
    the report can be kept after the record itself is gone. Written by security.retention."""

    run_on = models.DateField(db_index=True, help_text="The day the policy was applied for.")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    restricted = models.JSONField(default=list, blank=True, help_text="[{child_id, cases}]")
    deleted = models.JSONField(
        default=list, blank=True, help_text="[{child_id, cases, rows, documents}]"
    )
    held = models.JSONField(default=list, blank=True, help_text="[{child_id, cases, reason}]")
    failed = models.JSONField(default=list, blank=True, help_text="[{child_id, error}]")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"Retention run for {self.run_on:%Y-%m-%d}"
