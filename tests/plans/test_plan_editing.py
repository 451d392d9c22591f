"""Writing the plan: structured provision, statements citing the case's advice, section K."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.services import case_transition
from plans import errors, services
from plans.models import Provision
from plans.render import plan_snapshot
from tests.advice_requests.factories import advice_in_status
from tests.cases.factories import case_in_status, caseworker

pytestmark = pytest.mark.django_db


def test_a_frequency_without_its_unit_is_refused_and_nothing_saved():
    actor = caseworker()
    plan = services.plan_start(actor=actor, case=case_in_status("drafting", actor=actor))
    with pytest.raises(ValidationError) as excinfo:
        services.provision_save(actor=actor, plan=plan, what="Therapy", frequency=2)
    assert excinfo.value.message_dict == {"frequency_unit": [errors.FREQUENCY_NEEDS_UNIT]}
    assert not Provision.objects.exists()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Provision.objects.create(plan=plan, what="Therapy", frequency=2)


def test_statements_cite_only_this_cases_advice_and_k_lists_it():
    advice = advice_in_status("submitted")
    case = advice.case
    submission = advice.submissions.get()
    actor = caseworker()
    case = case_transition(
        actor=actor,
        case=case,
        transition="agree_to_issue",
        effective_date=advice.submitted_on,
        today=advice.submitted_on,
    )
    plan = services.plan_start(actor=actor, case=case)
    listed = list(plan.advice_listed.all())
    assert [(row.description, row.dated, row.submission_id) for row in listed] == [
        (advice.get_kind_display(), submission.submitted_on, submission.pk)
    ]
    need = services.need_save(
        actor=actor, plan=plan, area="cognition", text="Reading.", source=submission.pk
    )
    assert need.source == submission
    other = advice_in_status("submitted").submissions.get()
    with pytest.raises(ValidationError) as excinfo:
        services.need_save(
            actor=actor, plan=plan, area="cognition", text="Reading.", source=other.pk
        )
    assert excinfo.value.message_dict == {"source": [errors.SOURCE_NOT_THIS_CASE]}
    services.outcome_save(
        actor=actor, plan=plan, text="By July, reads aloud.", source=submission.pk
    )
    services.provision_save(actor=actor, plan=plan, what="Reading group", source=submission.pk)
    snapshot = plan_snapshot(plan, kind="draft", number=1, issued_on=None)
    cited = (
        f"{advice.get_kind_display()}, {advice.service.name}, {submission.submitted_on:%-d %B %Y}"
    )
    need_row = next(row for area in snapshot["sections"]["B"] for row in area["needs"])
    assert need_row["source"] == cited
    assert snapshot["sections"]["E"][0]["source"] == cited
    assert snapshot["sections"]["F"][0]["source"] == cited


def test_a_plan_cannot_be_changed_once_final():
    actor = caseworker()
    case = case_in_status("final_issued", actor=actor)
    plan = case.plan
    with pytest.raises(ValidationError) as excinfo:
        services.plan_update(actor=actor, plan=plan, data={"child_views": "Rewritten."})
    assert excinfo.value.message_dict == {"plan": [errors.PLAN_NOT_EDITABLE]}
