"""Plans, reviews and outcome progress join the subject access export and the retention
erasure (they point at the child, so both find them by foreign key)."""

import datetime
import json

import pytest

from audit.models import AuditEntry
from cases.models import Child
from reviews.models import ActivePlan, Review, ReviewOutcomeProgress
from security.retention import retention_apply
from security.subject_access import export_child_record
from tests.cases.factories import ChildFactory

from .factories import make_plan, review_in_status

pytestmark = pytest.mark.django_db
D = datetime.date
RUN_ON = D(2031, 6, 16)
DELETE_ON = RUN_ON + datetime.timedelta(days=30)


def _child_with_a_reviewed_plan(born):
    child = ChildFactory()
    plan = make_plan(child=child)
    review_in_status("ceased", plan=plan)
    Child.objects.filter(pk=child.pk).update(date_of_birth=born)
    return Child.objects.get(pk=child.pk)


def test_subject_access_export_has_plans_reviews_and_outcomes(tmp_path):
    child = _child_with_a_reviewed_plan(D(2015, 1, 1))
    other = _child_with_a_reviewed_plan(D(2015, 1, 1))
    counts = export_child_record(child=child, output=tmp_path)
    assert counts["reviews.activeplan"] == 1
    assert counts["reviews.review"] == 1
    assert counts["reviews.reviewoutcomeprogress"] == 2
    record = json.loads((tmp_path / "record.json").read_text())
    plan_ids = {row["pk"] for row in record["reviews.activeplan"]}
    assert plan_ids == set(ActivePlan.objects.filter(child=child).values_list("pk", flat=True))
    assert other.active_plans.get().pk not in plan_ids


def test_retention_erases_plans_reviews_outcomes_and_their_audit(
    django_capture_on_commit_callbacks,
):
    past = _child_with_a_reviewed_plan(D(2000, 6, 15))
    kept = _child_with_a_reviewed_plan(D(2000, 6, 16))
    plan = past.active_plans.get()
    review = plan.reviews.get()
    retention_apply(today=RUN_ON)
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(today=DELETE_ON)
    assert not ActivePlan.objects.filter(pk=plan.pk).exists()
    assert not Review.objects.filter(pk=review.pk).exists()
    assert not ReviewOutcomeProgress.objects.filter(review_id=review.pk).exists()
    assert not AuditEntry.objects.filter(
        target_type="reviews.review", target_id=str(review.pk)
    ).exists()
    assert ActivePlan.objects.filter(child=kept).exists()
