"""Factories for the reports app: cases with a final plan issued on a chosen day of the clock."""

import datetime

from cases.exception_services import exception_agree, exception_propose
from cases.models import Case, CaseException, CaseStatus, Child, ExceptionGround
from cases.services import case_transition
from tests.cases.factories import TODAY, advice_chosen, caseworker, make_case, manager
from tests.plans.factories import prepare_step

D = datetime.date


def issued_case(*, final_issued_on, day, exception=None, actor=None):
    """A case whose final plan went out on `final_issued_on`, day `day` of its clock (received
    `day` days earlier). `exception`: None, "agreed" or "proposed" (never agreed)."""
    actor = actor or caseworker()
    received_on = final_issued_on - datetime.timedelta(days=day)
    case = make_case(actor=actor, received_on=received_on, today=TODAY)
    draft_day = day - 15
    steps = [
        ("agree_to_assess", min(40, draft_day - 20)),
        ("agree_to_issue", draft_day - 10),
        ("issue_draft", draft_day),
        ("issue_final", day),
    ]
    for transition, on_day in steps:
        prepare_step(case, transition, actor)
        case = case_transition(
            actor=actor,
            case=case,
            transition=transition,
            effective_date=received_on + datetime.timedelta(days=on_day),
            today=TODAY,
            details=advice_chosen() if transition == "agree_to_assess" else None,
        )
    assert case.final_issued_on == final_issued_on
    if exception:
        proposed = exception_propose(
            actor=actor,
            case=case,
            ground=ExceptionGround.EXCEPTIONAL_PERSONAL_CIRCUMSTANCES,
            starts_on=received_on + datetime.timedelta(days=50),
            notes="Synthetic evidence.",
        )
        if exception == "agreed":
            exception_agree(actor=manager(), exception=proposed)
    return case


def bulk_issued_cases(count, *, year=2023, with_exception_every=3):
    """Many issued cases straight into the tables (no services), for query-count tests."""
    children = Child.objects.bulk_create(
        Child(first_name=f"Bulk{i}", last_name="Example", date_of_birth=D(2015, 1, 1))
        for i in range(count)
    )
    cases = []
    for i, child in enumerate(children):
        final = D(year, 1 + i % 12, 1 + i % 28)
        received = final - datetime.timedelta(days=130 + i % 20)
        cases.append(
            Case(
                reference=f"BULK-{year}-{i:05d}",
                child=child,
                received_on=received,
                request_source=1,
                primary_need="ASD",
                status=CaseStatus.FINAL_ISSUED,
                status_changed_on=final,
                decision_to_assess_due=received + datetime.timedelta(days=42),
                statutory_panel_decision_due=received + datetime.timedelta(days=112),
                draft_plan_due=received + datetime.timedelta(days=125),
                final_plan_due=received + datetime.timedelta(days=140),
                final_issued_on=final,
            )
        )
    cases = Case.objects.bulk_create(cases)
    boss = manager()
    CaseException.objects.bulk_create(
        CaseException(
            case=case,
            ground=ExceptionGround.ABSENT_FROM_AREA,
            starts_on=case.received_on,
            notes="Synthetic.",
            proposed_by=boss,
            agreed_by=boss if i % 2 else None,
            agreed_at=datetime.datetime(year, 1, 1, tzinfo=datetime.UTC) if i % 2 else None,
        )
        for i, case in enumerate(cases[::with_exception_every])
    )
    return cases


def bulk_open_cases(count, *, today, caseworkers=()):
    """Many open cases awaiting the decision to assess, straight into the tables, spread over
    the last 400 days (on track, at risk and overdue) and over `caseworkers` (and none)."""
    children = Child.objects.bulk_create(
        Child(first_name=f"Open{i}", last_name="Example", date_of_birth=D(2016, 1, 1))
        for i in range(count)
    )
    people = [*caseworkers, None]
    cases = []
    for i, child in enumerate(children):
        received = today - datetime.timedelta(days=i % 400)
        cases.append(
            Case(
                reference=f"OPEN-{i:05d}",
                child=child,
                received_on=received,
                request_source=1,
                primary_need="SLCN",
                caseworker=people[i % len(people)],
                status=CaseStatus.RECEIVED,
                status_changed_on=received,
                decision_to_assess_due=received + datetime.timedelta(days=42),
                statutory_panel_decision_due=received + datetime.timedelta(days=112),
                draft_plan_due=received + datetime.timedelta(days=125),
                final_plan_due=received + datetime.timedelta(days=140),
                next_milestone="decision_to_assess",
                next_milestone_due=received + datetime.timedelta(days=42),
            )
        )
    return Case.objects.bulk_create(cases)
