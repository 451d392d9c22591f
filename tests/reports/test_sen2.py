"""The SEN2 return: every code list value from hand-built records, validation that names each
blocking problem, files that round-trip, every column documented."""

import datetime
import io
import stat
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import Child
from cases.services import case_transition
from reports import sen2_codes
from reports.sen2 import MODULES, census_date, export_sen2, read_module, sen2_rows
from reports.sen2_validation import validate
from reviews.services import active_plan_create
from tests.cases.factories import TODAY as CASES_TODAY
from tests.cases.factories import ChildFactory, case_in_status, caseworker, make_case, manager

from .factories import issued_case

pytestmark = pytest.mark.django_db
D = datetime.date
DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "sen2.md"
YEAR = 2026
CENSUS = D(2027, 1, 21)


def _plan(**fields):
    fields.setdefault("setting_urn", "" if fields.get("sen_setting") else "100001")
    return active_plan_create(
        actor=caseworker(),
        child=fields.pop("child", None) or ChildFactory(),
        start_date=fields.pop("start_date", D(2024, 5, 1)),
        primary_need=fields.pop("primary_need", "ASD"),
        today=D(2026, 6, 1),
        **fields,
    )


def _values(modules, module, item):
    return {row[item] for row in modules[module]}


def test_census_dates():
    assert census_date(2027) == CENSUS
    assert census_date(2026) == D(2026, 1, 15)
    assert census_date(2030) == D(2030, 1, 17)  # third Thursday


def test_every_request_and_assessment_outcome_code():
    # Y/Y: assessed and a plan agreed in the year.
    issued_case(final_issued_on=D(2026, 6, 1), day=140)
    case_in_status("assessment_declined", received_on=D(2026, 1, 5))  # N
    make_case(received_on=D(2026, 11, 1))  # A
    case_in_status("withdrawn", received_on=D(2026, 2, 2))  # W before the decision to assess
    case_in_status("plan_declined", received_on=D(2026, 1, 5))  # Y then N
    case_in_status("assessing", received_on=D(2026, 3, 2))  # Y then A
    # H: decided in 2025, still being drafted in 2026 (decisions before the period).
    case_in_status("drafting", received_on=D(2025, 6, 2), today=CASES_TODAY)
    modules = sen2_rows(year=YEAR)
    assert _values(modules, "requests", "RequestOutcome") == set(sen2_codes.RequestOutcome.values)
    assert _values(modules, "assessment", "AssessmentOutcome") >= {"Y", "N", "A"}
    assert _values(modules, "requests", "RequestMediation") == {"0"}


def test_assessment_withdrawn_and_historical():
    case_in_status("drafting", received_on=D(2025, 6, 2))  # plan decided in 2025: H
    withdrawn = case_in_status("assessing", received_on=D(2026, 3, 2))

    case_transition(
        actor=withdrawn.caseworker,
        case=withdrawn,
        transition="withdraw",
        reason="Moved away (synthetic).",
        effective_date=D(2026, 5, 1),
        today=CASES_TODAY,
    )
    modules = sen2_rows(year=YEAR)
    assert _values(modules, "assessment", "AssessmentOutcome") == {"H", "W"}


def test_every_request_source_sen_type_cease_reason_setting_and_review_outcome():
    for source in sen2_codes.RequestSource.values:
        make_case(received_on=D(2026, 2, 2), request_source=source)
    for need in sen2_codes.SENType.values:
        _plan(primary_need=need)
    for reason in sen2_codes.CeaseReason.values:
        _plan(ceased_on=D(2026, 7, 1), cease_reason=reason)
    for setting in sen2_codes.SENSetting.values:
        _plan(sen_setting=setting)
    for outcome in sen2_codes.ReviewOutcome.values:
        _plan(
            last_review_meeting_on=D(2026, 5, 1),
            last_review_decision_on=D(2026, 5, 20),
            last_review_outcome=outcome,
        )
    modules = sen2_rows(year=YEAR)
    assert _values(modules, "requests", "RequestSource") == {"1", "2", "3", "4", "5"}
    assert _values(modules, "sen_need", "SENtype") == set(sen2_codes.SENType.values)
    assert _values(modules, "named_plan", "CeaseReason") - {""} == {
        str(v) for v in sen2_codes.CeaseReason.values
    }
    assert _values(modules, "placement_detail", "SENSetting") - {""} == set(
        sen2_codes.SENSetting.values
    )
    assert _values(modules, "active_plans", "ReviewOutcome") - {""} == {"A", "C", "M"}
    assert validate(modules, census=CENSUS) == []
    # Ceased plans are named plans of the year but not active on the census date.
    assert len(modules["named_plan"]) == len(modules["active_plans"]) + 9


def test_active_plan_items():
    child = ChildFactory(date_of_birth=D(2014, 9, 1))  # secondary: named by 15 February 2026
    plan = _plan(
        child=child,
        transferred_in_from_la="878",
        transferred_in_on=D(2026, 3, 10),
        phase_transfer="primary_to_secondary",
        phase_transfer_named_on=D(2026, 2, 10),
    )
    row = sen2_rows(year=YEAR)["active_plans"][0]
    assert row == {
        "PersonID": str(child.pk),
        "RequestID": plan.reference,
        "TransferLA": "878",
        "ReviewMeeting": "",
        "ReviewOutcome": "",
        "ReviewDraft": "",
        "PhaseTransferDueDate": "2026-02-15",
        "PhaseTransferFinalDate": "2026-02-10",
        "LastReview": "",
    }


def test_validation_names_each_blocking_problem():
    twice = ChildFactory(first_name="Twice")
    _plan(child=twice)
    _plan(child=twice, start_date=D(2025, 5, 1))
    _plan(child=ChildFactory(first_name="Nowhere"), setting_urn="", sen_setting="")
    _plan(child=ChildFactory(first_name="Elder", date_of_birth=D(2001, 1, 1)))
    _plan(
        child=ChildFactory(first_name="Moved"),
        transferred_in_from_la="Synthetic Shire",
        transferred_in_on=D(2026, 4, 1),
    )
    bad_upn = ChildFactory(first_name="Badupn")
    Child.objects.filter(pk=bad_upn.pk).update(upn="12345")
    _plan(child=bad_upn)
    problems = validate(sen2_rows(year=YEAR), census=CENSUS)
    found = {(p.child.split()[0], p.item) for p in problems}
    assert found == {
        ("Twice", "RequestID"),
        ("Nowhere", "URN"),
        ("Elder", "CeaseDate"),
        ("Moved", "TransferLA"),
        ("Badupn", "UPN"),
    }
    assert all(str(p) for p in problems)


def test_files_round_trip(tmp_path):
    issued_case(final_issued_on=D(2026, 6, 1), day=140, exception="agreed")
    _plan(sen_setting="EHE", secondary_needs=["SLCN"])
    modules = sen2_rows(year=YEAR)
    export_sen2(year=YEAR, output=tmp_path, modules=modules)
    for name in MODULES:
        path = tmp_path / f"sen2_{YEAR}_{name}.csv"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert read_module(path) == modules[name], name
    assert modules["sen_need"][-2:] == [
        {
            "RequestID": modules["active_plans"][-1]["RequestID"],
            "SENtype": "ASD",
            "SENtypeRank": "1",
        },
        {
            "RequestID": modules["active_plans"][-1]["RequestID"],
            "SENtype": "SLCN",
            "SENtypeRank": "2",
        },
    ]


def test_command_refuses_a_return_with_problems_and_writes_a_valid_one(tmp_path):
    bad = _plan(setting_urn="", sen_setting="")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("export_sen2", "--year", "2026", "--output", str(tmp_path / "x"), stderr=err)
    assert bad.child.full_name in err.getvalue()
    assert not (tmp_path / "x").exists()
    bad.sen_setting = "OTH"
    bad.save()
    out = io.StringIO()
    call_command("export_sen2", "--year", "2026", "--output", str(tmp_path / "ok"), stdout=out)
    assert "sen2_2026_active_plans.csv: 1 rows" in out.getvalue()


def test_every_column_is_documented():
    documented = DOCS.read_text()
    for module, columns in MODULES.items():
        assert f"`sen2_YEAR_{module}.csv`" in documented
        for column in columns:
            assert f"`{column}`" in documented, column


def test_export_costs_two_queries(django_assert_num_queries):
    for day in (130, 140, 150):
        issued_case(final_issued_on=D(2026, 3, 2), day=day)
    with django_assert_num_queries(2):
        sen2_rows(year=YEAR)


def test_manager_page_lists_problems_and_downloads_only_a_valid_return(client):
    bad = _plan(setting_urn="", sen_setting="")
    client.force_login(manager())
    url = reverse("reports:sen2")
    page = client.get(url, {"year": "2026"})
    assert page.status_code == 200
    body = page.content.decode()
    assert bad.child.full_name in body
    assert "1 problem blocks the return" in body
    refused = client.get(url, {"year": "2026", "download": "1"})
    assert refused["Content-Type"].startswith("text/html")
    bad.sen_setting = "EHE"
    bad.save()
    download = client.get(url, {"year": "2026", "download": "1"})
    assert download["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert sorted(names) == sorted(f"sen2_2026_{m}.csv" for m in MODULES)
    assert client.get(url, {"year": "x"}).status_code == 400


def test_caseworker_may_not_see_the_sen2_page(client):
    client.force_login(caseworker())
    assert client.get(reverse("reports:sen2")).status_code == 403
