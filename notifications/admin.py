"""Administrators see the outbox, above all the parked rows, and can retry them once fixed."""

from django.contrib import admin, messages
from django.db.models import Q

from audit.admin import ReadOnlyAdminMixin

from .models import (
    CaseAlertState,
    EmailOptOut,
    EmailStatus,
    LineManager,
    Notification,
    TextStatus,
)
from .services import notifications_retry_parked


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "subject",
        "recipient_key",
        "email_status",
        "email_attempts",
        "email_last_error",
        "text_status",
        "text_last_error",
        "read_at",
    ]
    list_filter = ["email_status", "text_status", "kind", ("read_at", admin.EmptyFieldListFilter)]
    #: New rows have no stored text (decision 0072): find them by case reference or object.
    search_fields = [
        "context__reference",
        "stored_subject",
        "object_id",
        "recipient_key",
        "email_to",
    ]
    list_select_related = ["recipient"]
    readonly_fields = ["subject", "body", *(f.name for f in Notification._meta.fields)]
    actions = ["retry_parked"]

    @admin.action(description="Send the selected parked notifications again")
    def retry_parked(self, request, queryset):
        parked = Q(email_status=EmailStatus.PARKED) | Q(text_status=TextStatus.PARKED)
        ids = queryset.filter(parked).values_list("pk", flat=True)
        retried = notifications_retry_parked(notification_ids=ids)
        self.message_user(request, f"{retried} parked notification(s) queued again.", messages.INFO)

    def get_actions(self, request):
        if not request.user.is_superuser:
            return {}
        return {"retry_parked": self.get_action("retry_parked")}


@admin.register(CaseAlertState)
class CaseAlertStateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "milestone", "due_on", "risk", "changed_at"]
    list_filter = ["risk", "milestone"]
    readonly_fields = ["case", "milestone", "due_on", "risk", "changed_at"]


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "kind"]
    list_filter = ["kind"]


@admin.register(LineManager)
class LineManagerAdmin(admin.ModelAdmin):
    list_display = ["caseworker", "manager"]
    autocomplete_fields = []
