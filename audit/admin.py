from django.contrib import admin

from .models import AuditEntry


class ReadOnlyAdminMixin:
    """Shown, never added, changed or deleted here: the rows change only through services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "actor_username",
        "verb",
        "target_label",
        "from_state",
        "to_state",
        "effective_date",
    ]
    list_filter = ["verb"]
    search_fields = ["target_label", "actor_username", "reason"]
    date_hierarchy = "occurred_at"
