"""A review of a plan held here works on the plan document (decision 0150): each decision's
letters through the plans letter mechanism, the amendment as plan versions, section E's
outcomes linked, the letters' sent dates back on the review."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from plans import errors as plan_errors
from plans.letter_models import DecisionNotice, LetterKind
from plans.letters import letter_mark_sent
from plans.models import CommentAnswer, Outcome, PlanVersion, VersionKind
from plans.services import comment_answer, comment_record, outcome_save
from reviews import errors
from reviews.models import ActivePlan, ReviewStatus
from reviews.services import review_schedule, review_transition
from tests.cases.factories import case_in_status

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 30)
APPEAL_BOX = "Your right to appeal"


@pytest.fixture
def held_plan():
    """A plan issued here: its case, its final version (two outcomes in section E)."""
    case = case_in_status("final_issued")
    return ActivePlan.objects.select_related("case").get(case=case)


MEETING = D(2026, 10, 1)


def _review(plan, *, meeting=MEETING):
    return review_schedule(
        actor=plan.case.caseworker, plan=plan, meeting_on=meeting, today=D(2026, 9, 1)
    )


def _step(review, name, day, **details):
    return review_transition(
        actor=review.plan.case.caseworker,
        review=review,
        transition=name,
        effective_date=day,
        details=details,
        today=TODAY,
    )


def _to_report(plan):
    review = _review(plan)
    review = _step(review, "send_invitations", D(2026, 9, 15))
    review = _step(review, "hold_meeting", D(2026, 10, 1))
    return _step(review, "receive_report", D(2026, 10, 10), report_text="Progress (synthetic).")


def _send(notice, day):
    for letter in notice.letters.all():
        letter_mark_sent(
            actor=notice.case.caseworker, letter=letter, method="post", sent_on=day, today=TODAY
        )


def test_outcomes_to_review_are_section_e_of_the_plan_in_force(held_plan):
    final = PlanVersion.objects.get(plan__case=held_plan.case, kind=VersionKind.FINAL)
    review = _review(held_plan)
    rows = list(review.outcomes.order_by("position"))
    outcomes = list(Outcome.objects.filter(plan__case=held_plan.case).order_by("position", "id"))
    assert [r.outcome_label for r in rows] == ["E1", "E2"]
    assert [r.outcome_text for r in rows] == [o.text for o in outcomes]
    assert [r.plan_outcome_id for r in rows] == [o.pk for o in outcomes]
    assert {r.plan_version_id for r in rows} == {final.pk}


def test_typed_outcomes_are_refused_where_the_plan_is_held_here(held_plan):
    with pytest.raises(ValidationError) as raised:
        review_schedule(
            actor=held_plan.case.caseworker,
            plan=held_plan,
            meeting_on=D(2026, 10, 1),
            outcomes=["Something typed"],
            today=D(2026, 9, 1),
        )
    assert raised.value.message_dict == {"outcomes": [errors.OUTCOMES_FROM_PLAN]}
    assert not held_plan.reviews.exists()


def test_no_change_decision_is_a_letter_with_appeal_rights_dated_when_sent(held_plan):
    review = _step(_to_report(held_plan), "decide_maintain", D(2026, 10, 12), reason="Going well.")
    notice = review.decision_notice
    assert notice.kind == LetterKind.REVIEW_MAINTAIN
    letters = list(notice.letters.all())
    assert letters
    assert all(APPEAL_BOX in letter.html for letter in letters)
    assert "Going well." in letters[0].html
    assert review.decision_letter_sent_on is None
    _send(notice, D(2026, 10, 14))
    review.refresh_from_db()
    held_plan.refresh_from_db()
    assert review.decision_letter_sent_on == D(2026, 10, 14)
    assert held_plan.last_review_decision_on == D(2026, 10, 14)
    assert held_plan.last_review_outcome == "M"
    assert AuditEntry.objects.filter(verb="review.letters_sent", target_id=str(review.pk)).exists()


def test_a_typed_letter_date_is_refused_where_the_letters_are_written_here(held_plan):
    review = _to_report(held_plan)
    with pytest.raises(ValidationError) as raised:
        _step(review, "decide_maintain", D(2026, 10, 12), decision_letter_sent_on=D(2026, 10, 12))
    expected = {"decision_letter_sent_on": [errors.LETTER_DATE_FROM_LETTERS]}
    assert raised.value.message_dict == expected
    review.refresh_from_db()
    assert review.status == ReviewStatus.REPORT_RECEIVED
    assert not DecisionNotice.objects.filter(kind=LetterKind.REVIEW_MAINTAIN).exists()


def test_an_amendment_makes_proposed_then_amended_versions_with_their_letters(held_plan):
    case = held_plan.case
    actor = case.caseworker
    review = _step(_to_report(held_plan), "decide_amend", D(2026, 10, 12))
    assert review.decision_notice.kind == LetterKind.REVIEW_AMEND
    assert APPEAL_BOX not in review.decision_notice.letters.first().html
    # The plan opens for the amendment: a new outcome can be written.
    outcome_save(actor=actor, plan=case.plan, text="By July, travels to school independently.")

    review = _step(review, "propose_amendments", D(2026, 10, 13))
    proposed = review.proposed_version
    assert proposed.kind == VersionKind.AMENDMENTS
    assert "travels to school independently" in proposed.html
    assert "Proposed amendments to the Education, Health and Care plan" in proposed.html
    assert DecisionNotice.objects.filter(case=case, kind=LetterKind.AMENDMENTS_PROPOSED).exists()

    comment = comment_record(
        actor=actor,
        plan=case.plan,
        section="E",
        text="Please add swimming.",
        source="email",
        received_on=D(2026, 10, 20),
        today=TODAY,
    )
    assert comment.version_id == proposed.pk
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        _step(review, "issue_amended_plan", D(2026, 11, 2))
    assert "comments on the proposed amendments" in raised.value.message_dict["plan"][0]
    review.refresh_from_db()
    assert review.status == ReviewStatus.AMENDMENTS_PROPOSED
    assert AuditEntry.objects.count() == audit_before

    comment_answer(
        actor=actor,
        comment=comment,
        answer=CommentAnswer.NOT_ACCEPTED,
        answer_text="Not an educational need (synthetic).",
        today=TODAY,
    )
    review = _step(review, "issue_amended_plan", D(2026, 11, 2))
    amended = review.amended_version
    assert (amended.kind, amended.number) == (VersionKind.AMENDED, proposed.number + 1)
    assert amended.snapshot["sections"]["I"]["name"] == case.plan.setting_name
    assert "Amended Education, Health and Care plan" in amended.html
    notice = review.amended_plan_notice
    assert notice.kind == LetterKind.AMENDED_PLAN
    assert all(APPEAL_BOX in letter.html for letter in notice.letters.all())
    kinds = list(case.plan.versions.order_by("number").values_list("kind", flat=True))
    assert kinds == ["draft", "final", "amendments", "amended"]
    # Closed again once issued.
    with pytest.raises(ValidationError) as closed:
        outcome_save(actor=actor, plan=case.plan, text="Another outcome")
    assert closed.value.message_dict == {"plan": [plan_errors.PLAN_NOT_EDITABLE]}
    _send(notice, D(2026, 11, 3))
    review.refresh_from_db()
    assert review.amended_plan_letter_sent_on == D(2026, 11, 3)


def test_the_amended_plan_needs_its_proposed_amendments_first():
    """The FSM already orders the steps; the plans service refuses on its own too."""
    from plans.services import amended_plan_issue  # noqa: PLC0415

    case = case_in_status("final_issued")
    with pytest.raises(ValidationError) as raised:
        amended_plan_issue(actor=case.caseworker, case=case, issued_on=TODAY)
    assert raised.value.message_dict == {"plan": [plan_errors.NO_AMENDMENT_OPEN]}


def test_ceasing_writes_the_notice_then_the_decision_with_its_reason(held_plan):
    review = _step(_to_report(held_plan), "decide_cease", D(2026, 10, 12))
    assert review.decision_notice.kind == LetterKind.REVIEW_CEASE
    assert APPEAL_BOX not in review.decision_notice.letters.first().html
    review = _step(review, "record_cease_consultation", D(2026, 10, 25))
    review = _step(review, "cease_plan", D(2026, 10, 30), cease_reason=2)
    notice = review.ceased_notice
    assert notice.kind == LetterKind.PLAN_CEASED
    letter = notice.letters.first()
    assert APPEAL_BOX in letter.html
    assert "Ongoing educational or training needs met without a plan." in letter.html
    _send(notice, D(2026, 10, 31))
    review.refresh_from_db()
    assert review.ceased_letter_sent_on == D(2026, 10, 31)


def test_keeping_the_plan_after_consultation_is_a_no_change_letter(held_plan):
    review = _step(_to_report(held_plan), "decide_cease", D(2026, 10, 12))
    review = _step(review, "record_cease_consultation", D(2026, 10, 25))
    review = _step(review, "keep_plan", D(2026, 10, 30))
    assert review.decision_notice.kind == LetterKind.REVIEW_MAINTAIN
    assert review.decision == "M"


def test_review_letters_are_not_case_step_hooks():
    from cases.services import TRANSITION_HOOKS  # noqa: PLC0415

    assert not {"review_maintain", "plan_ceased", "amended_plan"} & set(TRANSITION_HOOKS)


def test_every_review_letter_template_passes_the_councils_template_check():
    from plans.letter_checks import check_template  # noqa: PLC0415
    from plans.letter_models import REVIEW_LETTER_KINDS  # noqa: PLC0415
    from plans.letters import DEFAULT_TEMPLATES  # noqa: PLC0415

    for kind in REVIEW_LETTER_KINDS:
        subject, body = DEFAULT_TEMPLATES[kind]
        check_template(subject=subject, body=body)
