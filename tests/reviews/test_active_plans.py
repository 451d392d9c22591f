"""A final plan issued here becomes an active plan (section 13)."""

import pytest
from django.urls import reverse

from reviews.models import ActivePlan
from tests.cases.factories import case_in_status

pytestmark = pytest.mark.django_db


def test_issuing_the_final_plan_makes_an_active_plan():
    case = case_in_status("final_issued")
    plan = ActivePlan.objects.get(case=case)
    assert plan.reference == case.reference
    assert plan.child_id == case.child_id
    assert plan.start_date == case.final_issued_on
    assert plan.primary_need == case.primary_need
    assert plan.caseworker_id == case.caseworker_id
    assert plan.review_due.year == case.final_issued_on.year + 1


def test_other_steps_make_no_active_plan():
    case_in_status("draft_issued")
    assert not ActivePlan.objects.exists()


def test_case_page_links_to_the_active_plan(client):
    case = case_in_status("final_issued")
    client.force_login(case.caseworker)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    plan = ActivePlan.objects.get(case=case)
    assert f'href="/reviews/plans/{plan.pk}/"' in page
