"""`import_cases`: a council's tracker replayed through the case services, all or nothing."""

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import Case, CaseException, Child
from cases.roles import Role, has_role
from reports import tracker_import as ti
from reports.services import ACTOR_NOT_MANAGER, IMPORT_USERNAME
from tests.cases.factories import caseworker, make_case, manager

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=datetime.UTC)

BASE = {
    "child_first_name": "Testchild",
    "child_last_name": "Example",
    "date_of_birth": "2015-03-14",
    "primary_need": "ASD",
    "request_source": "2",
}


def tracker_csv(tmp_path, rows, columns=ti.COLUMNS, name="tracker.csv"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({**BASE, **row})
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("import_cases", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path, *args):
    err = io.StringIO()
    with time_machine.travel(NOW, tick=False), pytest.raises(CommandError) as failure:
        call_command("import_cases", str(path), *args, stdout=io.StringIO(), stderr=err)
    return str(failure.value), err.getvalue().splitlines()


def counts():
    return (
        Case.objects.count(),
        Child.objects.count(),
        CaseException.objects.count(),
        AuditEntry.objects.count(),
        get_user_model().objects.count(),
    )


VALID_ROWS = [
    {  # a final plan, late, with an agreed exception; dates as a spreadsheet writes them
        "reference": "LB/2023/0001",
        "received_on": "03/01/2023",
        "assessment_decision": "agreed",
        "assessment_decision_on": "14/02/2023",
        "plan_decision": "Agreed",
        "plan_decision_on": "2023-04-20",
        "draft_issued_on": "2023-05-10",
        "final_issued_on": "2023-06-01",
        "exception_ground": "absent_from_area",
        "exception_agreed_on": "2023-05-02",
    },
    {  # assessment declined
        "reference": "LB/2023/0002",
        "received_on": "2023-02-01",
        "assessment_decision": "declined",
        "assessment_decision_on": "2023-03-10",
    },
    {  # plan declined after assessment
        "reference": "LB/2023/0003",
        "received_on": "2023-02-02",
        "assessment_decision": "agreed",
        "assessment_decision_on": "2023-03-10",
        "plan_decision": "declined",
        "plan_decision_on": "2023-05-19",
    },
    {  # withdrawn while being assessed
        "reference": "LB/2023/0004",
        "received_on": "2023-02-03",
        "assessment_decision": "agreed",
        "assessment_decision_on": "2023-03-10",
        "withdrawn_on": "2023-04-01",
        "withdrawn_reason": "Family moved to another authority.",
    },
    {  # still open, assigned, with an exception proposed but never agreed
        "reference": "LB/2026/0005",
        "received_on": "2026-10-01",
        "caseworker": "{caseworker}",
        "exception_ground": "exceptional_personal_circumstances",
    },
]


def valid_rows(caseworker_username):
    return [
        {k: v.format(caseworker=caseworker_username) for k, v in row.items()} for row in VALID_ROWS
    ]


def test_a_valid_file_round_trips(tmp_path):
    worker = caseworker()
    out, _ = run(tracker_csv(tmp_path, valid_rows(worker.username)))
    assert "Imported 5 cases (2 with an exception)." in out
    cases = {case.reference: case for case in Case.objects.select_related("child")}
    assert {ref: case.status for ref, case in cases.items()} == {
        "LB/2023/0001": "final_issued",
        "LB/2023/0002": "assessment_declined",
        "LB/2023/0003": "plan_declined",
        "LB/2023/0004": "withdrawn",
        "LB/2026/0005": "received",
    }
    final = cases["LB/2023/0001"]
    assert final.imported
    assert (final.received_on, final.assessment_decided_on, final.plan_decided_on) == (
        D(2023, 1, 3),
        D(2023, 2, 14),
        D(2023, 4, 20),
    )
    assert (final.draft_issued_on, final.final_issued_on) == (D(2023, 5, 10), D(2023, 6, 1))
    assert final.final_plan_due == D(2023, 5, 23)  # received + 140, from the received date
    assert final.request_source == 2
    assert (final.child.first_name, final.child.date_of_birth) == ("Testchild", D(2015, 3, 14))
    assert cases["LB/2023/0004"].withdrawn_on == D(2023, 4, 1)
    assert cases["LB/2026/0005"].caseworker == worker

    agreed = CaseException.objects.get(case=final)
    assert agreed.is_agreed
    assert agreed.ground == "absent_from_area"
    assert timezone.localtime(agreed.agreed_at).date() == D(2023, 5, 2)
    pending = CaseException.objects.get(case=cases["LB/2026/0005"])
    assert not pending.is_agreed

    actor = get_user_model().objects.get(username=IMPORT_USERNAME)
    assert not actor.is_active
    assert not actor.has_usable_password()
    assert has_role(actor, Role.CASEWORKER)
    assert has_role(actor, Role.MANAGER)
    trail = list(final.audit_entries.order_by("id"))
    assert [(e.verb, e.effective_date) for e in trail] == [
        ("case.created", D(2023, 1, 3)),
        ("case.agree_to_assess", D(2023, 2, 14)),
        ("case.agree_to_issue", D(2023, 4, 20)),
        ("case.issue_draft", D(2023, 5, 10)),
        ("case.issue_final", D(2023, 6, 1)),
        ("case.exception_proposed", D(2023, 1, 3)),
        ("case.exception_agreed", D(2023, 5, 2)),
        ("active_plan.created", D(2023, 6, 1)),  # a final plan issued is an active plan
    ]
    assert {e.actor_id for e in trail} == {actor.pk}
    assert all(e.payload.get("imported") for e in trail[:5])
    assert trail[1].payload == {"imported": True, "tracker_row": 2}
    declined = cases["LB/2023/0002"].audit_entries.get(verb="case.decline_to_assess")
    assert (declined.from_state, declined.to_state) == ("received", "assessment_declined")
    assert declined.reason


def test_the_import_makes_active_plans_of_its_own_cases_only(tmp_path):
    """A case already here, issued without an active plan, is left to its own command
    (`active_plans_from_cases`): the import once built plans for every such case in the
    database (280 s at 1,000,000 cases for a file of 1,000 rows)."""
    from reviews.models import ActivePlan  # noqa: PLC0415

    worker = caseworker()
    here = make_case()
    Case.objects.filter(pk=here.pk).update(status="final_issued", final_issued_on=D(2024, 1, 5))
    run(tracker_csv(tmp_path, valid_rows(worker.username)))
    assert list(ActivePlan.objects.values_list("case__reference", flat=True)) == ["LB/2023/0001"]


def test_several_bad_rows_are_each_reported_and_nothing_is_written(tmp_path):
    make_case()
    before = counts()
    rows = [
        {"reference": "OK-1", "received_on": "2023-01-05"},
        {  # row 3: bad date, unknown need, bad source
            "reference": "BAD-2",
            "received_on": "2023-13-01",
            "primary_need": "NSA",
            "request_source": "9",
        },
        {  # row 4: a final plan without a draft, before the plan decision
            "reference": "BAD-3",
            "received_on": "2023-01-05",
            "assessment_decision": "agreed",
            "assessment_decision_on": "2023-02-01",
            "plan_decision": "agreed",
            "plan_decision_on": "2023-05-01",
            "final_issued_on": "2023-04-01",
        },
        {  # row 5: declined, yet a plan decision; in the future; unknown caseworker
            "reference": "BAD-4",
            "received_on": "2027-01-01",
            "assessment_decision": "declined",
            "assessment_decision_on": "2027-02-01",
            "plan_decision": "agreed",
            "plan_decision_on": "2027-03-01",
            "caseworker": "nobody",
        },
        {  # row 6: blank names, an unknown exception ground, a withdrawal with no reason
            "reference": "BAD-5",
            "child_first_name": "",
            "received_on": "2023-01-05",
            "exception_ground": "staff_shortage",
            "withdrawn_on": "2023-02-01",
        },
    ]
    message, errors = run_failing(tracker_csv(tmp_path, rows))
    grounds = ", ".join(ti.ExceptionGround.values)
    assert errors == [
        f"row 3, column primary_need: 'NSA' is not one of: {', '.join(ti.PrimaryNeed.values)}.",
        "row 3, column request_source: '9' is not one of: 1, 2, 3, 4, 5.",
        "row 3, column received_on: " + ti.BAD_DATE.format(value="2023-13-01"),
        "row 4, column final_issued_on: " + ti.FINAL_NEEDS_DRAFT,
        "row 4, column final_issued_on: "
        + ti.BEFORE.format(value="2023-04-01", other="plan_decision_on", other_value="2023-05-01"),
        "row 5, column received_on: " + ti.FUTURE_DATE.format(value="2027-01-01"),
        "row 5, column assessment_decision_on: " + ti.FUTURE_DATE.format(value="2027-02-01"),
        "row 5, column plan_decision: " + ti.NEEDS_AGREED.format(other="assessment_decision"),
        "row 5, column plan_decision_on: " + ti.FUTURE_DATE.format(value="2027-03-01"),
        "row 5, column plan_decision_on: " + ti.NEEDS_AGREED.format(other="assessment_decision"),
        "row 5, column caseworker: " + ti.UNKNOWN_CASEWORKER.format(value="nobody"),
        "row 6, column child_first_name: " + ti.REQUIRED,
        f"row 6, column exception_ground: 'staff_shortage' is not one of: {grounds}.",
        "row 6, column withdrawn_reason: " + ti.PAIR_MISSING.format(other="withdrawn_on"),
    ]
    assert message == "14 problem(s) found: nothing was imported."
    assert counts() == before


def test_header_problems_are_reported_on_row_1(tmp_path):
    columns = [c for c in ti.COLUMNS if c != "received_on"] + ["notes"]
    _, errors = run_failing(tracker_csv(tmp_path, [{"reference": "X-1"}], columns=columns))
    assert errors == [
        "row 1, column notes: " + ti.UNKNOWN_COLUMN.format(columns=", ".join(ti.COLUMNS)),
        "row 1, column received_on: " + ti.MISSING_COLUMN,
    ]


def test_optional_columns_may_be_left_out(tmp_path):
    path = tracker_csv(
        tmp_path, [{"reference": "MIN-1", "received_on": "2026-10-20"}], ti.REQUIRED_COLUMNS
    )
    run(path)
    assert Case.objects.get(reference="MIN-1").status == "received"


def test_dry_run_writes_nothing(tmp_path):
    before = counts()
    out, _ = run(tracker_csv(tmp_path, valid_rows(caseworker().username)), "--dry-run")
    assert "Dry run: all 5 rows are valid" in out
    assert counts() == (*before[:4], before[4] + 1)  # only the caseworker made above
    assert not get_user_model().objects.filter(username=IMPORT_USERNAME).exists()


def test_duplicate_references_are_refused_in_the_file_and_against_the_database(tmp_path):
    existing = make_case()
    before = counts()
    rows = [
        {"reference": "DUP-1", "received_on": "2023-01-05"},
        {"reference": "dup-1", "received_on": "2023-01-06"},
        {"reference": existing.reference, "received_on": "2023-01-07"},
    ]
    _, errors = run_failing(tracker_csv(tmp_path, rows))
    assert errors == [
        "row 3, column reference: " + ti.DUPLICATE_IN_FILE.format(value="dup-1", other_row=2),
        "row 4, column reference: " + ti.DUPLICATE_IN_DATABASE.format(value=existing.reference),
    ]
    assert counts() == before


def test_a_reference_too_long_for_the_case_is_refused(tmp_path):
    _, errors = run_failing(
        tracker_csv(tmp_path, [{"reference": "X" * 21, "received_on": "2023-01-05"}])
    )
    assert errors == ["row 2, column reference: " + ti.BAD_REFERENCE.format(limit=20)]


def test_a_council_reference_shaped_like_ours_reserves_its_number(tmp_path):
    run(tracker_csv(tmp_path, [{"reference": "EHC-2026-00007", "received_on": "2026-01-05"}]))
    assert make_case(received_on=D(2026, 2, 1)).reference == "EHC-2026-00008"


def test_the_import_runs_as_a_named_manager_only(tmp_path):
    path = tracker_csv(tmp_path, [{"reference": "A-1", "received_on": "2026-01-05"}])
    worker = caseworker()
    message, _ = run_failing(path, "--actor", worker.username)
    assert message == ACTOR_NOT_MANAGER.format(username=worker.username)
    boss = manager()
    run(path, "--actor", boss.username)
    assert Case.objects.get(reference="A-1").audit_entries.first().actor == boss


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(",".join(ti.COLUMNS).encode() + b"\nR\xe9f-1\n")
    _, errors = run_failing(path)
    assert errors == ["row 1, column -: " + ti.NOT_UTF8]


def test_imported_history_runs_no_transition_hooks(tmp_path, monkeypatch):
    """Historic steps set nothing in motion: no advice invented, no alert about old deadlines."""
    from cases import services

    calls = []
    monkeypatch.setitem(
        services.TRANSITION_HOOKS, "agree_to_assess", [lambda **kw: calls.append(kw)]
    )
    run(tracker_csv(tmp_path, valid_rows(caseworker().username)))
    assert Case.objects.filter(status="final_issued").count() == 1
    assert calls == []


def test_large_files_show_a_progress_bar(tmp_path):
    rows = [
        {
            "reference": f"P-{i}",
            "received_on": "2026-01-05",
            "assessment_decision": "agreed",
            "assessment_decision_on": "2026-02-10",
        }
        for i in range(250)
    ]
    out, err = run(tracker_csv(tmp_path, rows))
    assert "Imported 250 cases" in out
    assert "Importing [" in err
    assert err.rstrip().endswith("250/250 rows")
    assert Case.objects.filter(status="assessing").count() == 250


@pytest.mark.postgres
def test_import_queries_do_not_grow_with_the_number_of_rows(tmp_path):
    """Rows are written in batches, so queries grow with INSERT batches, never one or more per
    row: 270 more rows cost < 40 more. On PostgreSQL: SQLite splits each INSERT by its 999
    parameters (30 cases, 33 active plans, ~80 audit rows a statement), so there the same
    270 rows cost 47 more statements, still batches but past this bound since the import
    writes active plans (issue 17)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(count, prefix):
        rows = [
            {
                "reference": f"{prefix}-{i}",
                "received_on": "2023-01-05",
                "assessment_decision": "agreed",
                "assessment_decision_on": "2023-02-10",
                "plan_decision": "agreed",
                "plan_decision_on": "2023-04-20",
                "draft_issued_on": "2023-05-01",
                "final_issued_on": "2023-05-20",
                "exception_ground": "absent_from_area" if i % 3 else "",
                "exception_agreed_on": "2023-05-02" if i % 3 else "",
            }
            for i in range(count)
        ]
        path = tracker_csv(tmp_path, rows, name=f"{prefix}.csv")
        with CaptureQueriesContext(connection) as captured:
            run(path)
        return len(captured)

    small, large = queries_for(30, "SMALL"), queries_for(300, "LARGE")
    assert large - small < 40
    assert Case.objects.filter(status="final_issued").count() == 330


def test_a_spreadsheet_bom_and_header_case_are_accepted(tmp_path):
    header = ",".join(c.upper() for c in ti.REQUIRED_COLUMNS)
    body = "BOM-1,Testchild,Example,14/03/2015,asd,1,05/01/2026\n"
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f"{header}\n{body}\n,,,,,,\n".encode())
    run(path)
    case = Case.objects.get(reference="BOM-1")
    assert (case.received_on, case.primary_need) == (D(2026, 1, 5), "ASD")


@pytest.mark.postgres
def test_the_check_for_references_already_held_reads_their_index_not_every_case():
    make_case(reference="EHC-2020-00001")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = ti._held_references(["EHC-2020-00001"]).explain()
    assert "case_reference_upper" in plan
    assert list(ti._held_references(["EHC-2020-00001", "NOT-HELD"])) == ["EHC-2020-00001"]
