"""Decision 0190: the case's stored advice risk input (the earliest due date of its advice
still outstanding) stays equal to the live requests through every step, the date rolling over
needs no write, the set-based backfill agrees, and the sweep alerts once."""

import datetime
import importlib

import pytest
from django.db.models import Min

from advice_requests import risk_inputs
from advice_requests.models import OUTSTANDING_STATUSES, AdviceRequest
from advice_requests.services import advice_request_submit, advice_request_transition
from cases.models import Case
from cases.services import case_transition
from notifications.models import Kind, Notification
from notifications.sweep import sweep_run
from tests.cases.factories import TODAY
from tests.plans.factories import send_letters

from .factories import AGREED_ON, SUMMARY, assessing_case, make_advice, partner, upload

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
#: assessing_case() asks for EP advice and the family's views on 1 October: due 12 November.
DUE = datetime.date(2026, 11, 12)


def stored(case) -> datetime.date | None:
    return Case.objects.values_list("outstanding_advice_due", flat=True).get(pk=case.pk)


def live(case) -> datetime.date | None:
    return AdviceRequest.objects.filter(case=case, status__in=OUTSTANDING_STATUSES).aggregate(
        due=Min("due_on")
    )["due"]


def assert_kept(case, expected):
    assert (stored(case), live(case)) == (expected, expected)


def test_the_stored_input_follows_every_step_of_the_requests():
    case = assessing_case()
    ep, family = AdviceRequest.objects.filter(case=case).order_by("id")
    assert_kept(case, DUE)
    later = make_advice(case=case, requested_on=AGREED_ON + 7 * DAY)  # due 19 November
    assert_kept(case, DUE)

    member = partner(ep.service)
    ep = advice_request_transition(actor=member, advice=ep, transition="accept", today=TODAY)
    assert_kept(case, DUE)  # accepted is still outstanding
    ep = advice_request_submit(
        actor=member, advice=ep, document=upload(), today=TODAY, **SUMMARY
    ).advice_request
    assert_kept(case, DUE)  # the family's views are still owed
    advice_request_transition(
        actor=case.caseworker, advice=family, transition="cancel", reason="Synthetic.", today=TODAY
    )
    assert_kept(case, later.due_on)
    ep = advice_request_transition(
        actor=case.caseworker,
        advice=ep,
        transition="return_for_quality",
        reason="It does not answer the question (synthetic).",
        today=TODAY,
    )
    assert_kept(case, DUE)  # returned advice is owed again
    advice_request_transition(
        actor=partner(later.service),
        advice=later,
        transition="decline",
        reason="Not known to us (synthetic).",
        today=TODAY,
    )
    assert_kept(case, DUE)
    advice_request_submit(actor=member, advice=ep, document=upload(), today=TODAY, **SUMMARY)
    assert_kept(case, None)


def test_withdrawing_the_case_clears_the_input():
    case = assessing_case()
    assert_kept(case, DUE)
    case_transition(
        actor=case.caseworker, case=case, transition="withdraw", reason="Moved away.", today=TODAY
    )
    assert_kept(case, None)


def told_case():
    """A case being assessed whose decision letters were sent (so only advice can put it at
    risk before 26 November)."""
    case = assessing_case()
    send_letters(case, case.caseworker)
    return case


def test_the_date_rolling_over_makes_the_case_at_risk_without_any_write():
    case = told_case()

    def risk(day):
        return Case.objects.with_risk(day).get(pk=case.pk).risk

    # The statutory panel decision is due on 10 December: the 14-day window opens on 26 November.
    assert (risk(DUE), risk(DUE + DAY)) == ("on_track", "at_risk")
    assert stored(case) == DUE  # nothing was written between the two days


def test_the_sweep_alerts_once_for_advice_overdue_and_nothing_twice():
    case = told_case()

    def case_alerts():
        return Notification.objects.filter(kind=Kind.CASE_AT_RISK, case_id=case.pk).count()

    sweep_run(today=DUE)
    assert case_alerts() == 0
    sweep_run(today=DUE + DAY)
    assert case_alerts() == 1
    everything = Notification.objects.count()
    assert sweep_run(today=DUE + DAY)["cases"] == 0  # the same day again
    assert sweep_run(today=DUE + 2 * DAY)["cases"] == 0  # the next day: still at risk
    assert (case_alerts(), Notification.objects.count()) == (1, everything)


def test_the_backfill_is_set_based_and_agrees_with_the_requests():
    cases = [assessing_case(), assessing_case(), assessing_case()]
    ended = cases[2]
    for advice in AdviceRequest.objects.filter(case=ended):
        advice_request_transition(
            actor=ended.caseworker,
            advice=advice,
            transition="cancel",
            reason="Synthetic.",
            today=TODAY,
        )
    # Wrong on purpose: one missing, one stale, one set although nothing is owed.
    Case.objects.filter(pk=cases[0].pk).update(outstanding_advice_due=None)
    Case.objects.filter(pk=cases[1].pk).update(outstanding_advice_due=DUE + 30 * DAY)
    Case.objects.filter(pk=ended.pk).update(outstanding_advice_due=DUE)
    assert risk_inputs.advice_due_backfill() == 3
    for case in cases:
        assert stored(case) == live(case)
    assert risk_inputs.advice_due_backfill() == 0  # nothing left to write


def test_the_migration_runs_the_modules_backfill():
    migration = importlib.import_module(
        "advice_requests.migrations.0007_case_advice_risk_input_backfill"
    )
    (operation,) = migration.Migration.operations

    def words(sql):
        return " ".join(sql.split())

    assert [words(s) for s in operation.sql] == [words(s) for s in risk_inputs.BACKFILL]
