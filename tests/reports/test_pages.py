"""The manager's dashboard, its CSV downloads and the tracker upload page."""

import csv
import datetime
import html
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEntry
from cases.models import Case
from reports import dashboard
from reports.forms import CHOOSE_FILE
from reports.views import DRY_RUN_OK, NOTHING_IMPORTED
from tests.cases.factories import UserFactory, caseworker, manager
from tests.panels.factories import chair_user

from .factories import D, bulk_issued_cases, bulk_open_cases, issued_case

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()
FIGURE_LINK = re.compile(r'<a class="govuk-link" href="(/cases/\?[^"]+)">(\d+)</a>')


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def boss(client):
    user = manager()
    client.force_login(user)
    return user


def test_dashboard_shows_every_table_and_the_chart(client, boss):
    issued_case(final_issued_on=D(2026, 3, 10), day=140)
    issued_case(final_issued_on=D(2026, 3, 12), day=150)
    bulk_open_cases(12, today=TODAY, caseworkers=[caseworker()])
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in dashboard.TABLE_NAMES:
        assert f'id="table-{name}"' in page
        assert reverse("reports:dashboard-csv", args=[name]) in page
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in page
    assert "2026: 2 final plans issued, 1 within 20 weeks and 1 late." in page
    assert "Mar: 1 on time" in page
    assert "Mar: 1 late" in page
    assert f'href="{reverse("reports:dashboard")}"' in page  # the navigation item


def test_every_figure_links_to_the_case_list_that_counts_it(client, boss):
    """Each linked number on the page equals the number of cases its link lists."""
    worker = caseworker()
    issued_case(final_issued_on=D(2026, 3, 10), day=140, actor=worker)
    issued_case(final_issued_on=D(2026, 3, 12), day=150, exception="agreed", actor=worker)
    issued_case(final_issued_on=D(2026, 4, 2), day=145, exception="proposed", actor=worker)
    bulk_open_cases(30, today=TODAY, caseworkers=[worker, caseworker()])
    page = client.get(reverse("reports:dashboard")).content.decode()
    links = {html.unescape(href): int(number) for href, number in FIGURE_LINK.findall(page)}
    assert len(links) > 40
    api = APIClient()
    api.force_authenticate(boss)
    checked = 0
    for href, number in links.items():
        query = href.split("?", 1)[1]
        response = api.get(f"/api/cases/?{query}&page_size=1")
        assert response.status_code == 200, (href, response.content[:200])
        assert response.json()["count"] == number, href
        checked += 1
    assert checked == len(links)
    assert any("final_issued_on_time=false&agreed_exception=true" in h for h in links)
    assert any("unassigned=true" in h for h in links)


def test_timeliness_csv_rounds_percentages_for_people(client, boss):
    """Issue 14 (decision 0093): the CSV rounds as the page does; the API keeps exact values."""
    issued_case(final_issued_on=D(2026, 1, 10), day=140)
    issued_case(final_issued_on=D(2026, 1, 11), day=140)
    issued_case(final_issued_on=D(2026, 1, 12), day=141)
    response = client.get(reverse("reports:dashboard-csv", args=["timeliness"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "timeliness-2026-11-02.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Month", "Plans issued", "On time", "On time %"]
    assert rows[1][:4] == ["2026-01", "3", "2", "67"]
    assert rows[2][:4] == ["2026-02", "0", "0", ""]
    assert rows[-1][:3] == ["Total", "3", "2"]
    assert len(rows) == 14


@pytest.mark.parametrize("name", dashboard.TABLE_NAMES)
def test_every_table_downloads(client, boss, name):
    bulk_open_cases(5, today=TODAY, caseworkers=[caseworker()])
    response = client.get(reverse("reports:dashboard-csv", args=[name]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == dashboard.build_table(name, today=TODAY).headers


def test_an_unknown_table_is_404(client, boss):
    assert client.get(reverse("reports:dashboard-csv", args=["salaries"])).status_code == 404


@pytest.mark.parametrize(
    "url", ["reports:dashboard", "reports:import", ("reports:dashboard-csv", "timeliness")]
)
def test_managers_only(client, url):
    name, *args = (url,) if isinstance(url, str) else url
    address = reverse(name, args=args)
    response = client.get(address)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    for user in (caseworker(), chair_user(), UserFactory(roles=["partner"]), UserFactory()):
        client.force_login(user)
        assert client.get(address).status_code == 403
        assert reverse("reports:dashboard") not in client.get(reverse("api:docs")).content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_dashboard_and_report_query_counts_do_not_grow_with_the_cases(client, boss):
    workers = [caseworker() for _ in range(3)]
    bulk_issued_cases(10, year=2026)
    bulk_open_cases(10, today=TODAY, caseworkers=workers)
    small = [_queries(client, reverse("reports:dashboard"))]
    small.append(_queries(client, reverse("reports:dashboard-csv", args=["timeliness"])))
    bulk_issued_cases(990, year=2025)  # other references, other year: then this year's too
    Case.objects.filter(reference__startswith="BULK-2025").update(
        final_issued_on=D(2026, 6, 1), final_plan_due=D(2026, 6, 1)
    )
    Case.objects.filter(reference__startswith="OPEN-").delete()
    bulk_open_cases(1000, today=TODAY, caseworkers=workers)
    large = [_queries(client, reverse("reports:dashboard"))]
    large.append(_queries(client, reverse("reports:dashboard-csv", args=["timeliness"])))
    assert small == large
    assert small[0] < 40


# --- The tracker upload --------------------------------------------------------------------

HEADER = (
    "reference,child_first_name,child_last_name,date_of_birth,primary_need,request_source,"
    "received_on,assessment_decision,assessment_decision_on\n"
)
GOOD = HEADER + (
    "TRK-1,Alpha,Example,2015-03-14,ASD,2,2026-01-05,agreed,2026-02-10\n"
    "TRK-2,Beta,Example,14/03/2016,SLCN,1,2026-09-01,,\n"
)
BAD = HEADER + (
    "TRK-1,Alpha,Example,2015-03-14,ASD,2,2026-01-05,maybe,2026-02-10\n"
    "TRK-2,Beta,Example,2016-03-14,XYZ,1,2030-09-01,,\n"
)


def _upload(client, content, **extra):
    tracker = SimpleUploadedFile("tracker.csv", content.encode(), content_type="text/csv")
    return client.post(reverse("reports:import"), {"tracker": tracker, **extra}, follow=True)


def test_upload_imports_through_the_same_code_as_the_command(client, boss):
    response = _upload(client, GOOD)
    assert response.status_code == 200
    assert "Imported 2 cases." in response.content.decode()
    imported = {case.reference: case for case in Case.objects.filter(imported=True)}
    assert imported["TRK-1"].status == "assessing"
    assert imported["TRK-1"].assessment_decided_on == D(2026, 2, 10)
    assert imported["TRK-2"].status == "received"
    assert imported["TRK-2"].received_on == D(2026, 9, 1)
    steps = AuditEntry.objects.filter(verb="case.agree_to_assess", payload__imported=True)
    assert list(steps.values_list("actor_id", flat=True)) == [boss.pk]


def test_upload_shows_every_row_error_and_writes_nothing(client, boss):
    response = _upload(client, BAD)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert NOTHING_IMPORTED.format(problems="3 problems") in page
    for expected in (
        "row 2, column assessment_decision: 'maybe' is not one of: agreed, declined.",
        "row 3, column primary_need: 'XYZ' is not one of:",
        "row 3, column received_on: 2030-09-01 is in the future.",
    ):
        assert expected in page
    assert 'id="import-errors"' in page
    assert Case.objects.count() == 0


def test_dry_run_writes_nothing(client, boss):
    response = _upload(client, GOOD, dry_run="on")
    assert DRY_RUN_OK.format(rows="all 2 rows are", exceptions="") in response.content.decode()
    assert Case.objects.count() == 0


def test_no_file_is_a_field_error(client, boss):
    response = client.post(reverse("reports:import"), {})
    assert response.status_code == 400
    assert CHOOSE_FILE in response.content.decode()
    assert 'href="#id_tracker"' in response.content.decode()
