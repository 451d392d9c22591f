"""A deferred case returns at the next meeting, week after week, with time frozen on each day
that matters: the scheduled tasks build the agendas, the chair publishes and defers, and the
case keeps its status and statutory due date until the panel decides."""

import datetime

import pytest

from cases.models import Case
from panels.models import ItemSource, ItemStatus, Outcome, PanelMeeting, PanelType
from panels.services import agenda_item_record_outcome, agenda_publish
from panels.tasks import build_due_agendas, generate_meetings
from tests.cases.factories import ChildFactory, make_case

from .factories import PanelFactory, decline_reason

pytestmark = pytest.mark.django_db
D = datetime.date
FIRST_MEETING = D(2026, 12, 2)  # a Wednesday


def at(time_machine, day, hour=9):
    time_machine.move_to(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC))


def test_deferred_twice_then_decided(time_machine):
    at(time_machine, D(2026, 11, 25))
    panel = PanelFactory(panel_type=PanelType.NAP, weekday=2, agenda_lead_days=3)
    case = make_case(
        received_on=D(2026, 11, 9),
        child=ChildFactory(date_of_birth=D(2015, 1, 1)),
        today=D(2026, 11, 25),
    )
    generate_meetings()
    due = Case.objects.get(pk=case.pk).decision_to_assess_due
    meeting_day = FIRST_MEETING
    for week in range(3):
        at(time_machine, meeting_day - datetime.timedelta(days=3))  # the lead-time day
        build_due_agendas()
        build_due_agendas()  # a repeated run changes nothing
        meeting = PanelMeeting.objects.get(panel=panel, date=meeting_day)
        item = meeting.items.get(case=case, status=ItemStatus.LISTED)
        assert meeting.items.filter(case=case).count() == 1
        assert item.source == (ItemSource.BUILT if week == 0 else ItemSource.DEFERRED)
        agenda_publish(actor=panel.chair, meeting=meeting)
        at(time_machine, meeting_day, hour=11)
        outcome = Outcome.DEFER if week < 2 else Outcome.DECLINE_TO_ASSESS
        agenda_item_record_outcome(
            actor=panel.chair,
            item=item,
            outcome=outcome,
            reasons="Waiting for the school's evidence (synthetic).",
            decline_reason=None if outcome == Outcome.DEFER else decline_reason(),
        )
        case.refresh_from_db()
        if week < 2:
            assert case.status == "received"
            assert case.decision_to_assess_due == due  # deferral never moves the clock
            following = meeting_day + datetime.timedelta(days=7)
            assert (
                PanelMeeting.objects.get(panel=panel, date=following)
                .items.filter(case=case, status=ItemStatus.LISTED, source=ItemSource.DEFERRED)
                .exists()
            )
        meeting_day += datetime.timedelta(days=7)
    assert (case.status, case.assessment_decided_on) == ("assessment_declined", D(2026, 12, 16))
