"""The benchmark's bare views (bench/bare.py, issue 20 item 4) answer exactly what the app's
case list, case detail and partner inbox answer, so "the app within 2x of the bare view"
compares the same work; and they are mounted only by the benchmark, never by the app."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import Resolver404, resolve
from rest_framework.authtoken.models import Token

from advice_requests.models import AccessLog
from bench import api_cost
from cases.exception_services import exception_propose
from forecasts.models import CaseForecast
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


def test_the_bare_views_are_not_the_apps_urls():
    for path in ("/bare/cases/", "/bare/advice-requests/"):
        with pytest.raises(Resolver404):
            resolve(path)
