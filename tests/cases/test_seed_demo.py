import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from advice_requests.models import AdviceRequest, PartnerService
from audit.models import AuditEntry
from cases.models import Case, CaseException, Child
from demo.borough import seed_demo

pytestmark = pytest.mark.django_db


def counts():
    return (
        get_user_model().objects.count(),
        Child.objects.count(),
        Case.objects.count(),
        CaseException.objects.count(),
        AuditEntry.objects.count(),
        AdviceRequest.objects.count(),
        PartnerService.objects.count(),
    )


def test_seed_demo_twice_gives_the_same_counts():
    today = datetime.date(2026, 11, 23)
    first = seed_demo(cases=30, today=today)
    after_first = counts()
    second = seed_demo(cases=30, today=today)
    assert (first.created_cases, second.skipped) == (30, True)
    assert counts() == after_first


def test_seed_demo_command_prints_the_login(capsys):
    call_command("seed_demo", "--cases", "5")
    out = capsys.readouterr().out
    assert "demo.admin" in out
    assert "ehc-demo-2026" in out
