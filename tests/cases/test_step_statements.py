"""What a draft revised and issued again costs in SQL statements (issue 20, benchmark 5: the
steps are CPU-bound, and each statement is Django's cost of building and sending it). Counted
exactly, so a hook that reads again what the step has read shows up here."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import (
    CaseRiskRecheck,
    ParentCarer,
    cases_flag_for_recheck,
    cases_flags_collected,
)
from cases.roles import user_roles
from cases.services import case_transition
from plans.letter_models import Letter
from plans.letters import letter_recipients
from plans.models import PlanVersion
from tests.cases.factories import case_in_status, draft_issued_to_parents_by_post

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)
REASON = "The family asked for changes (synthetic)."

#: revise_draft: the case locked and read, its UPDATE, its audit row, its recheck flag.
REVISE_STATEMENTS = 4
#: issue_draft: the case (with its child and caseworker) locked and read, the child's parents
#: with parental responsibility, the case's UPDATE and audit row; the plan locked with its last
#: version number, the plan's parts (outcomes, provision, needs and their links, section K), the
#: version, the accepted comments it changed, its audit row; the letter template, the decision
#: notice, the case's letter due date, the letters (one INSERT), their audit row; the family's
#: portal links; the case's recheck flag (once for the step).
ISSUE_STATEMENTS = 21


def _statements(run) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def _case():
    case = draft_issued_to_parents_by_post()
    assert not case.child.is_young_person(TODAY)
    user_roles(case.caseworker)  # read once per request (cached on the user), not per step
    return case


def _step(case, transition, **kwargs):
    return lambda: case_transition(
        actor=case.caseworker, case=case, transition=transition, today=TODAY, **kwargs
    )


def test_a_draft_revised_and_issued_again_costs_a_fixed_number_of_statements():
    case = _case()
    CaseRiskRecheck.objects.all().delete()
    revise = _statements(_step(case, "revise_draft", reason=REASON))
    issue = _statements(_step(case, "issue_draft"))

    assert len(revise) == REVISE_STATEMENTS, "\n".join(s[:90] for s in revise)
    assert len(issue) == ISSUE_STATEMENTS, "\n".join(s[:90] for s in issue)
    # The hooks take the child, the caseworker and the version number from the step's reads.
    assert not [sql for sql in issue if sql.startswith(('SELECT "cases_child"', 'SELECT "auth'))]
    assert not [sql for sql in issue if sql.startswith('SELECT "plans_planversion"')]
    # The parents are read once, for the letters and the family's message.
    assert len([sql for sql in issue if sql.startswith('SELECT "cases_parentcarer"')]) == 1
    # One recheck flag for the step, though its save and its decision notice both flag it.
    flags = [sql for sql in issue if sql.startswith('INSERT INTO "cases_caseriskrecheck"')]
    assert len(flags) == 1
    assert CaseRiskRecheck.objects.filter(case=case).exists()
    # The two letters in one INSERT, and the case no tribunal order reopened is left alone.
    assert len([sql for sql in issue if sql.startswith('INSERT INTO "plans_letter"')]) == 1
    assert Letter.objects.filter(case=case, notice__kind="issue_draft").count() == 3  # 1 + 2
    assert not [sql for sql in issue if "disputes_orderdeadline" in sql]
    assert PlanVersion.objects.filter(plan__case=case).count() == 2


def test_flags_collected_in_a_block_are_written_once_as_it_ends():
    first, second = case_in_status("received"), case_in_status("received")
    CaseRiskRecheck.objects.all().delete()
    with CaptureQueriesContext(connection) as captured, cases_flags_collected():
        cases_flag_for_recheck([first.pk])
        cases_flag_for_recheck([first.pk, second.pk])
        assert not CaseRiskRecheck.objects.exists()  # not yet
    assert len(captured.captured_queries) == 2  # the read above, then one upsert
    assert set(CaseRiskRecheck.objects.values_list("case_id", flat=True)) == {first.pk, second.pk}


def test_flags_collected_in_a_block_that_raises_are_not_written():
    """Its step is taken back: the flags would point at changes that were never made."""
    case = case_in_status("received")
    CaseRiskRecheck.objects.all().delete()

    def step_taken_back():
        with cases_flags_collected():
            cases_flag_for_recheck([case.pk])
            raise ValueError("taken back")

    with pytest.raises(ValueError, match="taken back"):
        step_taken_back()
    assert not CaseRiskRecheck.objects.exists()


def test_the_parents_read_for_a_steps_hooks_are_not_kept_on_the_case_it_returns():
    """A caller keeping the case may record a parent after the step: the next letters read them."""
    case = case_in_status("draft_issued")
    ParentCarer.objects.create(child=case.child, name="Sam Example", address="1 Synthetic Street")
    assert [recipient.name for recipient in letter_recipients(case, TODAY)] == ["Sam Example"]
