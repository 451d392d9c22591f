"""Sign-in's second step and the user's own security settings, under /accounts/."""

from django.urls import path

from . import views

urlpatterns = [
    path("two-factor/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path(
        "two-factor/recovery-codes/",
        views.recovery_codes_reissue,
        name="two-factor-recovery-codes",
    ),
    path("api-token/", views.api_token, name="api-token"),
    path("children/<int:child_id>/access-log/", views.child_access_log, name="child-access-log"),
]
