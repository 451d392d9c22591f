"""The nightly recompute: forecasts stored as columns, a case forecast to miss at risk once."""

import datetime

import pytest

from cases.models import Case
from cases.risk_reasons import risk_reasons
from forecasts.models import CaseForecast, StageDuration
from forecasts.services import forecasts_recompute
from forecasts.tasks import recompute_forecasts
from notifications.models import Kind, Notification
from notifications.sweep import sweep_run
from security.child_erasure import erasure_plan
from security.subject_access import child_record
from tests.cases.factories import TODAY, case_in_status, caseworker, make_case

pytestmark = pytest.mark.django_db
D = datetime.timedelta


@pytest.fixture
def history():
    """Five cases through every stage on the same days: decided on day 40, panel on day 100,
    draft on day 120, final on day 138 (so every stage's median is its one duration)."""
    actor = caseworker()
    for _ in range(5):
        case_in_status("final_issued", actor=actor, today=TODAY)
    return actor


def test_recompute_stores_a_forecast_per_open_case(history, django_assert_max_num_queries):
    fresh = make_case(actor=history, received_on=TODAY, today=TODAY)
    with django_assert_max_num_queries(20):
        result = forecasts_recompute(today=TODAY)
    assert result.forecasts == 1
    forecast = CaseForecast.objects.get(case=fresh)
    # 40 + 60 + 20 + 18 = day 138: within 20 weeks.
    assert forecast.decision_to_assess_likely_on == TODAY + D(days=40)
    assert forecast.final_plan_likely_on == TODAY + D(days=138)
    assert forecast.final_plan_likely_week == 20
    assert not forecast.misses_final_plan
    assert StageDuration.objects.filter(key="received", median_days=40).exists()


def test_a_case_past_every_case_in_the_history_is_forecast_from_today(history):
    # 50 days in, longer than any case took to decide: forecast as if decided today, then
    # 60 + 20 + 18 days -> day 148, week 22.
    late = make_case(actor=history, received_on=TODAY - D(days=50), today=TODAY)
    on_time = make_case(actor=history, received_on=TODAY - D(days=41), today=TODAY)
    forecasts_recompute(today=TODAY)
    forecast = CaseForecast.objects.get(case=late)
    assert forecast.misses_final_plan
    assert forecast.final_plan_likely_week == 22
    assert forecast.reason.startswith("At this pace: week 22 (due by week 20)")
    assert any("longer than the history shows" in s for s in forecast.basis)
    # 41 days in: decided today (day 41) + 98 = day 139, on time.
    assert not CaseForecast.objects.get(case=on_time).misses_final_plan
    risk = dict(Case.objects.with_risk(TODAY).values_list("pk", "risk"))
    assert risk[late.pk] == "overdue"  # day 42 has passed: overdue wins over "at risk"


def test_at_risk_weeks_before_the_14_day_window(history):
    # Received 10 days ago: forecast on day 40 + 60 + 20 + 18 = 138. With a final plan due on
    # day 135 it is forecast to miss, while its next milestone is 32 days away.
    case = make_case(actor=history, received_on=TODAY - D(days=10), today=TODAY)
    Case.objects.filter(pk=case.pk).update(
        final_plan_due=TODAY - D(days=10) + D(days=135)  # a council's shorter local target
    )
    forecasts_recompute(today=TODAY)
    assert CaseForecast.objects.get(case=case).misses_final_plan
    risk = dict(Case.objects.with_risk(TODAY).values_list("pk", "risk"))
    assert risk[case.pk] == "at_risk"  # its next milestone is 32 days away
    sweep_run(today=TODAY)
    sweep_run(today=TODAY)
    alerts = Notification.objects.filter(case=case, kind=Kind.CASE_AT_RISK)
    assert alerts.count() == 1
    # The case page's risk reasons say why: the forecast, not a near due date.
    reasons = risk_reasons(Case.objects.get(pk=case.pk), today=TODAY)
    assert reasons == [
        "Forecast to miss the 20-week deadline: " + CaseForecast.objects.get(case=case).reason
    ]
    assert reasons[0].startswith("Forecast to miss the 20-week deadline: At this pace: week 20")
    assert "Open the case to see every reason it is at risk" in alerts.get().body


def test_an_on_track_forecast_adds_no_risk_reason(history):
    case = make_case(actor=history, received_on=TODAY, today=TODAY)
    forecasts_recompute(today=TODAY)
    assert risk_reasons(Case.objects.get(pk=case.pk), today=TODAY) == []


def test_recompute_twice_and_closed_cases_lose_their_forecast(history):
    case = make_case(actor=history, received_on=TODAY, today=TODAY)
    recompute_forecasts.apply()
    recompute_forecasts.apply()
    assert CaseForecast.objects.count() == 1
    Case.objects.filter(pk=case.pk).update(status="withdrawn")
    forecasts_recompute(today=TODAY)
    assert CaseForecast.objects.count() == 0


def test_no_history_is_said_not_guessed():
    case = make_case(received_on=TODAY, today=TODAY)
    forecasts_recompute(today=TODAY)
    forecast = CaseForecast.objects.get(case=case)
    assert forecast.final_plan_likely_on is None
    assert forecast.no_history == "Deciding whether to assess"
    assert not forecast.misses_final_plan


def test_a_forecast_is_in_the_subject_access_export_and_erased_with_the_child():
    case = make_case(received_on=TODAY, today=TODAY)
    forecasts_recompute(today=TODAY)
    assert list(child_record(child=case.child)[CaseForecast]) == [CaseForecast.objects.get()]
    assert erasure_plan(child=case.child).rows[CaseForecast] == [case.pk]
