"""A service's backlog forecast, worked out by hand; its chart; the API's partner scope."""

import datetime

import pytest
from rest_framework.test import APIClient

from cases.services import case_transition
from forecasts.backlog import parse_what_if, service_backlog
from forecasts.chart import backlog_chart
from forecasts.models import CaseForecast
from forecasts.services import service_capacity_set
from tests.advice_requests.factories import PartnerServiceFactory, make_advice, partner
from tests.cases.factories import TODAY, caseworker, make_case, manager

pytestmark = pytest.mark.django_db
D = datetime.timedelta


@pytest.fixture
def service():
    """4 requests outstanding (4 cases agreed for assessment, each asking this service), 1
    case declined: the NAP agreed 4 of 5 (0.8); every assessment asked this service (1.0).
    5 cases wait for the panel, each forecast to be decided in 2 days (week 1)."""
    service = PartnerServiceFactory()
    for _ in range(4):
        make_advice(service=service)
    actor = caseworker()
    declined = make_case(actor=actor, received_on=TODAY - D(days=30), today=TODAY)
    case_transition(
        actor=actor,
        case=declined,
        transition="decline_to_assess",
        effective_date=TODAY - D(days=1),
        reason="Needs met at SEN support (synthetic).",
        today=TODAY,
    )
    for _ in range(5):
        waiting = make_case(actor=actor, received_on=TODAY - D(days=10), today=TODAY)
        CaseForecast.objects.create(
            case=waiting, computed_on=TODAY, decision_to_assess_likely_on=TODAY + D(days=2)
        )
    return service


def test_backlog_by_hand(service):
    service_capacity_set(actor=manager(), service=service, per_week="3")
    backlog = service_backlog(service=service, today=TODAY)
    assert backlog.outstanding == 4
    assert (backlog.agree_rate, backlog.service_share) == (0.8, 1.0)
    assert backlog.capacity_source == "declared"
    # Week 1: 4 + 5 x 0.8 x 1.0 - 3 = 5; week 2: 5 - 3 = 2; then 0.
    assert [round(w.backlog, 6) for w in backlog.weeks[:4]] == [5, 2, 0, 0]
    assert round(backlog.weeks[0].arriving, 6) == 4
    chart = backlog_chart(backlog)
    assert [bar.value for bar in chart["bars"][:4]] == [4, 5, 2, 0]
    assert (
        "4 requests outstanding now. At 3 a week (declared), the backlog shrinks to 0"
        in (chart["description"])
    )


def test_what_if_and_observed_capacity(service):
    observed = service_backlog(service=service, today=TODAY)
    assert observed.capacity_source == "observed"
    assert observed.capacity == 0  # nothing returned in the last 12 weeks
    assert round(observed.weeks[-1].backlog, 6) == 8  # 4 + 4, never worked off
    what_if = service_backlog(service=service, today=TODAY, what_if=8)
    assert [round(w.backlog, 6) for w in what_if.weeks[:2]] == [0, 0]
    assert parse_what_if("lots")[1]
    assert parse_what_if("nan")[1]
    assert parse_what_if("-1")[1]
    assert parse_what_if("2.5") == (2.5, "")


def test_a_partner_sees_their_own_services_backlog_only(service):
    member = partner(service)
    other = PartnerServiceFactory()
    client = APIClient()
    client.force_authenticate(member)
    mine = client.get(f"/api/forecasts/services/{service.pk}/backlog/?what_if=2")
    assert mine.status_code == 200
    assert mine.json()["capacity_source"] == "what if"
    assert client.get(f"/api/forecasts/services/{other.pk}/backlog/").status_code == 404
    assert client.get(f"/api/forecasts/services/{service.pk}/backlog/?what_if=x").status_code == 400
    saved = client.post(f"/api/forecasts/services/{service.pk}/capacity/", {"per_week": "4.5"})
    assert saved.status_code == 200
    assert (
        client.post(
            f"/api/forecasts/services/{service.pk}/capacity/", {"per_week": "-1"}
        ).status_code
        == 400
    )
