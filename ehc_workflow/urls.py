"""The project's URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cases.views import govuk_asset

from .views import SignInView, home

admin.site.site_header = "EHC needs assessments: administration"
admin.site.site_title = "EHC needs assessments"

api_urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("cases/", include("cases.api_urls")),
    path("cases/", include("disputes.api_urls")),
    path("advice-requests/", include("advice_requests.api_urls")),
    path("", include("panels.api_urls")),
    path("notifications/", include("notifications.api_urls")),
    path("reports/", include("reports.api_urls")),
    path("forecasts/", include("forecasts.api_urls")),
    path("", include("plans.api_urls")),
    path("reviews/", include("reviews.api_urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include((api_urlpatterns, "api"))),
    path(
        "accounts/login/",
        SignInView.as_view(),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("security.urls")),
    path("cases/", include("cases.urls")),
    path("cases/", include("disputes.urls")),
    path("advice/", include("advice_requests.urls")),
    path("panels/", include("panels.urls")),
    path("notifications/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    path("forecasts/", include("forecasts.urls")),
    path("plans/", include("plans.urls")),
    path("reviews/", include("reviews.urls")),
    path("family/", include("families.urls")),
    # GOV.UK Frontend's CSS asks for its fonts and images at /assets/.
    path("assets/<path:path>", govuk_asset),
    path("", home, name="home"),
]

handler404 = "ehc_workflow.views.not_found"
