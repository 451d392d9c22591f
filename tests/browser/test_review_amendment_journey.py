"""A review of a plan issued here, in the browser (axe-checked): the decision's letter waits in
the letter queue, the outcomes come from section E, the proposed amendments and the amended
plan are versions of the plan the caseworker can open."""

import datetime

import pytest

from plans.letters import letter_mark_sent
from plans.services import outcome_save
from reviews.models import ActivePlan, Review
from reviews.services import review_schedule, review_transition
from tests.browser.conftest import sign_in
from tests.browser.test_review_journey import _date, _shot, _step, frozen  # noqa: F401
from tests.cases.factories import case_in_status, caseworker

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date
TODAY = D(2026, 11, 30)


def _send_all(notice, actor, day):
    for letter in notice.letters.all():
        letter_mark_sent(actor=actor, letter=letter, method="post", sent_on=day, today=TODAY)


def test_caseworker_amends_a_plan_issued_here(checked_page):
    worker = caseworker(first_name="Casey", last_name="Worker")
    case = case_in_status("final_issued", actor=worker)
    plan = ActivePlan.objects.get(case=case)
    review = review_schedule(
        actor=worker, plan=plan, meeting_on=D(2026, 10, 1), today=D(2026, 9, 1)
    )
    for name, day, details in (
        ("send_invitations", D(2026, 9, 15), {}),
        ("hold_meeting", D(2026, 10, 1), {"child_views_given": True}),
        ("receive_report", D(2026, 10, 8), {"report_text": "Reading better (synthetic)."}),
    ):
        review = review_transition(
            actor=worker,
            review=review,
            transition=name,
            effective_date=day,
            details=details,
            today=TODAY,
        )
    page = checked_page.page
    sign_in(page, worker.username, "a-test-password")
    checked_page.goto(f"/reviews/{review.pk}/")
    # Outcomes are section E's, labelled as in the plan; no letter date is asked for.
    assert "Outcome E1:" in page.locator("main").inner_text()
    assert page.locator("#id_decide_amend-decision_letter_sent_on_0").count() == 0
    _step(
        checked_page,
        "decide_amend",
        D(2026, 10, 12),
        reason="Travel to school needs a new outcome.",
    )
    main = page.locator("main").inner_text()
    assert "letter not sent yet" in main
    assert "Review decision: amend the plan" in main
    _shot(page, "20-review-decided-to-amend")

    review = Review.objects.get(pk=review.pk)
    _send_all(review.decision_notice, worker, D(2026, 10, 13))
    outcome_save(actor=worker, plan=case.plan, text="By July, travels to school with a friend.")
    checked_page.goto(f"/plans/{case.reference}/")
    assert "decided to amend this plan" in page.locator("main").inner_text()
    _shot(page, "21-plan-open-for-amendment")

    checked_page.goto(f"/reviews/{review.pk}/")
    assert "letter sent 13 October 2026" in page.locator("main").inner_text()
    _step(checked_page, "propose_amendments", D(2026, 10, 14))
    assert "Proposed amendments to the plan, 14 October 2026" in page.locator("main").inner_text()
    page.get_by_role("link", name="Proposed amendments (version 3)").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    main = page.locator("main").inner_text()
    assert "travels to school with a friend" in main
    assert "PROPOSED AMENDMENTS: the plan as we propose to amend it" in main
    _shot(page, "22-proposed-amendments-version")

    checked_page.goto(f"/reviews/{review.pk}/")
    _step(checked_page, "issue_amended_plan", D(2026, 10, 30))
    main = page.locator("main").inner_text()
    assert "Amended plan (version 4)" in main
    assert "Amended plan, 30 October 2026" in main
    _shot(page, "23-amended-plan-issued")
    checked_page.goto("/plans/letters/")
    assert "Amended plan, 30 October 2026" in page.locator("main").inner_text()
    _shot(page, "24-letter-queue")
