"""Admin for partner services and advice: read-mostly. Statuses and memberships change only
through the services (validated, locked and audited); the access log is never edited."""

from django.contrib import admin

from audit.admin import ReadOnlyAdminMixin
from cases.admin import NotRestrictedAdminMixin

from .models import (
    AccessLog,
    AdviceException,
    AdviceRequest,
    AdviceSubmission,
    PartnerService,
    ReusedAdvice,
    ServiceMembership,
)


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ServiceMembership
    fk_name = "service"
    fields = ["user", "joined_on", "left_on"]
    readonly_fields = fields
    extra = 0


@admin.register(PartnerService)
class PartnerServiceAdmin(admin.ModelAdmin):
    """Services themselves may be set up here; who belongs to them changes through
    advice_requests.memberships, so every joiner and leaver is audited."""

    list_display = ["name", "kind", "contact_email", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False


class SubmissionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AdviceSubmission
    fields = ["submitted_on", "original_filename", "content_type", "size", "submitted_by"]
    readonly_fields = fields
    extra = 0


@admin.register(AdviceRequest)
class AdviceRequestAdmin(NotRestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    child_path = "case__child"

    list_display = ["case", "kind", "service", "status", "requested_on", "due_on"]
    list_filter = ["status", "kind", "service"]
    search_fields = ["case__reference"]
    list_select_related = ["case", "service"]
    inlines = [SubmissionInline]


@admin.register(AdviceException)
class AdviceExceptionAdmin(NotRestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    child_path = "advice_request__case__child"

    list_display = ["advice_request", "ground", "starts_on", "ends_on", "agreed_at"]


@admin.register(ReusedAdvice)
class ReusedAdviceAdmin(NotRestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    child_path = "case__child"

    list_display = ["case", "kind", "service", "provider_name", "original_advice_on"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["occurred_at", "username", "action", "advice_request", "ip_address"]
    list_filter = ["action"]
    search_fields = ["username"]
