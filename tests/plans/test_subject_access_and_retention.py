"""Every table of the plans app holding a child's data is in the subject access export and is
erased with the child past retention (security.subject_access, security.child_erasure)."""

import datetime

import pytest

from cases.models import Child, ParentCarer
from cases.services import case_transition
from plans import models as plan_models
from plans import services
from security.child_erasure import erasure_plan
from security.retention import retention_apply
from tests.cases.factories import TODAY, case_in_status, caseworker

pytestmark = pytest.mark.django_db

PLAN_TABLES = {
    "plans.plan",
    "plans.need",
    "plans.outcome",
    "plans.provision",
    "plans.advicelisted",
    "plans.planversion",
    "plans.familycomment",
    "plans.consultation",
    "plans.decisionnotice",
    "plans.letter",
}


def test_plan_rows_are_exported_and_erased_with_the_child():
    actor = caseworker()
    case = case_in_status("draft_issued", actor=actor)
    ParentCarer.objects.create(child=case.child, name="Synthetic Parent")
    plan = case.plan
    services.advice_listed_save(actor=actor, plan=plan, description="School report")
    services.comment_record(
        actor=actor,
        plan=plan,
        section="A",
        text="More views.",
        source="meeting",
        received_on=case.draft_issued_on,
    )
    services.consultation_send(actor=actor, plan=plan, setting_name="Synthetic School")
    case_transition(
        actor=actor,
        case=case,
        transition="withdraw",
        reason="Moved away (synthetic).",
        effective_date=case.draft_issued_on,
        today=TODAY,
    )
    case_in_status("draft_issued", actor=actor)  # another child's plan, kept
    Child.objects.filter(pk=case.child_id).update(date_of_birth=datetime.date(1990, 1, 1))
    held = {model._meta.label_lower for model in erasure_plan(child=case.child).rows}
    assert held >= PLAN_TABLES

    run_on = datetime.date(2026, 12, 1)
    retention_apply(today=run_on)
    retention_apply(today=run_on + datetime.timedelta(days=30))
    assert not Child.objects.filter(pk=case.child_id).exists()
    assert not plan_models.Plan.objects.filter(case_id=case.pk).exists()
    assert not plan_models.PlanVersion.objects.filter(plan_id=plan.pk).exists()
    assert not plan_models.Letter.objects.filter(case_id=case.pk).exists()
    assert plan_models.Plan.objects.count() == 1  # the other child's
