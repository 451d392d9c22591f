"""Admin for children, cases and exceptions: read-mostly. A status is never set here; cases
move only through cases.services (so every change is validated, locked and audited)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from audit.admin import ReadOnlyAdminMixin
from audit.models import AuditEntry

from . import errors
from .exception_services import exception_agree
from .models import Case, CaseException, Child, ParentCarer


class NotRestrictedAdminMixin:
    """Rows about a child restricted for retention are shown to no one, the administrators
    included (decision 0064). `child_path` leads from the model to its child ("" for Child)."""

    child_path = "child"

    def get_queryset(self, request):
        prefix = f"{self.child_path}__" if self.child_path else ""
        return super().get_queryset(request).filter(**{f"{prefix}restricted_on__isnull": True})


class ParentCarerInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ParentCarer
    extra = 0


class CaseInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Case
    fields = ["reference", "status", "received_on", "final_plan_due"]
    readonly_fields = fields
    show_change_link = True
    extra = 0


@admin.register(Child)
class ChildAdmin(NotRestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    child_path = ""

    list_display = ["last_name", "first_name", "date_of_birth", "current_setting"]
    search_fields = ["last_name", "first_name", "upn"]
    inlines = [ParentCarerInline, CaseInline]


class AuditInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AuditEntry
    fields = [
        "occurred_at",
        "actor_username",
        "verb",
        "from_state",
        "to_state",
        "effective_date",
        "reason",
    ]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = "history"


class ExceptionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaseException
    fields = ["ground", "starts_on", "ends_on", "proposed_by", "agreed_by", "agreed_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Case)
class CaseAdmin(NotRestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "child",
        "status",
        "received_on",
        "next_milestone",
        "next_milestone_due",
        "final_plan_due",
        "caseworker",
    ]
    list_filter = ["status", "primary_need", "request_source", "next_milestone"]
    search_fields = ["reference", "child__last_name", "child__first_name"]
    list_select_related = ["child", "caseworker"]
    date_hierarchy = "received_on"
    ordering = ["next_milestone_due", "received_on"]
    inlines = [ExceptionInline, AuditInline]

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(CaseException)
class CaseExceptionAdmin(NotRestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    child_path = "case__child"

    list_display = ["case", "ground", "starts_on", "ends_on", "proposed_by", "agreed_by"]
    list_filter = ["ground", ("agreed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["case", "proposed_by", "agreed_by"]
    actions = ["agree_selected"]

    @admin.action(description="Agree the selected exceptions (managers)")
    def agree_selected(self, request, queryset):
        agreed = 0
        for exception in queryset.filter(agreed_at__isnull=True):
            try:
                exception_agree(actor=request.user, exception=exception)
            except (errors.CaseError, ValidationError) as exc:
                self.message_user(request, f"{exception}: {exc}", messages.ERROR)
            else:
                agreed += 1
        self.message_user(request, f"{agreed} exception(s) agreed.")

    def get_actions(self, request):
        # Actions are hidden when the admin has no change permission; this one goes through
        # the service, which checks the manager role itself.
        return {"agree_selected": self.get_action("agree_selected")}
