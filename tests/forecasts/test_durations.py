"""Stage and advice durations from hand-built histories, open cases censored (issue 19)."""

import datetime

import pytest

from advice_requests.models import AdviceRequest
from cases.services import case_transition
from forecasts import durations, history
from forecasts.models import DurationKind, StageDuration
from tests.advice_requests.factories import PartnerServiceFactory, make_advice
from tests.cases.factories import TODAY, advice_chosen, caseworker, make_case

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 6, 1)


def days(n):
    return datetime.timedelta(days=n)


def _received_history():
    """Five cases decided after 10, 20, 30, 40 and 50 days; one withdrawn after 15 days; one
    still waiting after 25 days (TODAY - 25)."""
    actor = caseworker()
    for offset, decided_after in enumerate((10, 20, 30, 40, 50)):
        received = START + days(offset)
        case = make_case(actor=actor, received_on=received, today=TODAY)
        case_transition(
            actor=actor,
            case=case,
            transition="agree_to_assess",
            effective_date=received + days(decided_after),
            today=TODAY,
            details=advice_chosen(),
        )
    withdrawn = make_case(actor=actor, received_on=START, today=TODAY)
    case_transition(
        actor=actor,
        case=withdrawn,
        transition="withdraw",
        effective_date=START + days(15),
        reason="Moved away (synthetic).",
        today=TODAY,
    )
    make_case(actor=actor, received_on=TODAY - days(25), today=TODAY)


def test_stage_spells_by_hand():
    _received_history()
    rows = history.grouped_stage_spells(window_from=TODAY - days(365), today=TODAY)
    received = sorted((d, f, n) for stage, d, f, n, _ in rows if stage == "received")
    assert received == [
        (10, True, 1),
        (15, False, 1),  # withdrawn: censored, not finished
        (20, True, 1),
        (25, False, 1),  # still open: censored at today
        (30, True, 1),
        (40, True, 1),
        (50, True, 1),
    ]


def test_received_curve_by_hand_and_stored():
    # n=7. 10: 6/7; 15 censored; 20: x 4/5 = 0.6857; 25 censored; 30: x 2/3 = 0.4571 -> the
    # median is 30 (dropping the open cases would say 30 too, but counting them finished: 25).
    # 40: x 1/2 = 0.2286; 50: 0 -> the 90th percentile is 50.
    _received_history()
    distributions = durations.distributions_compute(today=TODAY)
    curve = distributions.stage("received")
    assert curve.quantile(0.5) == 30
    assert curve.quantile(0.9) == 50
    stored = durations.stage_durations_store(distributions=distributions, today=TODAY)
    assert stored == StageDuration.objects.count()
    row = StageDuration.objects.get(kind=DurationKind.STAGE, key="received")
    assert (row.finished, row.censored, row.median_days, row.p90_days) == (5, 2, 30, 50)
    # Still waiting after 25 days: S(25) = 0.6857; half of those are decided by S <= 0.3429,
    # which is at 40 days (S(30) = 0.4571 is not yet low enough).
    assert durations.distributions_stored().stage("received").quantile(0.5, elapsed=25) == 40


def test_recompute_twice_stores_the_same_table():
    _received_history()
    for _ in range(2):
        distributions = durations.distributions_compute(today=TODAY)
        durations.stage_durations_store(distributions=distributions, today=TODAY)
    assert StageDuration.objects.filter(kind=DurationKind.STAGE, key="received").count() == 1


def test_spells_outside_the_window_are_left_out(settings):
    _received_history()
    settings.EHC_FORECAST_WINDOW_DAYS = 30  # only spells ended since 3 October, and open ones
    distributions = durations.distributions_compute(today=TODAY)
    curve = distributions.stages["received"]
    assert curve.finished == 0
    assert curve.censored == 1
    assert distributions.stage("received") is None  # no history: no forecast


def test_advice_spells_per_service_with_outstanding_censored():
    service = PartnerServiceFactory()
    requested = datetime.date(2026, 7, 1)
    for after, column in (
        (30, "first_submitted_on"),
        (40, "first_submitted_on"),
        (50, "declined_on"),
        (20, "cancelled_on"),
    ):
        advice = make_advice(service=service, requested_on=requested)
        AdviceRequest.objects.filter(pk=advice.pk).update(**{column: requested + days(after)})
    make_advice(service=service, requested_on=requested)  # outstanding: censored at today
    rows = history.grouped_advice_spells(window_from=TODAY - days(365), today=TODAY)
    mine = sorted((d, f, n) for key, d, f, n, _ in rows if key == str(service.pk))
    open_days = (TODAY - requested).days
    assert mine == [
        (20, False, 1),
        (30, True, 1),
        (40, True, 1),
        (50, True, 1),
        (open_days, False, 1),
    ]


def test_a_spell_begun_before_the_window_enters_late(settings):
    # One case waiting since 20 days before the window opened: it is seen from day 20 on.
    settings.EHC_FORECAST_WINDOW_DAYS = 30
    make_case(received_on=TODAY - days(50), today=TODAY)
    rows = history.grouped_stage_spells(window_from=TODAY - days(30), today=TODAY)
    assert [r for r in rows if r[0] == "received"] == [("received", 50, False, 1, 20)]
