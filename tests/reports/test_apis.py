"""/api/reports/...: the measures as JSON for managers, in the shapes the commands print."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from reports.queries import RANGE_BACKWARDS, YEAR_RANGE
from tests.cases.factories import caseworker, make_case, manager

from .factories import D, issued_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    api = APIClient()
    api.force_authenticate(manager())
    return api


def test_timeliness_is_exactly_the_commands_json(client):
    issued_case(final_issued_on=D(2023, 3, 15), day=140)
    issued_case(final_issued_on=D(2023, 3, 20), day=141, exception="agreed")
    out = io.StringIO()
    call_command("timeliness_report", "--year", "2023", "--format", "json", stdout=out)
    response = client.get(reverse("api:report-timeliness"), {"year": 2023})
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["months"][2]["issued"] == 2


@pytest.mark.parametrize("year", ["1999", "2101", "twenty"])
def test_a_bad_year_is_a_400_in_the_one_error_shape(client, year):
    response = client.get(reverse("api:report-timeliness"), {"year": year})
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "message": "The request has errors: see `errors`.",
        "errors": {"year": [YEAR_RANGE]},
    }


def test_advice_timeliness_defaults_and_a_backwards_range(client):
    response = client.get(reverse("api:report-advice-timeliness"), {"by": "kind"})
    assert response.status_code == 200
    body = response.json()
    assert body["by"] == "kind"
    assert body["requested_from"].endswith("-01-01")
    response = client.get(
        reverse("api:report-advice-timeliness"),
        {"requested_from": "2026-05-01", "requested_to": "2026-04-01"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"requested_to": [RANGE_BACKWARDS]}
    response = client.get(reverse("api:report-advice-timeliness"), {"by": "colour"})
    assert response.status_code == 400
    assert "by" in response.json()["errors"]


def test_open_cases_ageing_caseload_and_conversion(client):
    worker = caseworker()
    today = timezone.localdate()
    make_case(actor=worker, received_on=today - datetime.timedelta(days=200), today=today)
    open_cases = client.get(reverse("api:report-open-cases")).json()
    assert open_cases["total"]["total"] == 1
    assert open_cases["total"]["overdue"] == 1
    ageing = client.get(reverse("api:report-ageing")).json()
    assert ageing["summary"] == {"open": 1, "over_20_weeks": 1, "over_52_weeks": 0}
    assert [row["weeks_waited"] for row in ageing["over_20_weeks"]] == [28]
    assert ageing["over_52_weeks"] == []
    caseload = client.get(reverse("api:report-caseload")).json()
    assert [(row["username"], row["open"], row["overdue"]) for row in caseload["rows"]] == [
        (worker.username, 1, 1)
    ]
    conversion = client.get(reverse("api:report-panel-conversion"), {"year": 2026}).json()
    assert len(conversion["months"]) == 12
    assert "nap_deferred_pct" in conversion["total"]


def test_a_caseworker_is_refused_with_the_reason(client):
    other = APIClient()
    other.force_authenticate(caseworker())
    response = other.get(reverse("api:report-timeliness"))
    assert response.status_code == 403
    assert response.json()["message"] == "Only managers may see reports."
