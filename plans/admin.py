"""Admin: the council edits its letter templates here (each save checked: a variable a letter
is not given is refused, named). Plans, versions, comments, consultations and letters are
shown read-only: they change only through the services, and an issued version never."""

from django.contrib import admin
from django.utils.html import format_html_join

from audit.admin import ReadOnlyAdminMixin
from cases.admin import NotRestrictedAdminMixin

from .letter_checks import VARIABLES
from .models import (
    Consultation,
    DecisionNotice,
    FamilyComment,
    Letter,
    LetterTemplate,
    Plan,
    PlanVersion,
)


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject", "updated_at"]
    fields = ["kind", "subject", "body", "variables"]
    readonly_fields = ["variables"]

    @admin.display(description="Variables you can use, as {{ name }}")
    def variables(self, obj=None):
        return format_html_join("", "<p><code>{}</code>: {}</p>", VARIABLES.items())

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(NotRestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    child_path = "case__child"
    list_display = ["case", "setting_type", "updated_at"]
    search_fields = ["case__reference"]
    list_select_related = ["case"]


@admin.register(PlanVersion)
class PlanVersionAdmin(NotRestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    child_path = "plan__case__child"
    list_display = ["plan", "number", "kind", "issued_on"]
    exclude = ["pdf", "html"]
    list_select_related = ["plan__case"]


@admin.register(FamilyComment)
class FamilyCommentAdmin(NotRestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    child_path = "plan__case__child"
    list_display = ["plan", "section", "kind", "received_on", "answer"]


@admin.register(Consultation)
class ConsultationAdmin(NotRestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    child_path = "plan__case__child"
    list_display = ["plan", "setting_name", "sent_on", "due_on", "answer", "responded_on"]


@admin.register(DecisionNotice)
class DecisionNoticeAdmin(NotRestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    child_path = "case__child"
    list_display = ["case", "kind", "decided_on", "letter_due_on", "family_notified_on"]


@admin.register(Letter)
class LetterAdmin(NotRestrictedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    child_path = "case__child"
    list_display = ["case", "subject", "recipient_name", "sent_on", "sent_method"]
    exclude = ["pdf", "html"]
