from django.contrib import admin

from audit.admin import ReadOnlyAdminMixin

from .models import DeclineReason, Panel, PanelMeeting, PanelMembership


class MembershipInline(admin.TabularInline):
    model = PanelMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["name", "panel_type", "chair", "weekday", "starts_at", "capacity"]
    list_filter = ["panel_type", "is_active"]
    inlines = [MembershipInline]


@admin.register(DeclineReason)
class DeclineReasonAdmin(admin.ModelAdmin):
    list_display = ["text", "panel_type", "is_active"]
    list_filter = ["panel_type", "is_active"]


@admin.register(PanelMeeting)
class PanelMeetingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: meetings move through the panel services (build, publish, decide)."""

    list_display = ["panel", "date", "starts_at", "status"]
    list_filter = ["panel", "status"]
    date_hierarchy = "date"
