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
        appeal_rights_sent_on=dates.get("appeal_rights_sent_on"),
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


#: Every open status with the milestone its next step names (ehc-process.md section 1):
#: (status, dates, the due day counted from the request).
OPEN_MILESTONES = [
    ("received", {}, 42),
    ("assessing", {"assessment_decided_on": day(30)}, 112),
    ("drafting", {"plan_decided_on": day(100)}, 125),
    ("draft_issued", {"draft_issued_on": day(120)}, 140),  # after the comment window
    ("drafting", {"plan_decided_on": day(100), "draft_issued_on": day(120)}, 140),  # revised
]


@pytest.mark.parametrize(("status_", "dates", "due_day"), OPEN_MILESTONES)
def test_each_open_status_is_on_time_on_its_due_day_and_late_the_day_after(status_, dates, due_day):
    """A milestone met on its due date is on time (section 1): late only from the day after."""
    on_the_day = status.status_text(case(status_, **dates), today=day(due_day))
    assert on_the_day.next_date == day(due_day)
    assert not on_the_day.late
    assert status.LATE not in on_the_day.next_step
    assert status.long_date(day(due_day)) in on_the_day.next_step
    after = status.status_text(case(status_, **dates), today=day(due_day + 1))
    assert after.late
    assert after.next_step.endswith(status.LATE)
    assert status.long_date(day(due_day)) in after.next_step  # the date it was due, kept


@pytest.mark.parametrize(
    ("status_", "dates"),
    [
        ("final_issued", {"final_issued_on": day(150)}),
        ("assessment_declined", {"assessment_decided_on": day(50)}),
        ("plan_declined", {"plan_decided_on": day(120)}),
        ("withdrawn", {"withdrawn_on": day(20)}),
    ],
)
def test_a_closed_request_never_says_late_or_names_a_due_date(status_, dates):
    text = status.status_text(case(status_, **dates), today=day(400))
    assert not text.late
    assert text.next_date is None
    assert "late" not in f"{text.now} {text.next_step}".lower()


def test_a_draft_served_late_still_gives_the_family_their_15_days():
    """s38: at least 15 days to comment even when the draft went out after day 125, so the
    comment date (day 144) is after the final plan's (day 140), and the family is not told
    the plan is late while they are still commenting."""
    served = case("draft_issued", draft_issued_on=day(130))
    during = status.status_text(served, today=day(141))
    assert during.next_date == day(144)
    assert not during.late
    assert "Tell us what you think" in during.next_step
    after = status.status_text(served, today=day(145))
    assert after.next_date == day(140)
    assert after.late


def test_a_draft_sent_back_to_be_changed_names_the_final_plan_date():
    text = status.status_text(
        case("drafting", plan_decided_on=day(100), draft_issued_on=day(120)), today=day(130)
    )
    assert text.headline == "We are changing the draft plan"
    assert "5 May 2026" in text.now  # day 120, when the first draft was served
    assert text.next_date == day(140)
    assert "final plan" in text.next_step


@pytest.mark.parametrize(
    ("status_", "decided_field", "words"),
    [("assessing", "assessment_decided_on", "assess"), ("drafting", "plan_decided_on", "write")],
)
def test_reopened_on_appeal_does_not_say_we_decided_yes_on_the_day_we_said_no(
    status_, decided_field, words
):
    """Declined on day 40, reopened on appeal on day 90 (section 3: reopen_on_appeal)."""
    reopened = case(
        status_,
        **{decided_field: day(40), "appeal_rights_sent_on": day(40), "status_changed_on": day(90)},
    )
    text = status.status_text(reopened, today=day(91))
    assert "After the appeal" in text.now
    assert "5 April 2026" in text.now  # day 90
    assert "14 February 2026" not in text.now  # the day we declined


@pytest.mark.parametrize(
    ("status_", "dates"),
    [
        ("received", {}),
        ("assessing", {"assessment_decided_on": day(30)}),
        ("drafting", {"plan_decided_on": day(100)}),
        ("drafting", {"plan_decided_on": day(100), "draft_issued_on": day(120)}),
        ("draft_issued", {"draft_issued_on": day(125)}),
        ("final_issued", {"final_issued_on": day(138)}),
        ("assessment_declined", {"assessment_decided_on": day(40)}),
        ("plan_declined", {"plan_decided_on": day(100)}),
        ("withdrawn", {"withdrawn_on": day(10)}),
    ],
)
def test_the_young_person_reads_about_themselves_in_every_status(status_, dates):
    for today in (day(126), day(200)):
        text = status.status_text(case(status_, **dates), today=today, audience=status.YOUNG_PERSON)
        assert "your child" not in f"{text.headline} {text.now} {text.next_step}"
