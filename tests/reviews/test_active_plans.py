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


def _tracker_file(tmp_path):
    from tests.reports.test_import_cases import VALID_ROWS, tracker_csv  # noqa: PLC0415

    return tracker_csv(tmp_path, [VALID_ROWS[0], VALID_ROWS[1]])


def test_a_case_imported_with_its_final_plan_becomes_an_active_plan_once(tmp_path):
    import io  # noqa: PLC0415

    from django.core.management import call_command  # noqa: PLC0415

    from reports.services import import_actor  # noqa: PLC0415
    from reviews.services import active_plans_from_issued_cases  # noqa: PLC0415

    call_command("import_cases", str(_tracker_file(tmp_path)), stdout=io.StringIO())
    plan = ActivePlan.objects.select_related("case").get()
    assert plan.case.reference == "LB/2023/0001"
    assert plan.imported
    assert plan.start_date == plan.case.final_issued_on
    assert plan.reference == plan.case.reference
    # Safe to run again (the command a council runs for cases imported before this).
    actor = import_actor()
    assert active_plans_from_issued_cases(actor=actor, today=plan.start_date) == 0
    out = io.StringIO()
    call_command("active_plans_from_cases", stdout=out)
    assert "Made 0 active plans" in out.getvalue()
    assert ActivePlan.objects.count() == 1


def test_a_child_with_an_active_plan_keeps_it_when_a_case_is_issued_for_them():
    from reports.services import import_actor  # noqa: PLC0415
    from reviews.services import active_plans_from_issued_cases  # noqa: PLC0415

    case = case_in_status("final_issued")
    ActivePlan.objects.filter(case=case).update(case=None)  # as if imported from the plans CSV
    assert active_plans_from_issued_cases(actor=import_actor(), today=case.final_issued_on) == 0
    assert ActivePlan.objects.filter(child=case.child).count() == 1


def test_an_issued_case_without_an_active_plan_gets_one():
    from reports.services import import_actor  # noqa: PLC0415
    from reviews.services import active_plans_from_issued_cases  # noqa: PLC0415

    case = case_in_status("final_issued")
    ActivePlan.objects.filter(case=case).delete()
    assert active_plans_from_issued_cases(actor=import_actor(), today=case.final_issued_on) == 1
    plan = ActivePlan.objects.get(case=case)
    assert plan.reference == case.reference
    assert not plan.imported
