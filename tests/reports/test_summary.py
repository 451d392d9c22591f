"""The dashboard summary (issue 20 item 3, decision 0160): after every kind of change and the
next deadline sweep, the figures the page reads from the summary equal the live selectors'
figures; between sweeps the page says how old they are; the sweep is safe to run twice; the
page's query count is fixed."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from advice_requests.selectors import advice_outstanding_by_service
from advice_requests.services import advice_request_accept, advice_request_submit
from cases.exception_services import exception_agree, exception_propose
from cases.models import Case, ExceptionGround
from cases.services import case_assign, case_transition
from ehc_workflow.celery import beat_schedule
from notifications.sweep import SWEEP_SOURCES
from reports import selectors
from reports.dashboard import build_table
from reports.models import DashboardSummary
from reports.summary import dashboard_figures, dashboard_summary_refresh, live_figures
from tests.advice_requests.factories import SUMMARY, make_advice, partner, upload
from tests.cases.factories import TODAY, advice_chosen, case_in_status, caseworker, make_case
from tests.cases.factories import manager as make_manager
from tests.plans.factories import prepare_step

from .factories import bulk_open_cases

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 2, 6, 0, tzinfo=datetime.UTC)
LATER = NOW + datetime.timedelta(minutes=15)
RECEIVED = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(LATER + datetime.timedelta(minutes=5), tick=False):
        yield


def live(today):
    """Every figure the summary stands in for, from the live selectors (the API's)."""
    return {
        "open_cases": _rows(selectors.open_case_counts(today=today)),
        "status_risk": selectors.open_cases_by_status_and_risk(today=today),
        "ageing": selectors.ageing_summary(today=today),
        "caseload": selectors.caseload_by_caseworker(today=today),
        "panel_conversion": selectors.panel_conversion(year=today.year),
        "advice_by_service": advice_outstanding_by_service(today=today),
    }


def from_summary(today):
    figures = dashboard_figures(today=today)
    assert figures.from_summary
    counts = figures.open_cases
    return {
        "open_cases": _rows(counts),
        "status_risk": selectors.open_cases_by_status_and_risk(today=today, counts=counts),
        "ageing": selectors.ageing_summary(today=today, counts=counts),
        "caseload": selectors.caseload_by_caseworker(today=today, counts=counts),
        "panel_conversion": figures.panel_conversion,
        "advice_by_service": figures.advice_by_service,
    }


def _rows(counts):
    return sorted((tuple(sorted(row.items())) for row in counts), key=repr)


def swept_and_compared(today=TODAY, now=LATER):
    dashboard_summary_refresh(today=today, now=now)
    summary = from_summary(today)
    assert summary == live(today)
    return summary


@pytest.fixture
def people():
    return {"worker": caseworker(), "other": caseworker(), "boss": make_manager()}


@pytest.fixture
def population(people):
    """One open case at each stage, an advice request outstanding, a decision this year, all
    summarised by a first sweep at NOW."""
    worker = people["worker"]
    cases = {
        status: case_in_status(status, actor=worker, received_on=RECEIVED)
        for status in ("received", "assessing", "drafting", "draft_issued", "final_issued")
    }
    cases["declined"] = case_in_status(
        "assessment_declined", actor=worker, received_on=RECEIVED, family_told=True
    )
    advice = make_advice(case=cases["assessing"], requested_on=datetime.date(2026, 10, 1))
    dashboard_summary_refresh(today=TODAY, now=NOW)
    assert from_summary(TODAY) == live(TODAY)
    return {"cases": cases, "advice": advice, **people}


def _step(population, status, transition, **extra):
    worker = population["worker"]
    case = Case.objects.get(pk=population["cases"][status].pk)
    prepare_step(case, transition, worker)
    return case_transition(
        actor=worker,
        case=case,
        transition=transition,
        effective_date=TODAY,
        reason="Synthetic test reason.",
        today=TODAY,
        **extra,
    )


TRANSITIONS = [
    ("received", "agree_to_assess", {"details": "advice"}),
    ("received", "decline_to_assess", {}),
    ("received", "withdraw", {}),
    ("assessing", "agree_to_issue", {"confirm_outstanding_advice": True}),
    ("assessing", "decline_to_issue", {}),
    ("drafting", "issue_draft", {}),
    ("draft_issued", "issue_final", {}),
    ("draft_issued", "revise_draft", {}),
    ("declined", "reopen_on_appeal", {}),
]


@pytest.mark.parametrize(("status", "transition", "extra"), TRANSITIONS)
def test_each_transition_then_the_sweep(population, status, transition, extra):
    before = live(TODAY)
    if extra.get("details"):
        extra = {"details": advice_chosen()}
    _step(population, status, transition, **extra)
    assert live(TODAY) != before  # the change moved a figure the summary holds
    assert from_summary(TODAY) == before  # the page still says "as at" the last sweep
    swept_and_compared()


def test_a_new_case(population):
    make_case(actor=population["other"], received_on=TODAY, today=TODAY)
    assert from_summary(TODAY)["open_cases"] != live(TODAY)["open_cases"]
    swept_and_compared()


def test_a_reassignment_and_an_unassigned_case(population):
    case = population["cases"]["drafting"]
    case_assign(actor=population["boss"], case=case, caseworker=population["other"])
    swept_and_compared()
    case_assign(actor=population["boss"], case=case, caseworker=None)
    summary = swept_and_compared()
    assert summary["caseload"][-1]["name"] == "Unassigned"


def test_advice_submitted(population):
    advice = population["advice"]
    member = partner(advice.service)

    advice_request_accept(actor=member, advice=advice, today=TODAY)
    advice_request_submit(actor=member, advice=advice, document=upload(), today=TODAY, **SUMMARY)
    swept_and_compared()


def _six_am(day):
    return datetime.datetime.combine(day, datetime.time(6), tzinfo=datetime.UTC)


def test_advice_overdue_and_the_date_rolling_over(population):
    """The advice falls due on 12 November: the sweep on the 13th counts it overdue (and its
    case at risk); each day's sweep counts for that day (risk windows, ageing)."""
    advice = population["advice"]

    def overdue(summary):
        (row,) = (
            row for row in summary["advice_by_service"] if row.service_id == advice.service_id
        )
        return row.overdue

    on_the_day = swept_and_compared(today=advice.due_on, now=_six_am(advice.due_on))
    assert overdue(on_the_day) == 0
    day_after = advice.due_on + datetime.timedelta(days=1)
    assert overdue(swept_and_compared(today=day_after, now=_six_am(day_after))) == 1
    a_year_on = RECEIVED + datetime.timedelta(weeks=52, days=1)
    year_on = swept_and_compared(today=a_year_on, now=_six_am(a_year_on))
    assert year_on["ageing"]["over_52_weeks"] == year_on["ageing"]["open"] > 0


def test_the_day_a_case_passes_20_weeks(population):
    """Ageing counts from the received date: the sweep of the day after week 20 moves it."""
    make_case(actor=population["worker"], received_on=TODAY - datetime.timedelta(weeks=20))
    on_the_day = swept_and_compared()
    tomorrow = TODAY + datetime.timedelta(days=1)
    next_day = swept_and_compared(today=tomorrow, now=LATER + datetime.timedelta(days=1))
    assert next_day["ageing"]["over_20_weeks"] == on_the_day["ageing"]["over_20_weeks"] + 1


def test_an_exception_agreed(population):
    case = population["cases"]["assessing"]
    proposed = exception_propose(
        actor=population["worker"],
        case=case,
        ground=ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES,
        starts_on=TODAY - datetime.timedelta(days=3),
        notes="Synthetic evidence.",
    )
    swept_and_compared()
    exception_agree(actor=population["boss"], exception=proposed)
    swept_and_compared()


def test_a_summary_from_another_day_is_not_used(population):
    """Risk and ageing depend on the day: yesterday's counts are not today's, so the page
    counts live (and says so) until today's first sweep."""
    tomorrow = TODAY + datetime.timedelta(days=1)
    figures = dashboard_figures(today=tomorrow)
    assert not figures.from_summary
    assert figures.freshness.startswith("Counts live at")
    assert figures.open_cases == live_figures(today=tomorrow).open_cases


def test_the_sweep_is_safe_to_run_twice_and_an_earlier_count_never_overwrites(population):
    assert "dashboard" not in SWEEP_SOURCES  # its own task: the sweep's time stays its own
    schedule = beat_schedule(settings)["dashboard-summary"]
    assert schedule["task"] == "reports.refresh_dashboard_summary"
    swept_and_compared()
    first = DashboardSummary.objects.get()
    swept_and_compared()  # the same sweep again: the same one row
    again = DashboardSummary.objects.get()
    assert (again.taken_at, again.open_cases) == (first.taken_at, first.open_cases)
    make_case(actor=population["worker"], received_on=TODAY, today=TODAY)
    # a run that started before the stored one (a slow sweep finishing late) leaves it
    assert dashboard_summary_refresh(today=TODAY, now=NOW) == 0
    assert DashboardSummary.objects.get().taken_at == LATER
    assert DashboardSummary.objects.count() == 1


def test_no_row_yet_is_created_by_the_first_sweep(people):
    DashboardSummary.objects.all().delete()
    make_case(actor=people["worker"], received_on=TODAY, today=TODAY)
    assert not dashboard_figures(today=TODAY).from_summary
    swept_and_compared()


# --- The page -------------------------------------------------------------------------------


def test_the_page_reads_the_summary_and_says_how_fresh(client, population):
    client.force_login(population["boss"])
    make_case(actor=population["worker"], received_on=TODAY, today=TODAY)  # after the sweep
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert (
        "Open cases by stage and risk, waiting, caseloads, advice overdue and panel decisions "
        "are counted as at 06:00 today (counted every 15 minutes). "
        "The case lists and every other figure are live." in page
    )
    assert "As at 06:00 today" in page
    # the counts are the sweep's: 4 open cases then, 5 now
    assert selectors.open_cases_by_status_and_risk(today=TODAY)["total"]["total"] == 5
    assert '<a class="govuk-link" href="/cases/?open=true">4</a>' in page
    # the downloads of those tables carry the figures the page shows
    assert build_table("ageing", today=TODAY).rows[0][1].value == 4
    dashboard_summary_refresh(today=TODAY, now=LATER)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "counted as at 06:15 today" in page
    assert '<a class="govuk-link" href="/cases/?open=true">5</a>' in page


def test_the_page_counts_live_without_a_summary_for_today(client, people):
    DashboardSummary.objects.all().delete()
    client.force_login(people["boss"])
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "are counted live at 06:20." in page


def _page(client):
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200


def test_the_page_query_count_is_fixed(
    client, django_assert_num_queries, django_assert_max_num_queries, people
):
    """With the summary, the page's open-case, advice and panel figures cost one query however
    many cases are open (the count below is every query of the whole page)."""
    client.force_login(people["boss"])
    workers = [people["worker"], people["other"]]
    bulk_open_cases(10, today=TODAY, caseworkers=workers)
    dashboard_summary_refresh(today=TODAY, now=LATER)
    _page(client)  # warm the session and caches
    with django_assert_max_num_queries(PAGE_QUERIES) as few:
        _page(client)
    Case.objects.filter(reference__startswith="OPEN-").delete()
    bulk_open_cases(300, today=TODAY, caseworkers=workers)
    dashboard_summary_refresh(today=TODAY, now=LATER + datetime.timedelta(minutes=15))
    with django_assert_num_queries(len(few.captured_queries)):
        _page(client)


#: At most every query of the dashboard page for a signed-in manager (session, user, the
#: tables, the forecast and disputes panels; 24 on PostgreSQL, 26 on SQLite's savepoints); the
#: summary is one of them.
PAGE_QUERIES = 26
