"""Every step the disputes and reviews apps audit on a case reads as a sentence in the case's
history, never as "Moved to <internal status>" (found after merging issue 18's review windows)."""

from types import SimpleNamespace

import pytest

from cases.history import describe
from disputes.services import MEDIATION_STEPS
from reviews.models import Review

REVIEW_STEPS = sorted(
    name
    for name in dir(Review)
    if hasattr(getattr(Review, name), "_django_fsm") and not name.startswith("_")
)

VERBS = [
    *[f"review.{step}" for step in REVIEW_STEPS],
    "review.scheduled",
    "review.progress_recorded",
    *[f"mediation.{step}" for step in MEDIATION_STEPS],
    "mediation.adviser_contacted",
    "dispute.opened",
    "dispute.close_without_appeal",
    "dispute.order_recorded",
    "dispute.order_step_done",
    "appeal.registered",
    "appeal.send_response",
    "appeal.hearing_set",
    "appeal.outcome_recorded",
    "active_plan.created",
]


def test_the_review_steps_are_found():
    assert {"decide_maintain", "decide_amend", "cease_plan", "keep_plan"} <= set(REVIEW_STEPS)


@pytest.mark.parametrize("verb", VERBS)
def test_each_step_reads_as_a_sentence(verb):
    entry = SimpleNamespace(verb=verb, payload={}, to_state="some_internal_status")
    words = describe(entry, {})
    assert "Moved to" not in words
    assert "_" not in words
    assert words[0].isupper()
