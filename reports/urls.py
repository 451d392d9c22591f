"""The manager's pages, under /reports/."""

from django.urls import path

from . import sen2_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("dashboard/<slug:table>.csv", views.dashboard_csv, name="dashboard-csv"),
    path("import/", views.tracker_upload, name="import"),
    path("sen2/", sen2_views.sen2_page, name="sen2"),
]
