"""The quality check (section 12): each finding from a hand-built plan, none from a good one."""

import pytest

from plans import quality, services
from tests.cases.factories import ChildFactory, case_in_status, caseworker

from .factories import write_plan

pytestmark = pytest.mark.django_db


def _codes(plan, draft=True):
    return sorted({finding.code for finding in quality.quality_check(plan, draft=draft)})


def test_a_good_plan_has_no_findings():
    actor = caseworker()
    case = case_in_status("drafting", actor=actor)
    plan = write_plan(case, actor, setting_name="Willowbrook Primary (synthetic)")
    assert quality.quality_check(plan) == []
    assert quality.has_child_voice(plan)


def test_each_finding_from_a_hand_built_plan():
    ChildFactory(first_name="Zebedee", last_name="Other")
    actor = caseworker()
    case = case_in_status("drafting", actor=actor)
    plan = services.plan_start(actor=actor, case=case)
    lonely_outcome = services.outcome_save(actor=actor, plan=plan, text="Will make friends.")
    services.need_save(actor=actor, plan=plan, area="semh", text="Anxious at playtimes.")
    services.provision_save(
        actor=actor, plan=plan, what="Regular access to a quiet space as appropriate"
    )
    plan = services.plan_update(
        actor=actor,
        plan=plan,
        data={"family_views": "Zebedee Other's mum says he should go to Hillside Academy."},
    )
    findings = quality.quality_check(plan)
    assert _codes(plan) == sorted(
        [
            quality.NO_CHILD_VIEWS,
            quality.NEED_WITHOUT_PROVISION,
            quality.OUTCOME_WITHOUT_NEED,
            quality.PROVISION_WITHOUT_NEED,
            quality.PROVISION_NOT_QUANTIFIED,
            quality.PROVISION_VAGUE,
            quality.OTHER_CHILD_NAMED,
            quality.SCHOOL_IN_DRAFT,
        ]
    )
    vague = next(f for f in findings if f.code == quality.PROVISION_VAGUE)
    assert "access to" in vague.message
    assert "regular" in vague.message
    assert "as appropriate" in vague.message
    other = next(f for f in findings if f.code == quality.OTHER_CHILD_NAMED)
    assert "Zebedee Other" in other.message
    assert lonely_outcome.text in next(
        f.message for f in findings if f.code == quality.OUTCOME_WITHOUT_NEED
    )
    # The final plan names its school: no finding then.
    assert quality.SCHOOL_IN_DRAFT not in _codes(plan, draft=False)


@pytest.mark.parametrize("phrase", quality.VAGUE_PHRASES)
def test_every_vague_phrase_is_found(phrase):
    actor = caseworker()
    plan = write_plan(case_in_status("drafting", actor=actor), actor)
    services.provision_save(
        actor=actor,
        plan=plan,
        what=f"Support with {phrase} reading",
        frequency=1,
        frequency_unit="week",
        session_minutes=20,
    )
    assert quality.PROVISION_VAGUE in _codes(plan)
