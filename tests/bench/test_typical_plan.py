"""Benchmark 5's plans say what a typical draft says (bench.suite._typical_contents): the
generated plans are empty, and an empty plan freezes in fewer statements than a real draft."""

import datetime

import pytest

from bench.suite import TYPICAL_ADVICE, _typical_contents
from plans.models import Need, Plan, Provision
from plans.render import plan_snapshot
from tests.cases.factories import case_in_status

pytestmark = pytest.mark.django_db


def _empty_plan():
    case = case_in_status("draft_issued")
    plan = Plan.objects.get(case=case)
    for part in (plan.needs, plan.outcomes, plan.provision, plan.advice_listed):
        part.all().delete()  # as the generated plans are
    return plan


def test_each_plan_gets_a_typical_drafts_sections_linked_need_by_need():
    plan = _empty_plan()
    _typical_contents(Plan.objects.filter(pk=plan.pk))
    assert plan.needs.count() == 8
    assert plan.outcomes.count() == 8
    assert list(plan.provision.values_list("section", flat=True).order_by("section")) == (
        ["F"] * 10 + ["G", "H1"]
    )
    assert plan.advice_listed.count() == TYPICAL_ADVICE
    # Every need works towards an outcome; every provision entry meets a need.
    assert all(need.outcomes.count() == 1 for need in Need.objects.filter(plan=plan))
    assert not Provision.objects.filter(plan=plan, needs__isnull=True).exists()
    snapshot = plan_snapshot(plan, kind="draft", number=1, issued_on=datetime.date(2026, 11, 30))
    sections = snapshot["sections"]
    assert sum(len(area["needs"]) for area in sections["B"]) == 8
    assert len(sections["F"]) == 10
    assert sections["A"]["child_views"]


def test_a_plan_that_has_its_sections_is_left_as_it_is():
    plan = _empty_plan()
    _typical_contents(Plan.objects.filter(pk=plan.pk))
    _typical_contents(Plan.objects.filter(pk=plan.pk, needs__isnull=True))
    assert plan.needs.count() == 8
