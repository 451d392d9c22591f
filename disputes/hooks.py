"""What a case's own steps complete of an order that reopened it: registered in apps.py as
case transition hooks, so an order to issue is carried out when the final plan is issued,
without the caseworker recording it twice."""

from __future__ import annotations

from audit.services import audit_record

from .deadlines import OrderKind
from .models import OrderDeadline
from .services import dispute_open_for_review

#: case transition -> (order step done on its date, order steps no longer needed).
ORDER_STEP_TRANSITIONS = {
    "agree_to_issue": (("decide_whether_to_issue",), ()),
    "decline_to_issue": (("decide_whether_to_issue",), ("final_plan",)),
    "issue_draft": (("draft_plan",), ()),
    "issue_final": (("final_plan",), ()),
}


def _outstanding(case, steps):
    return OrderDeadline.objects.filter(
        dispute__case=case,
        order__reopened_case=True,
        order__kind__in=(OrderKind.ASSESS, OrderKind.ISSUE_PLAN),
        step__in=steps,
        done_on__isnull=True,
        not_needed=False,
    )


def hook_for(transition: str):
    done_steps, not_needed_steps = ORDER_STEP_TRANSITIONS[transition]

    def hook(*, case, actor, effective_date, reason, details) -> None:
        if not case.due_date_overrides:
            # Only an order that reopened the case has steps here, and reopening it wrote the
            # order's dates over the case's (_follow_the_order_on_the_case, decision 0121): a
            # case without them has none to complete (issue 20: no UPDATE that finds nothing).
            return
        done = _outstanding(case, done_steps).update(done_on=effective_date)
        skipped = (
            _outstanding(case, not_needed_steps).update(not_needed=True) if not_needed_steps else 0
        )
        if done or skipped:
            audit_record(
                actor=actor,
                verb="dispute.order_steps_by_case",
                target=case,
                case=case,
                effective_date=effective_date,
                payload={"transition": transition, "done": done, "not_needed": skipped},
            )

    hook.__name__ = f"complete_order_steps_on_{transition}"
    return hook


HOOKS = {transition: hook_for(transition) for transition in ORDER_STEP_TRANSITIONS}


def open_review_window(*, review, actor, effective_date, details) -> None:
    """A review step that sent the family an appealable decision (reviews' step hook) opens
    its appeal window in the same transaction (section 14; decision 0140)."""
    dispute_open_for_review(actor=actor, review=review)


def open_review_window_when_sent(*, review, actor) -> None:
    """A review's letters were marked sent (reviews' letters-sent hook): the window opens from
    that date, where the plan is held here and its letters are written by the plans app."""
    dispute_open_for_review(actor=actor, review=review)


#: The review steps whose letter (or amended plan) carries appeal rights: keeping the plan
#: unchanged (after the review, or after consulting on ceasing), the amended plan, ceasing.
REVIEW_HOOKS = dict.fromkeys(
    ("decide_maintain", "keep_plan", "issue_amended_plan", "cease_plan"), open_review_window
)
