"""Decision 0190: `Case.forecast_to_miss` follows the stored forecasts (saved one by one, or
all at once by the nightly recompute's set-based sync)."""

import datetime

import pytest

from cases.models import Case
from forecasts.models import CaseForecast
from forecasts.risk_inputs import forecast_inputs_sync
from tests.cases.factories import TODAY, make_case

pytestmark = pytest.mark.django_db


def flag(case):
    return Case.objects.values_list("forecast_to_miss", flat=True).get(pk=case.pk)


def test_the_flag_follows_the_forecast():
    case = make_case(received_on=TODAY - datetime.timedelta(days=10))
    assert flag(case) is False
    forecast = CaseForecast.objects.create(case=case, computed_on=TODAY, misses_final_plan=True)
    assert flag(case) is True
    assert Case.objects.with_risk(TODAY).get(pk=case.pk).risk == "at_risk"
    forecast.misses_final_plan = False
    forecast.save()
    assert flag(case) is False
    assert Case.objects.with_risk(TODAY).get(pk=case.pk).risk == "on_track"


def test_the_sync_sets_and_clears_every_case_at_once():
    missing = make_case(received_on=TODAY - datetime.timedelta(days=10))
    fine = make_case(received_on=TODAY - datetime.timedelta(days=10))
    CaseForecast.objects.create(case=missing, computed_on=TODAY, misses_final_plan=True)
    Case.objects.filter(pk=missing.pk).update(forecast_to_miss=False)
    Case.objects.filter(pk=fine.pk).update(forecast_to_miss=True)
    assert forecast_inputs_sync() == 2
    assert (flag(missing), flag(fine)) == (True, False)
    CaseForecast.objects.all().delete()
    assert forecast_inputs_sync() == 1
    assert flag(missing) is False
