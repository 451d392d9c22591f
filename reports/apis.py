"""/api/reports/...: the section 7 measures as JSON, managers only. Thin: parse the query,
call one selector, return its dict. Errors take ehc_workflow.api's one shape."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from ehc_workflow.api import error_responses

from . import selectors
from .access import REPORTS_FORBIDDEN, may_see_reports
from .advice import advice_timeliness
from .queries import AdviceQuery, YearQuery, advice_range_from, year_from
from .timeliness import timeliness_report


class ManagerPermission(permissions.BasePermission):
    message = REPORTS_FORBIDDEN

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated) and may_see_reports(
            request.user
        )


class ReportApi(APIView):
    permission_classes = [ManagerPermission]

    def today(self):
        return timezone.localdate()


def _doc(summary, *, query=None):
    return extend_schema(
        summary=summary,
        parameters=[query] if query else None,
        responses={200: OpenApiTypes.OBJECT, **error_responses(*((400,) if query else ()), 403)},
    )


class TimelinessApi(ReportApi):
    @_doc("20-week timeliness of final plans, per month and cumulative", query=YearQuery)
    def get(self, request):
        """The same JSON as `manage.py timeliness_report --format json`."""
        return Response(timeliness_report(year=year_from(request.query_params, today=self.today())))


class AdviceTimelinessApi(ReportApi):
    @_doc("Advice returned within 6 weeks, by service or kind", query=AdviceQuery)
    def get(self, request):
        params = advice_range_from(request.query_params, today=self.today())
        return Response(advice_timeliness(today=self.today(), **params))


class PanelConversionApi(ReportApi):
    @_doc("Panel decisions agreeing, and deferrals, per month", query=YearQuery)
    def get(self, request):
        year = year_from(request.query_params, today=self.today())
        return Response(selectors.panel_conversion(year=year))


class OpenCasesApi(ReportApi):
    @_doc("Open cases by status and risk")
    def get(self, request):
        return Response(selectors.open_cases_by_status_and_risk(today=self.today()))


class AgeingApi(ReportApi):
    @_doc("Open cases waiting over 20 and over 52 weeks")
    def get(self, request):
        today = self.today()
        return Response(selectors.ageing_report(today=today))


class CaseloadApi(ReportApi):
    @_doc("Open, at-risk and overdue cases per caseworker")
    def get(self, request):
        return Response({"rows": selectors.caseload_by_caseworker(today=self.today())})
