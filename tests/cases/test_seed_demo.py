import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from audit.models import AuditEntry
from cases import models as case_models
from cases.models import Case, CaseException, Child
from demo.borough import seed_demo
from forecasts.models import CaseForecast

pytestmark = pytest.mark.django_db


def counts():
    return (
        get_user_model().objects.count(),
        Child.objects.count(),
        Case.objects.count(),
        CaseException.objects.count(),
        AuditEntry.objects.count(),
    )


def test_seed_demo_twice_gives_the_same_counts():
    today = datetime.date(2026, 11, 23)
    first = seed_demo(cases=30, today=today)
    after_first = counts()
    second = seed_demo(cases=30, today=today)
    assert (first.created_cases, second.skipped) == (30, True)
    assert counts() == after_first


def test_seeded_borough_has_every_open_stage_and_every_risk(monkeypatch):
    today = datetime.date(2026, 11, 23)
    seed_demo(cases=120, today=today)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"received", "assessing", "drafting", "draft_issued", "final_issued"} <= statuses
    risks = set(Case.objects.open().with_risk(today).values_list("risk", flat=True))
    assert risks == {"on_track", "at_risk", "overdue"}
    # The forecasts, learnt from the demo's history (about four in ten on time), flag some open
    # cases, not all of them.
    forecasts = CaseForecast.objects.filter(case__in=Case.objects.open())
    assert 0 < forecasts.filter(misses_final_plan=True).count() < forecasts.count()
    # By the statutory clock alone every level shows too.
    monkeypatch.setattr(
        case_models,
        "RISK_EXTRA_CONDITIONS",
        [
            c
            for c in case_models.RISK_EXTRA_CONDITIONS
            if c.__name__ != "forecast_to_miss_condition"
        ],
    )
    risks = set(Case.objects.open().with_risk(today).values_list("risk", flat=True))
    assert risks == {"on_track", "at_risk", "overdue"}


def test_seed_demo_command_prints_the_login(capsys):
    call_command("seed_demo", "--cases", "5")
    out = capsys.readouterr().out
    assert "demo.admin" in out
    assert "ehc-demo-2026" in out
