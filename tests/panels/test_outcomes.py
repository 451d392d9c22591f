import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from cases.errors import TransitionNotAllowedError
from cases.models import Case
from cases.services import case_transition
from panels import errors
from panels.agenda import agenda_build
from panels.models import Agency, ItemStatus, MeetingStatus, Outcome, PanelType
from panels.services import agenda_item_record_outcome, agenda_publish, attendance_record
from tests.cases.factories import (
    ChildFactory,
    advice_chosen,
    case_in_status,
    caseworker,
    make_case,
)

from .factories import PanelFactory, decline_reason, meeting, quorate_statutory_panel

pytestmark = pytest.mark.django_db
D = datetime.date
MEETING_DAY = D(2026, 12, 2)
AFTER = D(2026, 12, 3)


@pytest.fixture
def nap_item():
    panel = PanelFactory(panel_type=PanelType.NAP)
    first = meeting(panel, MEETING_DAY)
    meeting(panel, D(2026, 12, 9))
    case = make_case(
        received_on=D(2026, 11, 2), child=ChildFactory(date_of_birth=D(2015, 1, 1)), today=AFTER
    )
    agenda_build(meeting=first)
    agenda_publish(actor=panel.chair, meeting=first)
    return panel, first, first.items.get(case=case)


def record(item, actor, outcome, reasons="Panel reasons (synthetic).", **kwargs):
    return agenda_item_record_outcome(
        actor=actor, item=item, outcome=outcome, reasons=reasons, today=AFTER, **kwargs
    )


def test_agree_to_assess_creates_the_advice_chosen_at_panel(nap_item):
    panel, _, item = nap_item
    record(item, panel.chair, Outcome.AGREE_TO_ASSESS, details=advice_chosen())
    case = Case.objects.get(pk=item.case_id)
    assert (case.status, case.assessment_decided_on) == ("assessing", MEETING_DAY)
    assert sorted(case.advice_requests.values_list("kind", flat=True)) == [
        "educational_psychology",
        "parent_views",
    ]


def test_agree_to_assess_without_ep_advice_leaves_the_item_undecided(nap_item):
    panel, _, item = nap_item
    with pytest.raises(ValidationError):
        record(item, panel.chair, Outcome.AGREE_TO_ASSESS, details={"advice": []})
    item.refresh_from_db()
    assert (item.status, item.outcome) == (ItemStatus.LISTED, "")
    assert Case.objects.get(pk=item.case_id).status == "received"
    assert not AuditEntry.objects.filter(verb="panel.outcome_recorded").exists()


def test_decline_moves_the_case_with_the_meeting_date_and_audits(nap_item):
    panel, first, item = nap_item
    reason = decline_reason()
    record(item, panel.chair, Outcome.DECLINE_TO_ASSESS, decline_reason=reason)
    case = Case.objects.get(pk=item.case_id)
    assert case.status == "assessment_declined"
    assert case.assessment_decided_on == MEETING_DAY
    transition = AuditEntry.objects.get(case=case, verb="case.decline_to_assess")
    assert transition.effective_date == MEETING_DAY
    assert transition.reason.startswith("Needs can be met through SEN support")
    assert AuditEntry.objects.filter(case=case, verb="panel.outcome_recorded").count() == 1
    item.refresh_from_db()
    assert (item.status, item.outcome) == (ItemStatus.DECIDED, Outcome.DECLINE_TO_ASSESS)
    first.refresh_from_db()
    assert first.status == MeetingStatus.CLOSED  # the last item was decided


def test_outcome_without_reasons_is_refused(nap_item):
    panel, _, item = nap_item
    with pytest.raises(ValidationError) as excinfo:
        record(
            item,
            panel.chair,
            Outcome.DECLINE_TO_ASSESS,
            reasons="  ",
            decline_reason=decline_reason(),
        )
    assert excinfo.value.message_dict == {"reasons": [errors.REASONS_REQUIRED]}
    item.refresh_from_db()
    assert (item.status, item.outcome) == (ItemStatus.LISTED, "")
    assert Case.objects.get(pk=item.case_id).status == "received"


def test_decline_needs_a_reason_from_the_councils_list(nap_item):
    panel, _, item = nap_item
    with pytest.raises(ValidationError) as excinfo:
        record(item, panel.chair, Outcome.DECLINE_TO_ASSESS)
    assert "decline_reason" in excinfo.value.message_dict


def test_deferral_keeps_the_case_and_lists_it_at_the_next_meeting(nap_item):
    panel, first, item = nap_item
    record(item, panel.chair, Outcome.DEFER, reasons="Waiting for the school's evidence.")
    case = Case.objects.get(pk=item.case_id)
    assert case.status == "received"
    next_item = case.agenda_items.exclude(pk=item.pk).get()
    assert (next_item.meeting.date, next_item.source, next_item.status) == (
        D(2026, 12, 9),
        "deferred",
        ItemStatus.LISTED,
    )


def test_statutory_outcome_for_a_nap_is_refused(nap_item):
    panel, _, item = nap_item
    with pytest.raises(ValidationError) as excinfo:
        record(item, panel.chair, Outcome.AGREE_TO_ISSUE)
    assert "outcome" in excinfo.value.message_dict


def test_decisions_wait_for_publication_and_the_meeting_day():
    panel = PanelFactory(panel_type=PanelType.NAP)
    first = meeting(panel, MEETING_DAY)
    make_case(
        received_on=D(2026, 11, 2), child=ChildFactory(date_of_birth=D(2015, 1, 1)), today=AFTER
    )
    agenda_build(meeting=first)
    item = first.items.get()
    with pytest.raises(errors.PanelConflictError, match="Publish"):
        record(item, panel.chair, Outcome.DEFER)
    agenda_publish(actor=panel.chair, meeting=first)
    with pytest.raises(ValidationError):
        agenda_item_record_outcome(
            actor=panel.chair, item=item, outcome=Outcome.DEFER, reasons="x", today=D(2026, 12, 1)
        )


def test_a_failing_case_transition_leaves_the_item_undecided(nap_item):
    panel, _, item = nap_item
    case = Case.objects.get(pk=item.case_id)
    # A caseworker withdraws the request before the panel records its decision.
    case_transition(
        actor=caseworker(),
        case=case,
        transition="withdraw",
        reason="Family moved.",
        today=AFTER,
        effective_date=D(2026, 11, 20),
    )
    with pytest.raises(TransitionNotAllowedError):
        record(item, panel.chair, Outcome.DECLINE_TO_ASSESS, decline_reason=decline_reason())
    item.refresh_from_db()
    assert (item.status, item.outcome, item.decided_by) == (ItemStatus.LISTED, "", None)


class TestStatutoryQuorum:
    @pytest.fixture
    def statutory(self):
        panel, members = quorate_statutory_panel()
        first = meeting(panel, MEETING_DAY)
        meeting(panel, D(2026, 12, 9))
        # Statutory decision due 30 November: listed (advice incomplete) before the next meeting.
        case = case_in_status("assessing", received_on=D(2026, 8, 10), today=AFTER)
        agenda_build(meeting=first)
        agenda_publish(actor=panel.chair, meeting=first)
        return panel, members, first, first.items.get(case=case)

    def test_without_quorum_decisions_are_refused(self, statutory):
        panel, members, first, item = statutory
        attendance_record(
            actor=panel.chair,
            meeting=first,
            present_user_ids=[members[Agency.EDUCATION].pk, members[Agency.HEALTH].pk],
        )
        with pytest.raises(errors.PanelConflictError, match="social care must be present"):
            record(item, panel.chair, Outcome.AGREE_TO_ISSUE)
        assert Case.objects.get(pk=item.case_id).status == "assessing"

    def test_with_quorum_agree_to_issue_moves_the_case(self, statutory):
        panel, members, first, item = statutory
        attendance_record(
            actor=panel.chair, meeting=first, present_user_ids=[m.pk for m in members.values()]
        )
        record(item, panel.chair, Outcome.AGREE_TO_ISSUE)
        case = Case.objects.get(pk=item.case_id)
        assert (case.status, case.plan_decided_on) == ("drafting", MEETING_DAY)

    def test_attendance_only_for_members(self, statutory):
        panel, members, first, item = statutory
        with pytest.raises(ValidationError):
            attendance_record(actor=panel.chair, meeting=first, present_user_ids=[caseworker().pk])
