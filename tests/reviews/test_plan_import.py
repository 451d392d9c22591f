"""Importing existing plans: all or nothing, every problem by row and column."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from cases.models import Child
from reviews import plan_import
from reviews.models import ActivePlan
from tests.cases.factories import caseworker

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)
HEADER = (
    "child_first_name,child_last_name,date_of_birth,plan_start_date,primary_need,"
    "last_review_date,setting_name,setting_urn,sen_setting,phase_transfer_year,phase_transfer,"
    "secondary_needs,upn,caseworker\n"
)


def _read(body: str):
    return plan_import.read_plans((HEADER + body).encode(), today=TODAY)


def test_valid_file_imports_every_plan_with_its_clock():
    worker = caseworker(username="cw.import")
    plans = _read(
        "Ada,Example,2014-08-31,2021-03-01,ASD,2026-02-10,Oak Primary,123456,,,,"
        "SLCN;SEMH,A123456789012,cw.import\n"
        "Ben,Example,01/09/2014,2022-05-05,MLD,,,,EHE,2027,primary_to_secondary,,,\n"
    )
    assert plans.errors == []
    result = plan_import.plans_import(plans=plans, today=TODAY)
    assert result.plans == 2
    ada = ActivePlan.objects.get(child__first_name="Ada")
    assert ada.review_due == datetime.date(2027, 2, 10)
    assert ada.secondary_needs == ["SLCN", "SEMH"]
    assert ada.caseworker == worker
    assert ada.phase_transfer == "into_post16_institution"  # secondary already passed
    assert ada.phase_transfer_due == datetime.date(2030, 3, 31)
    ben = ActivePlan.objects.get(child__first_name="Ben")
    assert ben.review_due == datetime.date(2023, 5, 5)  # never reviewed: long overdue
    assert ben.phase_transfer_due == datetime.date(2027, 2, 15)
    assert ben.sen_setting == "EHE"
    assert AuditEntry.objects.filter(verb="active_plan.created").count() == 2


def test_every_problem_reported_by_row_and_column_and_nothing_written():
    plans = _read(
        "Ada,Example,2014-08-31,2013-03-01,XYZ,,Oak,12345,,,,NSA,,nobody\n"
        "Ben,Example,2014-09-01,2030-01-01,MLD,,Oak,123456,EHE,1999,,,BAD,\n"
    )
    found = {(e.row, e.column) for e in plans.errors}
    assert found == {
        (2, "plan_start_date"),  # before the date of birth
        (2, "primary_need"),
        (2, "setting_urn"),
        (2, "secondary_needs"),
        (2, "caseworker"),
        (3, "plan_start_date"),  # in the future
        (3, "sen_setting"),  # both a URN and a code
        (3, "phase_transfer_year"),
        (3, "upn"),
    }
    with pytest.raises(plan_import.PlanImportError):
        plan_import.plans_import(plans=plans, today=TODAY)
    assert not ActivePlan.objects.exists()
    assert not Child.objects.exists()


def test_same_child_twice_is_refused():
    plans = _read(
        "Ada,Example,2014-08-31,2021-03-01,ASD,,,,,,,,,\nada,example,2014-08-31,2022-03-01,ASD,,,,,,,,,\n"
    )
    assert [(e.row, e.column) for e in plans.errors] == [(3, "child_first_name")]


def test_command_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "plans.csv"
    path.write_text(HEADER + "Ada,Example,2014-08-31,2021-03-01,ASD,,,,,,,,,\n")
    call_command("import_plans", str(path), "--dry-run")
    assert "would import 1 active plans" in capsys.readouterr().out
    assert not ActivePlan.objects.exists()
    path.write_text(HEADER + "Ada,Example,2014-08-31,,ASD,,,,,,,,,\n")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_plans", str(path))
