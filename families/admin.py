from django.contrib import admin

from audit.admin import ReadOnlyAdminMixin

from .models import FamilyLink, FamilyMember, Invitation


@admin.register(FamilyMember)
class FamilyMemberAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)


@admin.register(FamilyLink)
class FamilyLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("member", "child", "created_at", "revoked_at")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("email", "child", "created_at", "expires_at", "accepted_at")
    exclude = ("token_hash",)
