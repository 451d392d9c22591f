"""Two people move the same review at the same moment: exactly one wins (PostgreSQL locks)."""

import threading

import pytest
from django.db import connection

from audit.models import AuditEntry
from reviews import errors
from reviews.services import review_transition

from .factories import LETTER, TODAY, review_in_status

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_decisions_one_wins_one_conflicts():
    review = review_in_status("report_received")
    actor = review.plan.caseworker
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(transition):
        try:
            barrier.wait(timeout=10)
            review_transition(
                actor=actor,
                review=review,
                transition=transition,
                details=LETTER,
                expected_status="report_received",
                effective_date=LETTER["decision_letter_sent_on"],
                today=TODAY,
            )
            outcomes.append("won")
        except errors.CaseConflictError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    steps = ("decide_amend", "decide_cease")
    threads = [threading.Thread(target=attempt, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["ConcurrentChangeError", "won"]
    review.refresh_from_db()
    decisions = AuditEntry.objects.filter(
        target_id=str(review.pk), verb__startswith="review.decide"
    )
    assert decisions.count() == 1
    assert decisions.get().to_state == review.status
