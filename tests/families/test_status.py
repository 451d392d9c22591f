"""The family's status text for every case status and milestone state, against the spec's
dates (ehc-process.md sections 1, 3 and 12): received 5 January 2026 (day 0)."""

import datetime
from types import SimpleNamespace

import pytest

from cases import deadlines
from cases.deadlines import Milestone
from cases.models import CaseStatus
from families import status

RECEIVED = datetime.date(2026, 1, 5)
DUE = deadlines.due_dates(RECEIVED)


def case(status_, **dates):
    return SimpleNamespace(
        status=status_,
        received_on=RECEIVED,
        decision_to_assess_due=DUE[Milestone.DECISION_TO_ASSESS],
        statutory_panel_decision_due=DUE[Milestone.STATUTORY_PANEL_DECISION],
        draft_plan_due=DUE[Milestone.DRAFT_PLAN],
        final_plan_due=DUE[Milestone.FINAL_PLAN],
        assessment_decided_on=dates.get("assessment_decided_on"),
        plan_decided_on=dates.get("plan_decided_on"),
        draft_issued_on=dates.get("draft_issued_on"),
        final_issued_on=dates.get("final_issued_on"),
        withdrawn_on=dates.get("withdrawn_on"),
        status_changed_on=dates.get("status_changed_on", RECEIVED),
    )


def day(n):
    return RECEIVED + datetime.timedelta(days=n)


def test_received_names_the_decision_date_six_weeks_on():
    text = status.status_text(case("received"), today=day(10))
    assert text.next_date == day(42) == datetime.date(2026, 2, 16)
    assert "16 February 2026" in text.next_step
    assert "5 January 2026" in text.now
    assert not text.late


def test_received_past_its_date_says_it_is_late_and_sorry():
    text = status.status_text(case("received"), today=day(43))
    assert text.late
    assert "late" in text.next_step
    assert "sorry" in text.next_step
    on_the_day = status.status_text(case("received"), today=day(42))
    assert not on_the_day.late


def test_assessing_names_the_panel_decision_date():
    text = status.status_text(case("assessing", assessment_decided_on=day(30)), today=day(50))
    assert text.next_date == day(112)
    assert "4 February 2026" in text.now  # day 30
    assert "27 April 2026" in text.next_step  # day 112


def test_drafting_names_the_draft_plan_date():
    text = status.status_text(case("drafting", plan_decided_on=day(100)), today=day(101))
    assert text.next_date == day(125)
    assert "10 May 2026" in text.next_step  # day 125


def test_draft_served_on_day_125_comments_due_day_139():
    served = case("draft_issued", draft_issued_on=day(125))
    during = status.status_text(served, today=day(139))
    assert during.next_date == day(139) == datetime.date(2026, 5, 24)
    assert "24 May 2026" in during.next_step
    assert "meeting" in during.next_step
    assert "school" in during.next_step
    after = status.status_text(served, today=day(140))
    assert after.next_date == day(140)  # the final plan
    assert "ended on 24 May 2026" in after.now
    assert not after.late
    assert status.status_text(served, today=day(141)).late


def test_final_plan_issued():
    text = status.status_text(case("final_issued", final_issued_on=day(138)), today=day(150))
    assert "23 May 2026" in text.now
    assert "12 months" in text.next_step
    assert text.next_date is None


@pytest.mark.parametrize(
    ("status_", "field", "words"),
    [
        ("assessment_declined", "assessment_decided_on", "not to assess"),
        ("plan_declined", "plan_decided_on", "not to write"),
    ],
)
def test_declines_say_why_is_in_the_letter_and_how_to_appeal(status_, field, words):
    text = status.status_text(case(status_, **{field: day(40)}), today=day(41))
    assert words in text.now
    assert "14 February 2026" in text.now
    assert "appeal" in text.next_step
    assert "mediation" in text.next_step


def test_withdrawn():
    text = status.status_text(case("withdrawn", withdrawn_on=day(20)), today=day(30))
    assert "25 January 2026" in text.now


def test_every_case_status_has_a_text():
    for value in CaseStatus.values:
        text = status.status_text(case(value), today=day(1))
        assert text.headline
        assert text.now
        assert text.next_step
        assert "_" not in f"{text.headline} {text.now} {text.next_step}"  # no raw status code


def test_young_person_reads_about_themselves():
    text = status.status_text(case("received"), today=day(1), audience=status.YOUNG_PERSON)
    assert "your needs" in text.now
    assert "your child" not in text.now


def test_status_texts_are_short_sentences():
    """Reading age around 9: no sentence of the status texts over 25 words."""
    for value, kwargs in [
        ("received", {}),
        ("assessing", {"assessment_decided_on": day(30)}),
        ("drafting", {"plan_decided_on": day(100)}),
        ("draft_issued", {"draft_issued_on": day(125)}),
        ("final_issued", {"final_issued_on": day(138)}),
        ("assessment_declined", {"assessment_decided_on": day(40)}),
        ("withdrawn", {"withdrawn_on": day(10)}),
    ]:
        text = status.status_text(case(value, **kwargs), today=day(130))
        for sentence in f"{text.now} {text.next_step}".split(". "):
            assert len(sentence.split()) <= 25, sentence
