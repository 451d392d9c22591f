"""Decision 0190: the cases source reads only the cases flagged since the last sweep and the
alert states due for a recheck today. After every kind of change (advice requested, overdue,
submitted, the warning window, rolling off an agenda, overdue by date, withdrawal), the full
comparison of every open case with its state finds nothing left, and sweeping again sends
nothing twice."""

import datetime

import pytest

from advice_requests.models import AdviceRequest
from advice_requests.services import advice_request_submit, advice_request_transition
from cases.models import CaseRiskRecheck
from cases.services import case_transition, cases_mark_rolled_off_agenda
from notifications.case_alerts import changed_open_cases, closed_cases_with_live_state
from notifications.models import CaseAlertState, Kind, Notification
from notifications.sweep import sweep_run
from tests.advice_requests.factories import SUMMARY, assessing_case, make_advice, partner, upload
from tests.cases.factories import TODAY
from tests.plans.factories import send_letters

pytestmark = pytest.mark.django_db
D = datetime.date
#: assessing_case(): advice due 12 November; the statutory panel decision due 10 December, so
#: the 14-day window opens on 26 November.
ADVICE_DUE = D(2026, 11, 12)
WINDOW_OPENS = D(2026, 11, 26)
PANEL_DUE = D(2026, 12, 10)
DAY = datetime.timedelta(days=1)


def told_case():
    case = assessing_case()
    send_letters(case, case.caseworker)
    return case


def settled(today):
    """What the full comparison would still find after the sweep: nothing."""
    assert changed_open_cases(today) == []
    assert closed_cases_with_live_state() == []


def state(case):
    return CaseAlertState.objects.values_list("risk", "recheck_on").get(case_id=case.pk)


def sweep_twice(today):
    """Sweep, check nothing is left, and sweep again: the second sends nothing."""
    offered = sweep_run(today=today)
    settled(today)
    everything = Notification.objects.count()
    again = sweep_run(today=today)
    assert (again["cases"], Notification.objects.count()) == (0, everything)
    return offered["cases"]


def flagged():
    return CaseRiskRecheck.objects.count()


def test_every_kind_of_change_is_seen_and_alerted_once():
    case, other = told_case(), told_case()
    sweep_twice(TODAY)
    assert state(case) == ("on_track", ADVICE_DUE + DAY)  # advice overdue from 13 November

    # An input that moves the recheck date without changing the risk: advice due earlier is
    # impossible, so a later request leaves it; an agenda roll-off makes `other` at risk now.
    make_advice(case=case, requested_on=TODAY)
    cases_mark_rolled_off_agenda(case_ids=[other.pk])
    assert flagged() == 2  # noqa: PLR2004
    assert sweep_twice(TODAY) == 1  # other at risk, told to its caseworker
    assert state(case) == ("on_track", ADVICE_DUE + DAY)
    assert state(other) == ("at_risk", PANEL_DUE + DAY)

    # The date rolls over: nothing flagged, the state's recheck date brings the case in.
    assert flagged() == 0
    assert sweep_twice(ADVICE_DUE) == 0
    assert sweep_twice(ADVICE_DUE + DAY) == 1
    assert state(case) == ("at_risk", PANEL_DUE + DAY)

    # The advice comes in (submitted, declined, cancelled): the case is on track again until
    # the warning window opens, with no alert for going back on track.
    for advice in AdviceRequest.objects.filter(case=case, status="requested"):
        if advice.service is None:
            advice_request_transition(
                actor=case.caseworker,
                advice=advice,
                transition="cancel",
                reason="Synthetic.",
                today=TODAY,
            )
            continue
        member = partner(advice.service)
        advice = advice_request_transition(
            actor=member, advice=advice, transition="accept", today=TODAY
        )
        advice_request_submit(actor=member, advice=advice, document=upload(), **SUMMARY)
    assert sweep_twice(ADVICE_DUE + 2 * DAY) == 0
    assert state(case) == ("on_track", WINDOW_OPENS)

    # The warning window opens: at risk again, offered again, but the same milestone and level
    # were alerted on 13 November, so nobody is told twice. Then the due date passes (overdue).
    at_risk = Notification.objects.filter(kind=Kind.CASE_AT_RISK, case_id=case.pk).count()
    assert sweep_twice(WINDOW_OPENS) == 1
    assert state(case) == ("at_risk", PANEL_DUE + DAY)
    assert Notification.objects.filter(kind=Kind.CASE_AT_RISK, case_id=case.pk).count() == at_risk
    assert sweep_twice(PANEL_DUE + DAY) >= 1
    assert state(case) == ("overdue", None)
    overdue = Notification.objects.filter(kind=Kind.CASE_OVERDUE, case_id=case.pk).count()

    # Withdrawn: the state names no milestone any more, and nothing is rechecked by date.
    case_transition(
        actor=case.caseworker,
        case=case,
        transition="withdraw",
        reason="Moved away (synthetic).",
        today=PANEL_DUE + DAY,
    )
    assert sweep_twice(PANEL_DUE + 2 * DAY) >= 0
    assert state(case) == ("", None)
    assert Notification.objects.filter(kind=Kind.CASE_OVERDUE, case_id=case.pk).count() == overdue
    assert CaseAlertState.objects.filter(recheck_on__lte=PANEL_DUE + 2 * DAY).count() == 0
