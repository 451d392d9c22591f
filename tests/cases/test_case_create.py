import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from audit.selectors import case_history
from cases import errors
from cases.models import Case, PrimaryNeed
from cases.roles import Role
from cases.services import case_assign, case_create, case_update

from .factories import TODAY, ChildFactory, UserFactory, caseworker, make_case

pytestmark = pytest.mark.django_db


def test_create_stores_every_due_date_and_the_next_milestone():
    case = make_case(received_on=datetime.date(2024, 2, 20), today=TODAY)
    case.refresh_from_db()
    assert case.status == "received"
    assert case.decision_to_assess_due == datetime.date(2024, 4, 2)
    assert case.statutory_panel_decision_due == datetime.date(2024, 6, 11)
    assert case.draft_plan_due == datetime.date(2024, 6, 24)
    assert case.final_plan_due == datetime.date(2024, 7, 9)
    assert case.next_milestone == "decision_to_assess"
    assert case.next_milestone_due == datetime.date(2024, 4, 2)
    assert case.status_changed_on == datetime.date(2024, 2, 20)


def test_references_are_per_year_and_unique():
    first = make_case(received_on=datetime.date(2026, 1, 5))
    second = make_case(received_on=datetime.date(2026, 2, 5))
    older = make_case(received_on=datetime.date(2025, 12, 30))
    assert first.reference == "EHC-2026-00001"
    assert second.reference == "EHC-2026-00002"
    assert older.reference == "EHC-2025-00001"


def test_create_writes_one_audit_row():
    actor = caseworker()
    case = make_case(actor=actor)
    (entry,) = case_history(case=case)
    assert (entry.verb, entry.actor, entry.to_state) == ("case.created", actor, "received")
    assert entry.effective_date == case.received_on


def test_received_in_the_future_is_refused_and_nothing_saved():
    with pytest.raises(ValidationError) as excinfo:
        make_case(received_on=TODAY + datetime.timedelta(days=1))
    assert excinfo.value.message_dict == {"received_on": [errors.RECEIVED_IN_FUTURE]}
    assert Case.objects.count() == 0
    assert not AuditEntry.objects.filter(verb="case.created").exists()


def test_invalid_primary_need_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        make_case(primary_need="NSA")
    assert "primary_need" in excinfo.value.message_dict
    assert Case.objects.count() == 0


def test_assign_to_a_caseworker_is_audited():
    manager = UserFactory(roles=[Role.MANAGER])
    case = make_case()
    other = caseworker(username="cw.other")
    case = case_assign(actor=manager, case=case, caseworker=other, reason="Caseload balance.")
    assert case.caseworker == other
    entry = case_history(case=case).last()
    assert entry.verb == "case.assigned"
    assert entry.payload["to"] == "cw.other"


def test_assign_to_someone_who_is_not_a_caseworker_is_refused():
    case = make_case()
    partner = UserFactory(roles=[Role.PARTNER])
    with pytest.raises(ValidationError):
        case_assign(actor=case.caseworker, case=case, caseworker=partner)
    assert Case.objects.get(pk=case.pk).caseworker == case.caseworker


def test_update_received_date_recomputes_the_clock_before_the_decision():
    case = make_case(received_on=datetime.date(2026, 1, 5))
    case = case_update(
        actor=case.caseworker,
        case=case,
        data={"received_on": datetime.date(2026, 1, 2)},
        reason="Date stamp misread.",
        today=TODAY,
    )
    assert case.decision_to_assess_due == datetime.date(2026, 2, 13)
    assert case.final_plan_due == datetime.date(2026, 5, 22)
    entry = case_history(case=case).last()
    assert entry.payload["changes"]["received_on"] == ["2026-01-05", "2026-01-02"]


def test_update_refuses_status_and_unknown_fields():
    case = make_case()
    with pytest.raises(ValidationError):
        case_update(actor=case.caseworker, case=case, data={"status": "final_issued"})
    case = case_update(actor=case.caseworker, case=case, data={"primary_need": PrimaryNeed.SEMH})
    assert case.primary_need == "SEMH"


def test_case_create_with_child():
    child = ChildFactory(first_name="Robin")
    case = case_create(
        actor=caseworker(),
        child=child,
        received_on=datetime.date(2026, 3, 1),
        request_source=2,
        primary_need="SLCN",
        today=TODAY,
    )
    assert case.child.first_name == "Robin"
