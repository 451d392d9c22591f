"""The manager's pages, under /reports/."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("dashboard/<slug:table>.csv", views.dashboard_csv, name="dashboard-csv"),
    path("import/", views.tracker_upload, name="import"),
]
