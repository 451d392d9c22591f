"""The retention reports, read-only: a run's record cannot be added, changed or deleted here."""

from django.contrib import admin

from audit.admin import ReadOnlyAdminMixin

from .models import RetentionRun


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["run_on", "started_at", "n_restricted", "n_deleted", "n_held", "n_failed"]
    date_hierarchy = "run_on"
    readonly_fields = [
        "run_on",
        "started_at",
        "finished_at",
        "restricted",
        "deleted",
        "held",
        "failed",
    ]

    @admin.display(description="restricted")
    def n_restricted(self, run):
        return len(run.restricted)

    @admin.display(description="deleted")
    def n_deleted(self, run):
        return len(run.deleted)

    @admin.display(description="held")
    def n_held(self, run):
        return len(run.held)

    @admin.display(description="failed")
    def n_failed(self, run):
        return len(run.failed)
