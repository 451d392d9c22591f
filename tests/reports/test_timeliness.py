"""The 20-week timeliness measure against hand-built data (ehc-process.md section 7)."""

import datetime
import json

import pytest
from django.core.management import call_command

from cases.models import Case
from reports.timeliness import KEYS, timeliness_report, whole_percent

from .factories import bulk_issued_cases, issued_case

pytestmark = pytest.mark.django_db
D = datetime.date
approx = pytest.approx


@pytest.fixture
def plans():
    """2022-12-31: late (day 141) with an agreed exception - counts in 2022, not 2023.
    2023-01: day 140 on 1 January (on time), day 141 (late, no exception).
    2023-02: late with an agreed exception; late with a proposed, never agreed, exception.
    2023-03: on time with an agreed exception; on time without.
    2023-04..11: no plans. 2023-12-31: day 139 (on time). 2024-01-01: late - counts in 2024."""
    issued_case(final_issued_on=D(2022, 12, 31), day=141, exception="agreed")
    issued_case(final_issued_on=D(2023, 1, 1), day=140)
    issued_case(final_issued_on=D(2023, 1, 20), day=141)
    issued_case(final_issued_on=D(2023, 2, 10), day=160, exception="agreed")
    issued_case(final_issued_on=D(2023, 2, 28), day=150, exception="proposed")
    issued_case(final_issued_on=D(2023, 3, 15), day=130, exception="agreed")
    issued_case(final_issued_on=D(2023, 3, 31), day=100)
    issued_case(final_issued_on=D(2023, 12, 31), day=139)
    issued_case(final_issued_on=D(2024, 1, 1), day=145)


def month(report, number):
    row = report["months"][number - 1]
    assert row["month"] == f"{report['year']}-{number:02d}"
    return row


def expect(row, **values):
    assert set(row) - {"month"} == set(KEYS)
    assert {key: row[key] for key in KEYS} == values


def test_every_key_of_every_month_of_2023(plans):
    report = timeliness_report(year=2023)
    assert report["year"] == 2023
    assert [m["month"] for m in report["months"]] == [f"2023-{n:02d}" for n in range(1, 13)]
    # January: day 140 is on time (reg 13(2): on the due date counts), day 141 is late.
    expect(
        month(report, 1),
        issued=2,
        on_time=1,
        on_time_pct=50.0,
        late=1,
        late_pct=50.0,
        late_with_exception=0,
        late_with_exception_pct=0.0,
        revised_count=2,
        on_time_excluding_exceptions=1,
        on_time_excluding_exceptions_pct=50.0,
        cumulative_issued=2,
        cumulative_on_time=1,
        cumulative_on_time_pct=50.0,
        cumulative_revised_count=2,
        cumulative_on_time_excluding_exceptions=1,
        cumulative_on_time_excluding_exceptions_pct=50.0,
    )
    # February: the proposed-but-never-agreed exception counts as late without an exception.
    expect(
        month(report, 2),
        issued=2,
        on_time=0,
        on_time_pct=0.0,
        late=2,
        late_pct=100.0,
        late_with_exception=1,
        late_with_exception_pct=50.0,
        revised_count=1,
        on_time_excluding_exceptions=0,
        on_time_excluding_exceptions_pct=0.0,
        cumulative_issued=4,
        cumulative_on_time=1,
        cumulative_on_time_pct=25.0,
        cumulative_revised_count=3,
        cumulative_on_time_excluding_exceptions=1,
        cumulative_on_time_excluding_exceptions_pct=approx(33.3333333),
    )
    # March: the on-time plan with an exception is on time but leaves the revised count.
    expect(
        month(report, 3),
        issued=2,
        on_time=2,
        on_time_pct=100.0,
        late=0,
        late_pct=0.0,
        late_with_exception=0,
        late_with_exception_pct=0.0,
        revised_count=1,
        on_time_excluding_exceptions=1,
        on_time_excluding_exceptions_pct=100.0,
        cumulative_issued=6,
        cumulative_on_time=3,
        cumulative_on_time_pct=50.0,
        cumulative_revised_count=4,
        cumulative_on_time_excluding_exceptions=2,
        cumulative_on_time_excluding_exceptions_pct=50.0,
    )
    # A month with no plans: zero counts, no percentages, the cumulative figures carry on.
    for number in range(4, 12):
        expect(
            month(report, number),
            issued=0,
            on_time=0,
            on_time_pct=None,
            late=0,
            late_pct=None,
            late_with_exception=0,
            late_with_exception_pct=None,
            revised_count=0,
            on_time_excluding_exceptions=0,
            on_time_excluding_exceptions_pct=None,
            cumulative_issued=6,
            cumulative_on_time=3,
            cumulative_on_time_pct=50.0,
            cumulative_revised_count=4,
            cumulative_on_time_excluding_exceptions=2,
            cumulative_on_time_excluding_exceptions_pct=50.0,
        )
    # December 31st counts in December; the plan of 1 January 2024 does not.
    expect(
        month(report, 12),
        issued=1,
        on_time=1,
        on_time_pct=100.0,
        late=0,
        late_pct=0.0,
        late_with_exception=0,
        late_with_exception_pct=0.0,
        revised_count=1,
        on_time_excluding_exceptions=1,
        on_time_excluding_exceptions_pct=100.0,
        cumulative_issued=7,
        cumulative_on_time=4,
        cumulative_on_time_pct=approx(57.1428571),
        cumulative_revised_count=5,
        cumulative_on_time_excluding_exceptions=3,
        cumulative_on_time_excluding_exceptions_pct=60.0,
    )
    expect(
        report["total"],
        issued=7,
        on_time=4,
        on_time_pct=approx(57.1428571),
        late=3,
        late_pct=approx(42.8571429),
        late_with_exception=1,
        late_with_exception_pct=approx(14.2857143),
        revised_count=5,
        on_time_excluding_exceptions=3,
        on_time_excluding_exceptions_pct=60.0,
        cumulative_issued=7,
        cumulative_on_time=4,
        cumulative_on_time_pct=approx(57.1428571),
        cumulative_revised_count=5,
        cumulative_on_time_excluding_exceptions=3,
        cumulative_on_time_excluding_exceptions_pct=60.0,
    )


def test_year_boundaries_count_in_their_own_year(plans):
    """31 December 2022 belongs to 2022 (a late plan with an agreed exception: the revised count
    is 0, so the headline share has no denominator); 1 January 2024 to 2024."""
    december = month(timeliness_report(year=2022), 12)
    expect(
        december,
        issued=1,
        on_time=0,
        on_time_pct=0.0,
        late=1,
        late_pct=100.0,
        late_with_exception=1,
        late_with_exception_pct=100.0,
        revised_count=0,
        on_time_excluding_exceptions=0,
        on_time_excluding_exceptions_pct=None,
        cumulative_issued=1,
        cumulative_on_time=0,
        cumulative_on_time_pct=0.0,
        cumulative_revised_count=0,
        cumulative_on_time_excluding_exceptions=0,
        cumulative_on_time_excluding_exceptions_pct=None,
    )
    january_2024 = month(timeliness_report(year=2024), 1)
    assert (january_2024["issued"], january_2024["late"]) == (1, 1)


def test_only_final_plans_count(plans):
    """Open, withdrawn and declined cases have no final plan and are not in the measure."""
    from tests.cases.factories import case_in_status

    for status in ("draft_issued", "withdrawn", "plan_declined"):
        case_in_status(status, received_on=D(2023, 1, 2))
    assert timeliness_report(year=2023)["total"]["issued"] == 7


def test_percentages_round_half_up_for_people():
    assert whole_percent(1, 8) == 13  # 12.5: Python's round() would give 12
    assert whole_percent(5, 8) == 63  # 62.5: round() would give 62
    assert whole_percent(1, 3) == 33
    assert whole_percent(2, 3) == 67
    assert whole_percent(0, 0) is None


def test_command_json_is_the_selector_output(plans, capsys):
    call_command("timeliness_report", "--year", "2023", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data == json.loads(json.dumps(timeliness_report(year=2023)))
    assert data["months"][3]["on_time_pct"] is None


def test_command_csv_keeps_exact_percentages(plans, capsys):
    call_command("timeliness_report", "--year", "2023", "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(["month", *KEYS])
    assert lines[1].startswith("2023-01,2,1,50.0,1,50.0,0,0.0,2,1,50.0,")
    assert lines[4].startswith("2023-04,0,0,,0,,0,,0,0,,")
    assert lines[-1].startswith("total,7,4,57.142857142857")


def test_command_table_rounds_half_up(plans, capsys):
    call_command("timeliness_report", "--year", "2023")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "20-week timeliness of final EHC plans, 2023"
    total = out[-1].split()
    assert total[:4] == ["Total", "7", "4", "57%"]  # 57.14 -> 57
    assert total[-1] == "60%"
    april = out[5].split()
    assert april[:4] == ["2023-04", "0", "0", "-"]


@pytest.mark.parametrize("count", [10, 1000])
def test_report_costs_one_query_whatever_the_number_of_cases(count, django_assert_num_queries):
    bulk_issued_cases(count)
    assert Case.objects.count() == count
    with django_assert_num_queries(1):
        report = timeliness_report(year=2023)
    assert report["total"]["issued"] == count
