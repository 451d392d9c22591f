"""Two people move the same case at the same moment: exactly one wins (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from audit.models import AuditEntry
from cases import errors
from cases.services import case_transition

from .factories import TODAY, advice_chosen, make_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_transitions_one_wins_one_conflicts():
    case = make_case()
    barrier = threading.Barrier(2)
    outcomes = []

    details = advice_chosen()

    def attempt(transition, reason):
        try:
            barrier.wait(timeout=10)
            case_transition(
                actor=case.caseworker,
                case=case,
                transition=transition,
                reason=reason,
                expected_status="received",
                today=TODAY,
                details=details,
            )
            outcomes.append("won")
        except errors.CaseConflictError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=("agree_to_assess", "")),
        threading.Thread(target=attempt, args=("withdraw", "Synthetic.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["ConcurrentChangeError", "won"]
    case.refresh_from_db()
    assert case.status in {"assessing", "withdrawn"}
    transitions = AuditEntry.objects.filter(case=case, verb__startswith="case.").exclude(
        verb="case.created"
    )
    assert transitions.count() == 1
    assert transitions.get().to_state == case.status
