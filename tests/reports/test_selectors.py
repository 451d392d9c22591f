"""The other section 7 measures: stage x risk, ageing, caseload, panel conversion."""

import datetime

import pytest

from panels.models import AgendaItem, ItemStatus, Outcome, PanelType
from reports.selectors import (
    ageing_summary,
    caseload_by_caseworker,
    cases_needing_attention,
    cases_waiting_over,
    open_case_counts,
    open_cases_by_status_and_risk,
    panel_conversion,
)
from tests.cases.factories import case_in_status, caseworker, make_case
from tests.panels.factories import PanelFactory, meeting

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 2)


def test_open_cases_by_status_and_risk_has_every_cell():
    make_case(received_on=D(2026, 10, 30), today=TODAY)  # received, decision due 11 Dec: on track
    make_case(received_on=D(2026, 9, 30), today=TODAY)  # decision due 11 Nov: at risk
    make_case(received_on=D(2026, 9, 1), today=TODAY)  # decision due 13 Oct: overdue
    case_in_status("withdrawn", received_on=D(2026, 9, 1), today=TODAY)  # closed: not counted
    table = open_cases_by_status_and_risk(today=TODAY)
    assert [row["status"] for row in table["rows"]] == [
        "received",
        "assessing",
        "drafting",
        "draft_issued",
    ]
    assert table["rows"][0] == {
        "status": "received",
        "label": "Received",
        "overdue": 1,
        "at_risk": 1,
        "on_track": 1,
        "total": 3,
    }
    assert table["rows"][1]["total"] == 0
    assert table["total"] == {"overdue": 1, "at_risk": 1, "on_track": 1, "total": 3}


def test_ageing_counts_and_weeks_waited():
    on_day_140 = make_case(received_on=TODAY - datetime.timedelta(days=140), today=TODAY)
    on_day_141 = make_case(received_on=TODAY - datetime.timedelta(days=141), today=TODAY)
    over_a_year = make_case(received_on=TODAY - datetime.timedelta(days=365), today=TODAY)
    assert ageing_summary(today=TODAY) == {"open": 3, "over_20_weeks": 2, "over_52_weeks": 1}
    waiting = cases_waiting_over(today=TODAY, weeks=20)
    assert [(w.reference, w.weeks_waited) for w in waiting] == [
        (over_a_year.reference, 52),
        (on_day_141.reference, 20),
    ]
    assert on_day_140.reference not in {w.reference for w in waiting}
    assert [w.reference for w in cases_waiting_over(today=TODAY, weeks=52)] == [
        over_a_year.reference
    ]


def test_caseload_per_caseworker_lists_people_with_room_and_unassigned_cases():
    busy = caseworker(first_name="Ann", last_name="Busy")
    idle = caseworker(first_name="Ian", last_name="Idle")
    make_case(actor=busy, received_on=D(2026, 10, 30), today=TODAY)
    make_case(actor=busy, received_on=D(2026, 9, 1), today=TODAY)
    make_case(actor=busy, caseworker=None, received_on=D(2026, 9, 30), today=TODAY)
    rows = caseload_by_caseworker(today=TODAY)
    assert [(r["name"], r["open"], r["at_risk"], r["overdue"]) for r in rows] == [
        ("Ann Busy", 2, 0, 1),
        ("Ian Idle", 0, 0, 0),
        ("Unassigned", 1, 1, 0),
    ]
    assert rows[1]["caseworker_id"] == idle.pk


def test_caseload_costs_two_queries(django_assert_num_queries):
    for _ in range(5):
        make_case(received_on=D(2026, 10, 1), today=TODAY)
    with django_assert_num_queries(2):
        caseload_by_caseworker(today=TODAY)


def test_the_dashboards_one_pass_gives_each_selectors_own_figures(django_assert_num_queries):
    """Decision 0076: stage x risk, caseload and ageing summed from one pass over the open
    cases equal what each selector counts alone, over every stage, risk, person and age."""
    ann, ian = caseworker(last_name="Ann"), caseworker(last_name="Ian")
    for days_ago in (3, 33, 62, 141, 200, 400):  # on track, at risk, overdue; the ageing edges
        received_on = TODAY - datetime.timedelta(days=days_ago)
        make_case(actor=ann, received_on=received_on, today=TODAY)
        make_case(actor=ian, caseworker=None, received_on=received_on, today=TODAY)
    for status in ("assessing", "drafting", "draft_issued", "withdrawn"):
        case_in_status(status, actor=ian, received_on=D(2026, 5, 4), today=TODAY)
    alone = (
        open_cases_by_status_and_risk(today=TODAY),
        caseload_by_caseworker(today=TODAY),
        ageing_summary(today=TODAY),
    )
    with django_assert_num_queries(2):  # the pass, and the people of the caseload
        counts = open_case_counts(today=TODAY)
        together = (
            open_cases_by_status_and_risk(today=TODAY, counts=counts),
            caseload_by_caseworker(today=TODAY, counts=counts),
            ageing_summary(today=TODAY, counts=counts),
        )
    assert together == alone
    assert alone[2] == {"open": 15, "over_20_weeks": 9, "over_52_weeks": 2}
    assert {row["status"]: row["total"] for row in alone[0]["rows"]} == {
        "received": 12,
        "assessing": 1,
        "drafting": 1,
        "draft_issued": 1,
    }
    assert sum(alone[0]["total"][risk] for risk in ("overdue", "at_risk")) > 0
    assert [(r["name"], r["open"]) for r in alone[1]] == [
        ("Ann", 6),
        ("Ian", 3),
        ("Unassigned", 6),
    ]


def test_panel_conversion_counts_decisions_by_month_from_the_audit_trail():
    for status in ("assessing", "assessing", "assessment_declined", "drafting", "plan_declined"):
        case_in_status(status, received_on=D(2026, 1, 5), today=TODAY)  # decisions on day 40/100
    report = panel_conversion(year=2026)
    february = report["months"][1]  # day 40 = 14 February
    assert february == {
        "month": "2026-02",
        "nap_decisions": 5,
        "agreed_to_assess": 4,
        "agreed_to_assess_pct": 80.0,
        "nap_deferred": 0,
        "nap_deferred_pct": 0.0,
        "statutory_decisions": 0,
        "agreed_to_issue": 0,
        "agreed_to_issue_pct": None,
        "statutory_deferred": 0,
        "statutory_deferred_pct": None,
    }
    april = report["months"][3]  # day 100 = 15 April
    assert (april["statutory_decisions"], april["agreed_to_issue"]) == (2, 1)
    assert april["agreed_to_issue_pct"] == 50.0
    assert report["total"]["nap_decisions"] == 5
    assert panel_conversion(year=2025)["total"]["nap_decisions"] == 0


def _deferred_item(panel, on, position):
    case = make_case(received_on=on - datetime.timedelta(days=30), today=TODAY)
    return AgendaItem.objects.create(
        meeting=meeting(panel, on),
        case=case,
        position=position,
        source="built",
        status=ItemStatus.DEFERRED,
        outcome=Outcome.DEFER,
        reasons="Waiting for the school's evidence (synthetic).",
    )


def test_panel_conversion_deferral_rate_from_agenda_outcomes(django_assert_num_queries):
    """Deferrals / (decisions + deferrals), by the month of the meeting; NAP and EY-NAP
    together, statutory apart; an item listed but not yet decided counts nowhere."""
    for status in ("assessing", "assessment_declined", "drafting"):
        case_in_status(status, received_on=D(2026, 1, 5), today=TODAY)  # NAP decisions 14 Feb
    _deferred_item(PanelFactory(panel_type=PanelType.NAP), D(2026, 2, 4), 1)
    _deferred_item(PanelFactory(panel_type=PanelType.EY_NAP), D(2026, 2, 11), 1)
    _deferred_item(PanelFactory(panel_type=PanelType.STATUTORY), D(2026, 3, 4), 1)
    listed = _deferred_item(PanelFactory(panel_type=PanelType.NAP), D(2026, 2, 18), 1)
    AgendaItem.objects.filter(pk=listed.pk).update(status=ItemStatus.LISTED, outcome="")
    _deferred_item(PanelFactory(panel_type=PanelType.NAP), D(2025, 12, 31), 1)  # last year

    with django_assert_num_queries(2):
        report = panel_conversion(year=2026)
    february, march = report["months"][1], report["months"][2]
    assert (february["nap_decisions"], february["nap_deferred"]) == (3, 2)
    assert february["nap_deferred_pct"] == 40.0
    assert february["statutory_deferred_pct"] is None
    assert (march["statutory_decisions"], march["statutory_deferred"]) == (0, 1)
    assert march["statutory_deferred_pct"] == 100.0
    assert march["nap_deferred_pct"] is None
    assert report["total"]["nap_deferred"] == 2
    assert report["total"]["statutory_deferred"] == 1
    assert report["total"]["nap_deferred_pct"] == 40.0


def test_cases_needing_attention_lists_most_overdue_first(django_assert_num_queries):
    worker = caseworker()
    late = make_case(actor=worker, received_on=D(2026, 8, 1), today=TODAY)  # due 12 Sep
    later = make_case(actor=worker, received_on=D(2026, 7, 1), today=TODAY)  # due 12 Aug
    make_case(actor=worker, received_on=D(2026, 10, 1), today=TODAY)  # on track
    with django_assert_num_queries(1):
        rows = cases_needing_attention(today=TODAY, risk="overdue")
    assert [row.reference for row in rows] == [later.reference, late.reference]
    assert rows[0].days_overdue == (TODAY - D(2026, 8, 12)).days
    assert rows[0].caseworker == worker.username
    assert len(cases_needing_attention(today=TODAY, risk="overdue", limit=1)) == 1
