import datetime

import pytest

from audit.models import AuditEntry
from cases.models import Case
from panels import errors
from panels.agenda import agenda_build, agenda_item_add, agenda_item_remove, agenda_reorder
from panels.models import ItemSource, ItemStatus, PanelMeeting, PanelType
from panels.services import agenda_publish
from tests.cases.factories import ChildFactory, caseworker, make_case

from .factories import PanelFactory, meeting

pytestmark = pytest.mark.django_db
D = datetime.date
SCHOOL_AGE = D(2015, 6, 1)
UNDER_FIVE = D(2023, 6, 1)


def received_case(received_on, born=SCHOOL_AGE, **kwargs):
    return make_case(
        received_on=received_on,
        child=ChildFactory(date_of_birth=born),
        today=D(2026, 11, 30),
        **kwargs,
    )


def listed(m):
    return list(
        m.items.filter(status=ItemStatus.LISTED)
        .order_by("position")
        .values_list("case__reference", flat=True)
    )


@pytest.fixture
def nap():
    panel = PanelFactory(panel_type=PanelType.NAP, capacity=3)
    first = meeting(panel, D(2026, 12, 2))
    second = meeting(panel, D(2026, 12, 9))
    return panel, first, second


def test_orders_by_due_date_then_date_received(nap):
    panel, first, _ = nap
    late = received_case(D(2026, 11, 1))
    early = received_case(D(2026, 10, 20))
    same_day_b = received_case(D(2026, 10, 25))
    agenda_build(meeting=first)
    assert listed(first) == [early.reference, same_day_b.reference, late.reference]


def test_capacity_overflow_rolls_to_next_meeting_and_marks_at_risk(nap):
    panel, first, second = nap
    cases = [received_case(D(2026, 10, 1) + datetime.timedelta(days=n)) for n in range(5)]
    agenda_build(meeting=first)
    assert listed(first) == [c.reference for c in cases[:3]]
    assert listed(second) == [c.reference for c in cases[3:]]
    assert set(second.items.values_list("source", flat=True)) == {ItemSource.ROLLED_OVER}
    flagged = set(Case.objects.filter(rolled_off_agenda=True).values_list("pk", flat=True))
    assert flagged == {cases[3].pk, cases[4].pk}
    # On 10 October the decision (due 16 November) is outside the warning window: only the
    # roll-over makes the case at risk.
    risks = dict(Case.objects.with_risk(D(2026, 10, 10)).values_list("pk", "risk"))
    assert (risks[cases[4].pk], risks[cases[0].pk]) == ("at_risk", "on_track")
    payload = AuditEntry.objects.get(verb="panel.agenda_built").payload
    assert payload["rolled_over"] == [cases[3].pk, cases[4].pk]
    assert (payload["rolled_to"], payload["marked_at_risk"]) == (second.pk, 2)


def test_cases_beyond_both_agendas_are_marked_and_lead_the_next_build(nap):
    panel, first, second = nap
    cases = [received_case(D(2026, 10, 1) + datetime.timedelta(days=n)) for n in range(8)]
    agenda_build(meeting=first)
    assert listed(second) == [c.reference for c in cases[3:6]]
    flagged = set(Case.objects.filter(rolled_off_agenda=True).values_list("pk", flat=True))
    assert flagged == {c.pk for c in cases[3:]}
    third = meeting(panel, D(2026, 12, 16))
    agenda_build(meeting=third)
    assert listed(third) == [c.reference for c in cases[6:]]


def test_a_case_deeper_than_the_build_reads_is_marked_by_a_later_build_before_it_is_listed(nap):
    # Decision 0165: a build reads its room, the next agenda's and one meeting beyond both.
    panel, first, second = nap
    cases = [received_case(D(2026, 10, 1) + datetime.timedelta(days=n)) for n in range(11)]
    agenda_build(meeting=first)
    flagged = set(Case.objects.filter(rolled_off_agenda=True).values_list("pk", flat=True))
    assert flagged == {c.pk for c in cases[3:9]}  # 9 and 10 were not read
    third = meeting(panel, D(2026, 12, 16))
    agenda_build(meeting=third)
    assert listed(third) == [c.reference for c in cases[6:9]]
    flagged = set(Case.objects.filter(rolled_off_agenda=True).values_list("pk", flat=True))
    assert flagged == {c.pk for c in cases[3:]}
    fourth = meeting(panel, D(2026, 12, 23))
    agenda_build(meeting=fourth)
    assert listed(fourth) == [c.reference for c in cases[9:]]


def test_a_rebuild_over_a_backlog_with_full_agendas_writes_nothing(nap):
    panel, first, second = nap
    for n in range(8):
        received_case(D(2026, 10, 1) + datetime.timedelta(days=n))
    agenda_build(meeting=first)
    built_at = PanelMeeting.objects.get(pk=first.pk).agenda_built_at
    agenda_build(meeting=first)
    assert PanelMeeting.objects.get(pk=first.pk).agenda_built_at == built_at
    assert AuditEntry.objects.filter(verb="panel.agenda_built").count() == 1
    # A newly arrived case beyond capacity is a change: it is marked, and the build audited.
    late = received_case(D(2026, 11, 20))
    agenda_build(meeting=first)
    assert Case.objects.get(pk=late.pk).rolled_off_agenda
    entry = AuditEntry.objects.filter(verb="panel.agenda_built").latest("pk")
    assert (entry.payload["added"], entry.payload["marked_at_risk"]) == ([], 1)


def test_a_build_that_fits_everything_marks_nobody(nap):
    panel, first, second = nap
    cases = [received_case(D(2026, 10, 1) + datetime.timedelta(days=n)) for n in range(3)]
    agenda_build(meeting=first)
    assert listed(first) == [c.reference for c in cases]
    assert not Case.objects.filter(rolled_off_agenda=True).exists()


def test_a_case_the_chair_took_off_the_next_agenda_is_not_rolled_back_onto_it(nap):
    panel, first, second = nap
    cases = [received_case(D(2026, 10, 1) + datetime.timedelta(days=n)) for n in range(5)]
    agenda_build(meeting=first)
    taken_off = second.items.get(case=cases[3])
    agenda_item_remove(actor=panel.chair, item=taken_off, reason="Family asked to wait.")
    agenda_build(meeting=first)  # the case is a candidate again, and still beyond capacity
    assert listed(first) == [c.reference for c in cases[:3]]
    assert listed(second) == [cases[4].reference]
    assert second.items.get(case=cases[3]).status == ItemStatus.REMOVED


def test_early_years_cases_go_to_the_early_years_panel(nap):
    panel, first, _ = nap
    ey_panel = PanelFactory(panel_type=PanelType.EY_NAP)
    ey_meeting = meeting(ey_panel, D(2026, 12, 3))
    school = received_case(D(2026, 11, 2))
    toddler = received_case(D(2026, 11, 2), born=UNDER_FIVE)
    agenda_build(meeting=first)
    agenda_build(meeting=ey_meeting)
    assert listed(first) == [school.reference]
    assert listed(ey_meeting) == [toddler.reference]


def test_evidence_deadline_holds_a_case_back_until_it_passes(nap):
    panel, first, second = nap
    waiting = received_case(D(2026, 11, 2), evidence_deadline=D(2026, 12, 5))
    agenda_build(meeting=first)
    assert listed(first) == []
    agenda_build(meeting=second)
    assert listed(second) == [waiting.reference]


def test_a_case_never_sits_on_two_open_agendas(nap):
    panel, first, second = nap
    case = received_case(D(2026, 11, 2))
    agenda_build(meeting=first)
    agenda_build(meeting=second)
    assert listed(first) == [case.reference]
    assert listed(second) == []
    with pytest.raises(errors.PanelConflictError, match="already on the agenda"):
        agenda_item_add(actor=panel.chair, meeting=second, case=case)


def test_building_twice_gives_the_same_agenda_and_keeps_the_chairs_changes(nap):
    panel, first, second = nap
    a, b, c = (received_case(D(2026, 10, 1) + datetime.timedelta(days=n)) for n in range(3))
    agenda_build(meeting=first)
    items = {i.case_id: i for i in first.items.all()}
    agenda_item_remove(actor=panel.chair, item=items[b.pk], reason="Family asked to wait.")
    agenda_reorder(actor=panel.chair, meeting=first, item_ids=[items[c.pk].pk, items[a.pk].pk])
    d = received_case(D(2026, 11, 5))
    agenda_build(meeting=first)
    agenda_build(meeting=first)
    assert listed(first) == [c.reference, a.reference, d.reference]
    assert first.items.get(case=b).status == ItemStatus.REMOVED


def test_published_agenda_is_frozen(nap):
    panel, first, _ = nap
    received_case(D(2026, 11, 2))
    agenda_build(meeting=first)
    agenda_publish(actor=panel.chair, meeting=first)
    late = received_case(D(2026, 11, 3))
    with pytest.raises(errors.PanelConflictError, match="published"):
        agenda_build(meeting=first)
    with pytest.raises(errors.PanelConflictError):
        agenda_item_add(actor=panel.chair, meeting=first, case=late)


def test_only_the_chair_or_a_manager_edits(nap):
    panel, first, _ = nap
    case = received_case(D(2026, 11, 2))
    with pytest.raises(errors.PanelForbiddenError):
        agenda_item_add(actor=caseworker(), meeting=first, case=case)
    with pytest.raises(errors.PanelForbiddenError):
        agenda_publish(actor=caseworker(), meeting=first)


def test_chair_cannot_add_a_case_at_the_wrong_stage_or_age(nap):
    panel, first, _ = nap
    toddler = received_case(D(2026, 11, 2), born=UNDER_FIVE)
    with pytest.raises(errors.PanelConflictError, match="cannot go to"):
        agenda_item_add(actor=panel.chair, meeting=first, case=toddler)


def test_build_is_audited(nap):
    panel, first, _ = nap
    received_case(D(2026, 11, 2))
    agenda_build(meeting=first, actor=panel.chair)
    entry = AuditEntry.objects.get(verb="panel.agenda_built")
    assert entry.actor == panel.chair
    assert len(entry.payload["added"]) == 1


def test_build_uses_a_fixed_number_of_queries(nap, django_assert_max_num_queries):
    panel, first, _ = nap
    for n in range(4):  # one more than capacity, so both builds roll a case over
        received_case(D(2026, 10, 1) + datetime.timedelta(days=n))
    with django_assert_max_num_queries(20) as few:
        agenda_build(meeting=first)
    few_count = len(few.captured_queries)
    panel2 = PanelFactory(panel_type=PanelType.NAP, capacity=30)
    m2 = meeting(panel2, D(2026, 12, 16))
    meeting(panel2, D(2026, 12, 23))
    for n in range(40):
        received_case(D(2026, 9, 1) + datetime.timedelta(days=n))
    with django_assert_max_num_queries(few_count):
        agenda_build(meeting=m2)
    assert len(listed(m2)) == 30
