"""Audit rows: who did what to which record, when, from which state to which, and why."""

from django.conf import settings
from django.db import models

from .erasure import retention_erasure_active


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError(AUDIT_IMMUTABLE)

    def delete(self):
        if retention_erasure_active():  # the retention path only (audit.erasure)
            return super().delete()
        raise AuditImmutableError(AUDIT_IMMUTABLE)


AUDIT_IMMUTABLE = "Audit entries are append-only: they cannot be changed or deleted."


class AuditImmutableError(Exception):
    pass


class AuditEntry(models.Model):
    """One state change. Never updated, and deleted only by the retention path once the child
    it is about is past retention (audit.erasure); on PostgreSQL a trigger refuses UPDATE and
    any other DELETE on this table too (migrations 0002, 0003)."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for the system (scheduled jobs).",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    verb = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, help_text="app_label.model of the record changed")
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=200, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
        help_text="The case this change belongs to, so a case's history is one query.",
    )
    from_state = models.CharField(max_length=64, blank=True)
    to_state = models.CharField(max_length=64, blank=True)
    effective_date = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["case", "occurred_at", "id"]),
            # Reports count one kind of step by its effective date (panel conversion: the
            # year's panel decisions) from this index alone, not the whole trail (0076).
            models.Index(fields=["verb", "effective_date"], name="audit_verb_effective_idx"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username or 'system'} {self.verb}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditImmutableError(AUDIT_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if retention_erasure_active():
            return super().delete(*args, **kwargs)
        raise AuditImmutableError(AUDIT_IMMUTABLE)
