"""The limit for one API request (issue 20 item 4): bare DRF views returning the same rows from
the same queries as the app's case list, case detail and partner inbox, mounted only by the
benchmark (bench/bare_urls.py, never the app's URLs).

What "bare" keeps: DRF's APIView and JSONRenderer, and token authentication (without knowing
who asks there are no "same rows"). What it drops: every middleware, sessions, the second-factor
and session-policy checks, permission classes, django-filter, the paginator, the access log, and
DRF's field-by-field serialisers (a plain function builds each row's dict). The domain rules a
row's content depends on (what a user may do next, readiness for panel, the deadlines) are
called as the app calls them: they are the answer, not overhead.

The bodies equal the app's (tests/api/test_bare_views.py compares them), so the benchmark
compares like with like.

The "logged" variants (LoggedBareCaseDetail, LoggedBarePartnerInbox, under /bare-logged/) add
back the one thing the app must do that the bare views skip: the access rows of section 8,
exactly those the app writes for the same request (the same table, columns and values), in
one raw SQL statement per request, committed on its own as the app's are (ATOMIC_REQUESTS is
off: autocommit). Against them the app's ratio is its overhead alone, not the required write."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from advice_requests.models import AccessAction, AccessLog, AdviceRequest, ServiceMembership
from advice_requests.roles import viewer_memberships_attr
from advice_requests.services import available_transitions as advice_transitions
from cases import selectors
from cases.extensions import case_readiness
from cases.filters import CaseFilter
from cases.roles import Role, has_role
from cases.services import available_transitions as case_transitions
from security.access_log import LOGGED_ROUTES, client_ip
from security.models import RecordAccess

PAGE_SIZE = 25


def _iso(day):
    return day.isoformat() if day is not None else None


def _next_milestone(case):
    if not case.next_milestone:
        return None
    return {
        "name": case.next_milestone,
        "label": case.get_next_milestone_display(),
        "due": _iso(case.next_milestone_due),
    }


def case_row(case) -> dict:
    """The list's fields (CaseListSerializer) as a plain dict."""
    caseworker = case.caseworker
    return {
        "reference": case.reference,
        "child_name": f"{case.child.first_name} {case.child.last_name}",
        "status": case.status,
        "received_on": _iso(case.received_on),
        "primary_need": case.primary_need,
        "caseworker": caseworker.username if caseworker is not None else None,
        "next_milestone": _next_milestone(case),
        "risk": case.risk or None,
        "final_plan_due": _iso(case.final_plan_due),
        "forecast_final_plan_likely_on": _iso(case.forecast_final_plan_likely_on),
        "forecast_misses_final_plan": case.forecast_misses_final_plan,
    }


def _user_name(user):
    return user.username if user is not None else None


def _when(moment):
    """As DRF writes a date and time: in the current time zone, UTC as "Z"."""
    if moment is None:
        return None
    text = moment.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _exception(exception) -> dict:
    return {
        "id": exception.id,
        "ground": exception.ground,
        "starts_on": _iso(exception.starts_on),
        "ends_on": _iso(exception.ends_on),
        "notes": exception.notes,
        "proposed_by": exception.proposed_by.username,
        "proposed_at": _when(exception.proposed_at),
        "agreed": exception.is_agreed,
        "agreed_by": _user_name(exception.agreed_by),
        "agreed_at": _when(exception.agreed_at),
        "agreement_comment": exception.agreement_comment,
        "refused": exception.is_refused,
        "refused_by": _user_name(exception.refused_by),
        "refused_at": _when(exception.refused_at),
        "refusal_reason": exception.refusal_reason,
        "family_notified_on": _iso(exception.family_notified_on),
    }


FORECAST_DATES = (
    "decision_to_assess_likely_on",
    "decision_to_assess_pessimistic_on",
    "statutory_panel_decision_likely_on",
    "statutory_panel_decision_pessimistic_on",
    "draft_plan_likely_on",
    "draft_plan_pessimistic_on",
    "final_plan_likely_on",
    "final_plan_pessimistic_on",
)


def _forecast(case):
    try:
        forecast = case.forecast
    except ObjectDoesNotExist:  # no forecast yet (or a closed case)
        return None
    return {
        "computed_on": _iso(forecast.computed_on),
        **{name: _iso(getattr(forecast, name)) for name in FORECAST_DATES},
        "final_plan_likely_week": forecast.final_plan_likely_week,
        "misses_final_plan": forecast.misses_final_plan,
        "reason": forecast.reason,
        "basis": [str(item) for item in forecast.basis],
        "no_history": forecast.no_history,
    }


def _readiness(case, today):
    readiness = case_readiness(case=case, today=today)
    if readiness is None:
        return None
    return {
        "ready": readiness["ready"],
        "outstanding": [
            {
                "id": row["id"],
                "kind": row["kind"],
                "kind_label": row["kind_label"],
                "service": row["service"],
                "status": row["status"],
                "due_on": _iso(row["due_on"]),
                "overdue": row["overdue"],
            }
            for row in readiness["outstanding"]
        ],
    }


def case_detail(case, *, user, today) -> dict:
    """CaseDetailSerializer's fields as a plain dict."""
    child = case.child
    return {
        **case_row(case),
        "child": {
            "id": child.id,
            "first_name": child.first_name,
            "last_name": child.last_name,
            "date_of_birth": _iso(child.date_of_birth),
            "upn": child.upn,
            "home_local_authority": child.home_local_authority,
            "current_setting": child.current_setting,
            "current_setting_urn": child.current_setting_urn,
            "in_year_9_or_above": child.in_year_9_or_above,
        },
        "request_source": case.request_source,
        "secondary_needs": [str(need) for need in case.secondary_needs],
        "status_changed_on": _iso(case.status_changed_on),
        "deadlines": {
            deadline.key: {
                "due": _iso(deadline.due),
                "actual": _iso(deadline.actual),
                "on_time": deadline.on_time,
            }
            for deadline in selectors.case_deadlines(case)
        },
        "exceptions": [_exception(exception) for exception in case.exceptions.all()],
        "available_transitions": case_transitions(case, user),
        "panel_readiness": _readiness(case, today),
        "forecast": _forecast(case),
    }


def advice_row(advice, *, user, today) -> dict:
    """PartnerAdviceRequestSerializer's fields as a plain dict."""
    child = advice.case.child
    submissions = list(advice.submissions.all())
    latest = submissions[-1] if submissions else None
    return {
        "id": advice.id,
        "kind": advice.kind,
        "status": advice.status,
        "service": advice.service.name if advice.service is not None else None,
        "child_name": f"{child.first_name} {child.last_name}",
        "date_of_birth": _iso(child.date_of_birth),
        "setting": child.current_setting,
        "question": advice.question,
        "requested_on": _iso(advice.requested_on),
        "due_on": _iso(advice.due_on),
        "overdue": advice.is_overdue(today),
        "last_reason": advice.last_reason,
        "submission": None
        if latest is None
        else {
            "id": latest.id,
            "filename": latest.original_filename,
            "content_type": latest.content_type,
            "size": latest.size,
            "submitted_on": _iso(latest.submitted_on),
            "needs": latest.needs,
            "outcomes_sought": latest.outcomes_sought,
            "provision": latest.provision,
        },
        "available_transitions": advice_transitions(advice, user),
    }


def _page(request, queryset, row) -> dict:
    """Page 1 of `page_size` (default 25) rows, shaped as the app's paginator shapes it."""
    size = min(int(request.query_params.get("page_size", PAGE_SIZE)), 100)
    count = queryset.count()
    rows = list(queryset[:size])
    return {
        "count": count,
        "next": replace_query_param(request.build_absolute_uri(), "page", 2)
        if count > size
        else None,
        "previous": None,
        "results": [row(item) for item in rows],
    }


class BareApi(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = []
    renderer_classes = [JSONRenderer]


class BareCaseList(BareApi):
    """GET /bare/cases/?caseworker=<username>: the rows of the app's case list."""

    def get(self, request):
        queryset = selectors.case_list_rows(user=request.user, today=timezone.localdate())
        username = request.query_params.get("caseworker")
        if username:
            queryset = CaseFilter.filter_caseworker(None, queryset, "caseworker", username)
        return Response(_page(request, queryset, case_row))


class BareCaseDetail(BareApi):
    """GET /bare/cases/<reference>/: the app's case detail."""

    def get(self, request, reference):
        today = timezone.localdate()
        case = selectors.case_get(user=request.user, reference=reference, today=today)
        return Response(case_detail(case, user=request.user, today=today))


class BarePartnerInbox(BareApi):
    """GET /bare/advice-requests/?outstanding=true: what the partner's services still owe."""

    def get(self, request):
        user = request.user
        if not user.is_authenticated:
            raise Http404
        queryset = (
            AdviceRequest.objects.visible_to(user)
            .outstanding()
            .select_related("case__child", "service", "professional")
            .prefetch_related(
                "submissions",
                Prefetch(
                    "service__memberships",
                    queryset=ServiceMembership.objects.filter(user=user),
                    to_attr=viewer_memberships_attr(user),
                ),
            )
            .order_by("due_on", "id")
        )
        today = timezone.localdate()
        return Response(
            _page(request, queryset, lambda advice: advice_row(advice, user=user, today=today))
        )


# The logged variants: the bare body, plus the app's access rows in one statement.

LOGGED_PREFIX = "/bare-logged/"

#: One RecordAccess row, as security.access_log.record_access writes it.
RECORD_ACCESS_SQL = f"""
INSERT INTO {RecordAccess._meta.db_table}
    (occurred_at, user_id, username, child_id, case_reference, what, path, ip_address)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s::inet)
"""  # noqa: S608  # nosec B608 - the model's table name; values are bound parameters

#: One AccessLog row per listed request, as advice_requests.access.access_log_record_list
#: writes them (AccessLog.objects.append: one INSERT), in the page's order.
LIST_ACCESS_SQL = f"""
INSERT INTO {AccessLog._meta.db_table}
    (occurred_at, user_id, username, action, advice_request_id, submission_id,
     case_document_id, ip_address)
SELECT %s::timestamptz, %s::bigint, %s::varchar, %s::varchar, listed.id, NULL, NULL, %s::inet
FROM unnest(%s::bigint[]) WITH ORDINALITY AS listed (id, position)
ORDER BY listed.position
"""  # noqa: S608  # nosec B608 - the model's table name; values are bound parameters


def _app_path(request) -> str:
    """The path the app's request for the same thing has (/api/... for /bare-logged/...): the
    app logs the path it was asked, so the logged variant logs the app's."""
    return "/api/" + request.get_full_path().removeprefix(LOGGED_PREFIX)


class LoggedBareCaseDetail(BareCaseDetail):
    """GET /bare-logged/cases/<reference>/: the bare case detail, and the RecordAccess row the
    app's RecordAccessMiddleware writes for it (route api:case-detail)."""

    def get(self, request, reference):
        response = super().get(request, reference)  # Http404: nothing shown, nothing logged
        user = request.user
        with connection.cursor() as cursor:
            cursor.execute(
                RECORD_ACCESS_SQL,
                [
                    timezone.now(),
                    user.pk,
                    user.get_username(),
                    response.data["child"]["id"],
                    response.data["reference"],
                    LOGGED_ROUTES["api:case-detail"][0],
                    _app_path(request)[:300],
                    client_ip(request),
                ],
            )
        return response


class LoggedBarePartnerInbox(BarePartnerInbox):
    """GET /bare-logged/advice-requests/?outstanding=true: the bare inbox, and for a partner
    (not caseworkers or managers, as the app) one AccessLog row per listed request."""

    def get(self, request):
        response = super().get(request)
        user = request.user
        listed = [row["id"] for row in response.data["results"]]
        if listed and not has_role(user, Role.CASEWORKER, Role.MANAGER):
            with connection.cursor() as cursor:
                cursor.execute(
                    LIST_ACCESS_SQL,
                    [
                        timezone.now(),
                        user.pk,
                        user.get_username(),
                        AccessAction.LIST.value,
                        client_ip(request),
                        listed,
                    ],
                )
        return response
