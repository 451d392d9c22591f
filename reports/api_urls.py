"""/api/reports/..."""

from django.urls import path

from . import apis

urlpatterns = [
    path("timeliness/", apis.TimelinessApi.as_view(), name="report-timeliness"),
    path("advice-timeliness/", apis.AdviceTimelinessApi.as_view(), name="report-advice-timeliness"),
    path("panel-conversion/", apis.PanelConversionApi.as_view(), name="report-panel-conversion"),
    path("open-cases/", apis.OpenCasesApi.as_view(), name="report-open-cases"),
    path("ageing/", apis.AgeingApi.as_view(), name="report-ageing"),
    path("caseload/", apis.CaseloadApi.as_view(), name="report-caseload"),
]
