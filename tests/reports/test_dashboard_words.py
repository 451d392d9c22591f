"""Issue 14, the manager pages: each defect seen on the demo, as a test that failed before."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from cases.exception_services import exception_propose
from reports import dashboard
from tests.advice_requests.factories import advice_in_status
from tests.cases.factories import caseworker, make_case, manager

from .factories import D, bulk_open_cases, issued_case

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def boss(client):
    user = manager()
    client.force_login(user)
    return user


def _csv(client, name):
    response = client.get(reverse("reports:dashboard-csv", args=[name]))
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_at_risk_counts_days_left_never_negative(client, boss):
    make_case(received_on=TODAY - datetime.timedelta(days=35), today=TODAY)  # due in 7 days
    rows = _csv(client, "at-risk")
    assert rows
    assert "Days overdue" not in rows[0]
    assert rows[0]["Days left"] == "7"
    page = client.get(reverse("reports:dashboard")).content.decode()
    at_risk = page[page.index('id="table-at-risk"') :]
    assert "Days left" in at_risk[: at_risk.index("</table>")]


def test_overdue_csv_gives_every_row_not_the_first_twenty(client, boss):
    bulk_open_cases(400, today=TODAY, caseworkers=[caseworker()])
    rows = _csv(client, "overdue")
    assert len(rows) > dashboard.selectors.ATTENTION_LIMIT
    assert all(int(row["Days overdue"]) > 0 for row in rows)


def test_advice_csv_rounds_percentages_and_the_api_keeps_them_exact(client, boss):
    for _ in range(3):
        advice_in_status("submitted")
    advice_in_status("requested")
    rows = _csv(client, "advice-by-kind")
    for row in rows:
        for header, value in row.items():
            if header.endswith("%") and value:
                assert value.isdigit(), (header, value)
    api = APIClient()
    api.force_authenticate(boss)
    exact = api.get(reverse("api:report-advice-timeliness"), {"by": "kind"}).json()
    assert exact  # the API's figures are not rounded here (unchanged)


def test_caseworkers_are_shown_by_name(client, boss):
    worker = caseworker(first_name="Elin", last_name="Morgan", username="cw.elin")
    make_case(actor=worker, received_on=TODAY - datetime.timedelta(days=35), today=TODAY)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Elin Morgan" in page
    assert "cw.elin</td>" not in page
    assert _csv(client, "at-risk")[0]["Caseworker"] == "Elin Morgan"


def test_timeliness_table_shows_fewer_columns_the_csv_has_all(client, boss):
    issued_case(final_issued_on=D(2026, 3, 10), day=140)
    page = client.get(reverse("reports:dashboard")).content.decode()
    table = page[page.index('id="table-timeliness"') :]
    table = table[: table.index("</thead>")]
    assert table.count('scope="col"') == 8
    assert "with 9 more columns" in page
    assert len(_csv(client, "timeliness")[0]) == 17


def test_chart_has_a_visible_key_and_a_pattern_for_late_plans(client, boss):
    issued_case(final_issued_on=D(2026, 3, 10), day=150)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'id="chart-key"' in page
    assert "Late, hatched" in page
    assert 'fill="url(#late-hatch)"' in page


def test_dashboard_starts_with_the_headline_figures(client, boss):
    worker = caseworker()
    make_case(actor=worker, received_on=TODAY - datetime.timedelta(days=50), today=TODAY)
    case = make_case(actor=worker, received_on=TODAY - datetime.timedelta(days=35), today=TODAY)
    exception_propose(
        actor=worker,
        case=case,
        ground="exceptional_personal_circumstances",
        starts_on=TODAY,
        notes="Synthetic.",
    )
    page = client.get(reverse("reports:dashboard")).content.decode()
    end = page.index('<h2 class="govuk-heading-l">Exceptions waiting</h2>')
    headlines = page[page.index('id="headlines"') : end]
    for label in (
        "Final plans within 20 weeks, 2026",
        "Final plans within 20 weeks, October 2026",
        "Overdue now",
        "At risk now",
        "Advice overdue",
        "Exceptions waiting",
    ):
        assert label in headlines
    assert page.index('id="headlines"') < page.index('id="table-status-risk"')
    queue = page[page.index('id="table-exceptions-waiting"') :]
    assert case.reference in queue[: queue.index("</table>")]
    assert "risk=overdue" in headlines


def test_counts_have_the_right_plural():
    from reports.views import counted

    assert counted(1, "case") == "1 case"
    assert counted(2, "case") == "2 cases"
    assert counted(1, "problem") == "1 problem"
