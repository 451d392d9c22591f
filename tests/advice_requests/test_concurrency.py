"""Two people act on the same advice at the same moment: exactly one wins (PostgreSQL locks)."""

import threading

import pytest
from django.db import connection

from advice_requests.models import AdviceRequest
from advice_requests.services import advice_request_create, advice_request_transition
from audit.models import AuditEntry
from tests.cases.factories import TODAY

from .factories import AGREED_ON, PartnerServiceFactory, assessing_case, make_advice, partner

pytestmark = [
    pytest.mark.postgres,
    # No serialized_rollback: reloading the migrated rows collides with content types that an
    # earlier flushing test let Django recreate under new ids (a setup error under xdist). The
    # factories recreate the role groups a flush removes.
    pytest.mark.django_db(transaction=True),
]


def race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("won")
        except Exception as exc:  # recorded, and asserted by the test
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_partner_accepts_while_caseworker_cancels_one_wins():
    service = PartnerServiceFactory()
    advice = make_advice(service=service)
    member = partner(service)
    worker = advice.case.caseworker

    outcomes = race(
        lambda: advice_request_transition(
            actor=member, advice=advice, transition="accept", expected_status="requested"
        ),
        lambda: advice_request_transition(
            actor=worker,
            advice=advice,
            transition="cancel",
            reason="Synthetic.",
            expected_status="requested",
        ),
    )
    assert outcomes == ["ConcurrentChangeError", "won"]
    final = AdviceRequest.objects.get(pk=advice.pk).status
    assert final in {"accepted", "cancelled"}
    steps = AuditEntry.objects.filter(
        target_id=str(advice.pk), verb__in=["advice.accept", "advice.cancel"]
    )
    assert [entry.to_state for entry in steps] == [final]


def test_two_requests_to_one_provider_for_one_case_one_wins():
    case = assessing_case()
    service = PartnerServiceFactory()

    def ask():
        advice_request_create(
            actor=case.caseworker,
            case=case,
            kind="health",
            service=service,
            question="Synthetic?",
            requested_on=AGREED_ON,
            today=TODAY,
        )

    outcomes = race(ask, ask)
    assert outcomes[-1] == "won"
    assert outcomes[0] in {"ValidationError", "CaseConflictError"}
    assert AdviceRequest.objects.filter(case=case, service=service).count() == 1
