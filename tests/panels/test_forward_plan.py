import datetime

import pytest

from cases import deadlines
from cases.models import Case, Child
from panels.agenda import agenda_build
from panels.models import ItemSource, ItemStatus, PanelMeeting, PanelType
from panels.selectors import forward_plan, meetings_due_for_agenda_build
from panels.services import meetings_generate
from panels.tasks import build_due_agendas
from tests.cases.factories import ChildFactory, make_case

from .factories import PanelFactory, meeting

pytestmark = pytest.mark.django_db
D = datetime.date


def test_forward_plan_counts_cases_expected_at_each_of_the_next_four_meetings():
    panel = PanelFactory(panel_type=PanelType.NAP, capacity=1, weekday=2)
    for day in (D(2026, 12, 2), D(2026, 12, 9), D(2026, 12, 16), D(2026, 12, 23), D(2026, 12, 30)):
        meeting(panel, day)
    for received in (D(2026, 10, 15), D(2026, 10, 20), D(2026, 10, 28), D(2026, 11, 20)):
        child = ChildFactory(date_of_birth=D(2014, 1, 1))
        make_case(received_on=received, child=child, today=D(2026, 11, 30))
    # Decisions due 26 Nov, 1 Dec, 9 Dec and 1 Jan (after the fourth meeting: not yet expected).
    (row,) = forward_plan(today=D(2026, 11, 30))
    counts = [(m["meeting"].date, m["expected"], m["over_capacity"]) for m in row["meetings"]]
    assert counts == [
        (D(2026, 12, 2), 2, True),
        (D(2026, 12, 9), 1, False),
        (D(2026, 12, 16), 0, False),
        (D(2026, 12, 23), 0, False),
    ]


def test_agendas_are_built_on_their_lead_time_day():
    panel = PanelFactory(panel_type=PanelType.NAP, agenda_lead_days=3, weekday=2)
    meetings_generate(today=D(2026, 11, 23), weeks=2)  # 25 Nov and 2 Dec
    # 25 Nov has been held; 2 Dec's agenda is built from 29 Nov (3 days before).
    assert meetings_due_for_agenda_build(today=D(2026, 11, 24)) == [
        PanelMeeting.objects.get(panel=panel, date=D(2026, 11, 25))
    ]
    assert meetings_due_for_agenda_build(today=D(2026, 11, 28)) == []
    assert [m.date for m in meetings_due_for_agenda_build(today=D(2026, 11, 29))] == [
        D(2026, 12, 2)
    ]
    assert PanelMeeting.objects.filter(panel=panel).count() == 2


def test_build_task_is_idempotent(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 29, 9, tzinfo=datetime.UTC))
    panel = PanelFactory(panel_type=PanelType.NAP, agenda_lead_days=3, weekday=2)
    meetings_generate(today=D(2026, 11, 29), weeks=2)
    make_case(
        received_on=D(2026, 11, 2),
        child=ChildFactory(date_of_birth=D(2014, 1, 1)),
        today=D(2026, 11, 29),
    )
    assert build_due_agendas() == 1
    assert build_due_agendas() == 1
    first = PanelMeeting.objects.get(panel=panel, date=D(2026, 12, 2))
    assert first.items.filter(status=ItemStatus.LISTED).count() == 1


def test_agenda_build_for_ten_thousand_open_cases_uses_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    panel = PanelFactory(panel_type=PanelType.NAP, capacity=25)
    first = meeting(panel, D(2026, 12, 2))
    second = meeting(panel, D(2026, 12, 9))
    children = Child.objects.bulk_create(
        Child(first_name=f"Bulk{n}", last_name="Example", date_of_birth=D(2014, 1, 1))
        for n in range(10_000)
    )
    received = D(2026, 10, 1)
    dues = deadlines.due_dates(received)
    Case.objects.bulk_create(
        Case(
            reference=f"BULK-{n:05d}",
            child=child,
            received_on=received,
            request_source=1,
            primary_need="ASD",
            status_changed_on=received,
            decision_to_assess_due=dues[deadlines.Milestone.DECISION_TO_ASSESS],
            statutory_panel_decision_due=dues[deadlines.Milestone.STATUTORY_PANEL_DECISION],
            draft_plan_due=dues[deadlines.Milestone.DRAFT_PLAN],
            final_plan_due=dues[deadlines.Milestone.FINAL_PLAN],
            next_milestone="decision_to_assess",
            next_milestone_due=dues[deadlines.Milestone.DECISION_TO_ASSESS],
        )
        for n, child in enumerate(children)
    )
    # 12: with the flags for the deadline sweep of the cases marked (decision 0190).
    with django_assert_max_num_queries(12) as captured:
        agenda_build(meeting=first)
    assert first.items.count() == 25
    assert second.items.filter(source=ItemSource.ROLLED_OVER).count() == 25
    # Read: this agenda's room, the next one's and one meeting beyond both (decision 0165);
    # marked: the 50 read beyond this agenda's room, by primary key, never the whole backlog.
    assert Case.objects.filter(rolled_off_agenda=True).count() == 50
    assert set(Case.objects.filter(rolled_off_agenda=True).values_list("reference", flat=True)) == {
        f"BULK-{n:05d}" for n in range(25, 75)
    }
    sql = [q["sql"] for q in captured.captured_queries if '"cases_case"' in q["sql"]]
    reads = [s for s in sql if s.startswith("SELECT")]
    assert len(reads) == 1
    assert reads[0].endswith("LIMIT 75")
    (update,) = [s for s in sql if s.startswith("UPDATE")]
    assert '"cases_case"."id" IN (' in update
    assert "status" not in update  # no scan of the waiting cases to find whom to mark
