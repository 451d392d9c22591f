"""Section 4: a case is ready for the statutory panel exactly when its last outstanding request
ends; advice is overdue the day after its due date. Section 6: overdue advice makes the case
at risk, in SQL."""

import datetime

import pytest

from advice_requests.hooks import WITHDRAWN_REASON
from advice_requests.models import AdviceRequest
from advice_requests.selectors import (
    case_advice_readiness,
    cases_ready_for_statutory_panel,
    cases_with_advice_readiness,
    partner_inbox,
)
from advice_requests.services import advice_request_submit, advice_request_transition
from cases import deadlines
from cases.models import Case
from cases.services import case_transition
from tests.cases.factories import TODAY
from tests.plans.factories import send_letters

from .factories import AGREED_ON, SUMMARY, assessing_case, partner, upload

pytestmark = pytest.mark.django_db


def ready_flag(case):
    return cases_with_advice_readiness(Case.objects.filter(pk=case.pk)).get()


def end_request(advice, how):
    worker = advice.case.caseworker
    member = worker if advice.service is None else partner(advice.service)
    if how == "cancel":
        return advice_request_transition(
            actor=worker, advice=advice, transition="cancel", reason="Synthetic.", today=TODAY
        )
    if how == "decline":
        return advice_request_transition(
            actor=member, advice=advice, transition="decline", reason="Synthetic.", today=TODAY
        )
    advice = advice_request_transition(
        actor=member, advice=advice, transition="accept", today=TODAY
    )
    return advice_request_submit(
        actor=member, advice=advice, document=upload(), today=TODAY, **SUMMARY
    ).advice_request


def test_readiness_flips_exactly_when_the_last_outstanding_request_ends():
    case = assessing_case()
    ep, family = AdviceRequest.objects.filter(case=case).order_by("id")
    readiness = case_advice_readiness(case=case, today=TODAY)
    assert not readiness.ready
    assert [item.kind for item in readiness.outstanding] == [
        "educational_psychology",
        "parent_views",
    ]
    row = ready_flag(case)
    assert (row.advice_ready, row.advice_outstanding) == (False, 2)
    assert case not in cases_ready_for_statutory_panel()

    end_request(family, "submit")
    assert not case_advice_readiness(case=case, today=TODAY).ready
    assert (ready_flag(case).advice_ready, ready_flag(case).advice_outstanding) == (False, 1)
    assert case not in cases_ready_for_statutory_panel()

    end_request(ep, "submit")
    readiness = case_advice_readiness(case=case, today=TODAY)
    assert (readiness.ready, readiness.outstanding) == (True, [])
    assert (ready_flag(case).advice_ready, ready_flag(case).advice_outstanding) == (True, 0)
    assert list(cases_ready_for_statutory_panel()) == [case]


@pytest.mark.parametrize("how", ["decline", "cancel"])
def test_declined_and_cancelled_requests_count_as_ended(how):
    case = assessing_case()
    ep, family = AdviceRequest.objects.filter(case=case).order_by("id")
    end_request(family, "submit")
    end_request(ep, how)
    assert case_advice_readiness(case=case, today=TODAY).ready
    assert list(cases_ready_for_statutory_panel()) == [case]


def test_returned_advice_is_outstanding_again():
    case = assessing_case()
    ep, family = AdviceRequest.objects.filter(case=case).order_by("id")
    end_request(family, "submit")
    ep = end_request(ep, "submit")
    assert case_advice_readiness(case=case, today=TODAY).ready
    advice_request_transition(
        actor=case.caseworker,
        advice=ep,
        transition="return_for_quality",
        reason="Synthetic.",
        today=TODAY,
    )
    assert not case_advice_readiness(case=case, today=TODAY).ready
    assert not ready_flag(case).advice_ready


def test_set_based_readiness_for_many_cases_in_one_query(django_assert_num_queries):
    cases = [assessing_case() for _ in range(4)]
    for advice in AdviceRequest.objects.filter(case__in=cases[:2]):
        end_request(advice, "cancel")
    with django_assert_num_queries(1):
        ready = set(
            cases_with_advice_readiness(Case.objects.filter(pk__in=[c.pk for c in cases]))
            .filter(advice_ready=True)
            .values_list("pk", flat=True)
        )
    assert ready == {cases[0].pk, cases[1].pk}


def test_overdue_flips_the_day_after_the_due_date():
    case = assessing_case()
    ep = AdviceRequest.objects.get(case=case, kind="educational_psychology")
    due = AGREED_ON + datetime.timedelta(days=42)
    assert ep.due_on == due == deadlines.advice_due(AGREED_ON)
    assert not ep.is_overdue(due)
    assert ep.is_overdue(due + datetime.timedelta(days=1))
    assert not AdviceRequest.objects.overdue(due).filter(pk=ep.pk).exists()
    assert AdviceRequest.objects.overdue(due + datetime.timedelta(days=1)).filter(pk=ep.pk).exists()
    readiness = case_advice_readiness(case=case, today=due + datetime.timedelta(days=1))
    assert all(item.overdue for item in readiness.outstanding)


def test_submitted_advice_is_never_overdue():
    case = assessing_case()
    ep = AdviceRequest.objects.get(case=case, kind="educational_psychology")
    ep = end_request(ep, "submit")
    late = ep.due_on + datetime.timedelta(days=30)
    assert not ep.is_overdue(late)
    assert not AdviceRequest.objects.overdue(late).filter(pk=ep.pk).exists()


def test_overdue_advice_makes_the_case_at_risk_in_sql():
    case = assessing_case(received_on=datetime.date(2026, 8, 20))
    send_letters(case, case.caseworker)  # the family told on time: no risk from letters
    # Statutory panel decision due 2026-12-10: on track in mid-November on its own.
    advice_due = AGREED_ON + datetime.timedelta(days=42)  # 2026-11-12
    on_due = Case.objects.with_risk(advice_due).get(pk=case.pk).risk
    day_after = Case.objects.with_risk(advice_due + datetime.timedelta(days=1)).get(pk=case.pk)
    assert on_due == "on_track"
    assert day_after.risk == "at_risk"
    assert (
        deadlines.risk_level(
            case.next_milestone_due, advice_due + datetime.timedelta(days=1), advice_overdue=True
        )
        == deadlines.Risk.AT_RISK
    )
    # It composes with filtering, and ends when the advice is in.
    today = advice_due + datetime.timedelta(days=1)
    assert list(Case.objects.open().with_risk(today).filter(risk="at_risk")) == [case]
    for advice in AdviceRequest.objects.filter(case=case):
        end_request(advice, "submit")
    assert Case.objects.with_risk(today).get(pk=case.pk).risk == "on_track"


def test_overdue_advice_never_makes_a_closed_case_at_risk():
    case = assessing_case()
    case = case_transition(
        actor=case.caseworker, case=case, transition="withdraw", reason="Moved away.", today=TODAY
    )
    later = AGREED_ON + datetime.timedelta(days=60)
    assert Case.objects.with_risk(later).get(pk=case.pk).risk == ""


def test_another_services_overdue_advice_does_not_leak_into_other_cases():
    at_risk = assessing_case()
    fine = assessing_case()
    for case in (at_risk, fine):
        send_letters(case, case.caseworker)  # the family told on time: no risk from letters
    for advice in AdviceRequest.objects.filter(case=fine):
        end_request(advice, "submit")
    today = AGREED_ON + datetime.timedelta(days=43)
    risks = dict(Case.objects.with_risk(today).values_list("pk", "risk"))
    assert (risks[at_risk.pk], risks[fine.pk]) == ("at_risk", "on_track")


def test_withdrawing_the_case_cancels_outstanding_advice_and_empties_the_inbox():
    service_member_case = assessing_case()
    ep = AdviceRequest.objects.get(case=service_member_case, kind="educational_psychology")
    member = partner(ep.service)
    assert [item.id for item in partner_inbox(user=member, today=TODAY)] == [ep.pk]
    case_transition(
        actor=service_member_case.caseworker,
        case=service_member_case,
        transition="withdraw",
        reason="Family moved away (synthetic).",
        effective_date=TODAY,
        today=TODAY,
    )
    statuses = set(
        AdviceRequest.objects.filter(case=service_member_case).values_list("status", flat=True)
    )
    assert statuses == {"cancelled"}
    ep.refresh_from_db()
    assert (ep.cancelled_on, ep.last_reason) == (TODAY, WITHDRAWN_REASON)
    assert partner_inbox(user=member, today=TODAY) == []
