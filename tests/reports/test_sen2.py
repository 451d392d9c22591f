"""`export_sen2`: person-level CSVs with DfE item names, every column documented."""

import csv
import datetime
import io
import stat
from pathlib import Path

import pytest
from django.core.management import call_command

from reports.sen2 import MODULES, sen2_rows
from tests.cases.factories import case_in_status, make_case

from .factories import issued_case

pytestmark = pytest.mark.django_db
D = datetime.date
DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "sen2.md"


def test_rows_for_each_module():
    plan = issued_case(final_issued_on=D(2026, 3, 2), day=150, exception="agreed")
    plan.child.upn = "A123456789012"
    plan.child.save()
    declined = case_in_status("assessment_declined", received_on=D(2026, 1, 5))
    pending = make_case(received_on=D(2026, 6, 1), secondary_needs=["SLCN", "SEMH"])
    case_in_status("withdrawn", received_on=D(2024, 1, 5))  # closed before 2026: left out
    modules = sen2_rows(year=2026)

    assert [r["RequestID"] for r in modules["requests"]] == [
        plan.reference,
        declined.reference,
        pending.reference,
    ]
    by_ref = {r["RequestID"]: r for r in modules["requests"]}
    assert by_ref[plan.reference] == {
        "PersonID": plan.child_id,
        "RequestID": plan.reference,
        "ReceivedDate": plan.received_on.isoformat(),
        "RequestSource": 1,
        "RequestOutcomeDate": plan.assessment_decided_on.isoformat(),
        "RequestOutcome": "agreed_to_assess",
        "RequestMediation": 0,
        "RequestTribunal": 0,
    }
    assert by_ref[declined.reference]["RequestOutcome"] == "declined_to_assess"
    assert by_ref[pending.reference]["RequestOutcome"] == ""
    person = next(p for p in modules["person"] if p["PersonID"] == plan.child_id)
    assert person["UPN"] == "A123456789012"
    assert person["PersonBirthDate"] == "2018-03-14"
    assert modules["assessment"] == [
        {
            "RequestID": plan.reference,
            "AssessmentOutcome": "agreed_to_issue",
            "AssessmentOutcomeDate": plan.plan_decided_on.isoformat(),
            "AssessmentMediation": 0,
            "AssessmentTribunal": 0,
            "Week20": 1,
        }
    ]
    assert modules["named_plan"] == [{"RequestID": plan.reference, "StartDate": "2026-03-02"}]
    assert modules["sen_need"] == [
        {"RequestID": plan.reference, "SENtype": "ASD", "SENtypeRank": 1}
    ]


def test_week20_is_0_without_an_agreed_exception():
    issued_case(final_issued_on=D(2026, 3, 2), day=150, exception="proposed")
    assert [r["Week20"] for r in sen2_rows(year=2026)["assessment"]] == [0]


def test_command_writes_owner_only_files_with_item_names(tmp_path):
    issued_case(final_issued_on=D(2026, 3, 2), day=140)
    out = io.StringIO()
    call_command("export_sen2", "--year", "2026", "--output", str(tmp_path / "sen2"), stdout=out)
    for module, columns in MODULES.items():
        path = tmp_path / "sen2" / f"sen2_2026_{module}.csv"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with path.open() as handle:
            rows = list(csv.reader(handle))
        assert tuple(rows[0]) == columns
        assert len(rows) == 2
    assert "sen2_2026_requests.csv: 1 rows" in out.getvalue()


def test_every_column_is_documented():
    documented = DOCS.read_text()
    for module, columns in MODULES.items():
        assert f"`sen2_YEAR_{module}.csv`" in documented
        for column in columns:
            assert f"`{column}`" in documented, column


def test_export_costs_one_query(django_assert_num_queries):
    for day in (130, 140, 150):
        issued_case(final_issued_on=D(2026, 3, 2), day=day)
    with django_assert_num_queries(1):
        sen2_rows(year=2026)
