"""The benchmark's bare views (bench/bare.py, issue 20 item 4) answer exactly what the app's
case list, case detail and partner inbox answer, so "the app within 2x of the bare view"
compares the same work; and they are mounted only by the benchmark, never by the app. Their
logged variants also write the access rows the app writes (section 8), in one INSERT."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from rest_framework.authtoken.models import Token

from advice_requests.models import AccessLog
from bench import api_cost
from cases.exception_services import exception_propose
from forecasts.models import CaseForecast
from security.models import RecordAccess
from tests.advice_requests.factories import PartnerServiceFactory, advice_in_status, partner
from tests.cases.factories import case_in_status, caseworker, make_case

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _client(user) -> Client:
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def test_the_case_list_is_the_apps():
    user = caseworker()
    for days in (3, 30, 50, 100):
        make_case(actor=user, today=TODAY, received_on=TODAY - datetime.timedelta(days=days))
    make_case(actor=caseworker(), today=TODAY)  # another caseworker's: filtered out by both
    query = f"?caseworker={user.username}&page_size=3"
    assert api_cost.same_body(_client(user), f"/api/cases/{query}", f"/bare/cases/{query}")


def test_the_case_detail_is_the_apps_with_exceptions_readiness_and_forecast():
    user = caseworker()
    case = case_in_status("assessing", actor=user, received_on=datetime.date(2026, 9, 1))
    CaseForecast.objects.create(
        case=case,
        computed_on=TODAY,
        final_plan_likely_on=datetime.date(2027, 1, 20),
        final_plan_likely_week=20,
        misses_final_plan=False,
        reason="Synthetic.",
        basis=["Synthetic basis."],
    )
    exception_propose(
        actor=user,
        case=case,
        ground="exceptional_personal_circumstances",
        starts_on=case.received_on,
        notes="Synthetic.",
    )
    client = _client(user)
    path = f"/cases/{case.reference}/"
    assert api_cost.body_differences(client, f"/api{path}", f"/bare{path}") == []


def test_the_partner_inbox_is_the_apps_and_only_the_app_logs_it():
    service = PartnerServiceFactory()
    for status in ("requested", "accepted", "returned", "submitted"):
        advice_in_status(status, service=service)
    advice_in_status("requested")  # another service's: in neither
    member = partner(service)
    client = _client(member)
    before = AccessLog.objects.count()
    assert api_cost.same_body(
        client, "/api/advice-requests/?outstanding=true", "/bare/advice-requests/?outstanding=true"
    )
    # the app logged the 3 outstanding requests it listed (section 8); the bare view nothing
    assert AccessLog.objects.count() == before + 3


def test_a_different_body_is_noticed():
    user = caseworker()
    first = make_case(actor=user, today=TODAY)
    second = make_case(actor=user, today=TODAY)
    client = _client(user)
    assert not api_cost.same_body(
        client, f"/api/cases/{first.reference}/", f"/bare/cases/{second.reference}/"
    )


def _new_rows(model, before: int) -> list[dict]:
    """The rows `model` gained after its first `before`, without their ids and timestamps."""
    rows = model.objects.order_by("id")[before:]
    return [model_to_dict(row, exclude=["id", "occurred_at"]) for row in rows]


def _bare_queries(client: Client, path: str) -> list[str]:
    with api_cost.BARE, CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def _inserts(statements: list[str]) -> list[str]:
    return [sql for sql in statements if sql.lstrip().upper().startswith("INSERT")]


@pytest.mark.postgres  # the logged views' INSERT is the benchmark's PostgreSQL SQL
def test_the_logged_case_detail_is_the_apps_body_and_access_row_in_one_insert():
    user = caseworker()
    case = case_in_status("assessing", actor=user, received_on=datetime.date(2026, 9, 1))
    client = _client(user)
    path = f"/cases/{case.reference}/"
    before = RecordAccess.objects.count()
    assert api_cost.body_differences(client, f"/api{path}", f"/bare-logged{path}") == []
    app_row, logged_row = _new_rows(RecordAccess, before)
    assert app_row == logged_row
    assert logged_row["path"] == f"/api{path}"
    assert logged_row["what"] == "case record (API)"
    # the plain bare view writes nothing; the logged one its one INSERT and nothing else more
    bare = _bare_queries(client, f"/bare{path}")
    logged = _bare_queries(client, f"/bare-logged{path}")
    assert _inserts(bare) == []
    assert len(_inserts(logged)) == 1
    assert len(logged) == len(bare) + 1


@pytest.mark.postgres  # the logged views' INSERT is the benchmark's PostgreSQL SQL
def test_the_logged_partner_inbox_is_the_apps_body_and_access_rows_in_one_insert():
    service = PartnerServiceFactory()
    for status in ("requested", "accepted", "returned", "submitted"):
        advice_in_status(status, service=service)
    advice_in_status("requested")  # another service's: in neither
    client = _client(partner(service))
    path = "/advice-requests/?outstanding=true"
    before = AccessLog.objects.count()
    assert api_cost.same_body(client, f"/api{path}", f"/bare-logged{path}")
    rows = _new_rows(AccessLog, before)
    assert len(rows) == 6  # the 3 outstanding requests, by the app then by the logged view
    assert rows[:3] == rows[3:]
    assert {row["action"] for row in rows} == {"list"}
    bare = _bare_queries(client, f"/bare{path}")
    logged = _bare_queries(client, f"/bare-logged{path}")
    assert _inserts(bare) == []
    assert len(_inserts(logged)) == 1
    assert len(logged) == len(bare) + 1


def test_the_logged_views_log_nothing_they_did_not_show_nor_a_caseworkers_inbox():
    advice_in_status("requested")
    client = _client(caseworker())
    before = (RecordAccess.objects.count(), AccessLog.objects.count())
    with api_cost.BARE:
        assert client.get("/bare-logged/cases/NO-SUCH-CASE/").status_code == 404
        inbox = client.get("/bare-logged/advice-requests/")
    # the app logs a partner's inbox only, as does the logged view
    assert inbox.status_code == 200
    assert inbox.json()["count"] >= 1
    assert (RecordAccess.objects.count(), AccessLog.objects.count()) == before


def test_the_bare_views_are_not_the_apps_urls():
    for path in ("/bare/cases/", "/bare/advice-requests/", "/bare-logged/advice-requests/"):
        with pytest.raises(Resolver404):
            resolve(path)
