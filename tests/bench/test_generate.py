"""The benchmark's population generator (bench/generate.py) on PostgreSQL: its set-based
finishing steps once broke on a Django alias and nothing noticed until a 1,000,000-case run."""

import datetime

import pytest

from bench.generate import generate
from cases.models import Case
from notifications.models import CaseAlertState

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TODAY = datetime.date(2026, 11, 30)


def test_a_small_population_is_generated_with_its_alert_states():
    counts = generate(cases=200, seed=7, today=TODAY)
    assert counts["cases"] == Case.objects.count() == 200
    open_cases = Case.objects.open().count()
    assert counts["open"] == open_cases > 0
    # The sweep "already ran today": one state per open case, none left flagged.
    assert counts["alert_states"] == CaseAlertState.objects.count() == open_cases
