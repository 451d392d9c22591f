"""A frozen plan's "golden thread" (plans.render.plan_snapshot): each need lists its outcomes
and provision, each outcome and provision entry the needs it serves, in the plan's order of
each, read from the link tables alone (issue 20: no second read of the outcomes and provision
inside the step that freezes the plan)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import services
from plans.render import plan_snapshot
from tests.cases.factories import case_in_status, caseworker

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 30)


def _provision(actor, plan, what, section="F"):
    return services.provision_save(
        actor=actor,
        plan=plan,
        what=what,
        section=section,
        delivered_by="Teaching assistant",
        frequency=1,
        frequency_unit="week",
        session_minutes=30,
        group_size=1,
    )


def test_each_need_lists_its_outcomes_and_provision_in_the_plans_order_and_back():
    actor = caseworker()
    plan = services.plan_start(actor=actor, case=case_in_status("drafting", actor=actor))
    first = services.outcome_save(actor=actor, plan=plan, text="Asks for help in class.")
    second = services.outcome_save(actor=actor, plan=plan, text="Reads at book band 6.")
    physio = _provision(actor, plan, "Physiotherapy programme", section="G")
    phonics = _provision(actor, plan, "Structured phonics programme")
    talk = _provision(actor, plan, "Speech and language therapy")
    # Linked out of the plan's order: the snapshot lists them in it.
    services.need_save(
        actor=actor,
        plan=plan,
        area="cognition",
        text="Reads two years below the level expected.",
        outcomes=[second.pk, first.pk],
        provision=[physio.pk, talk.pk, phonics.pk],
    )
    services.need_save(
        actor=actor,
        plan=plan,
        area="communication",
        text="Finds it hard to put words into sentences.",
        outcomes=[first.pk],
        provision=[talk.pk],
    )
    sections = plan_snapshot(plan, kind="draft", number=1, issued_on=DAY)["sections"]
    needs = {area["area"]: area["needs"] for area in sections["B"]}
    # B1 is cognition, B2 communication (areas by name, as the plan orders its needs).
    assert needs["communication"] == [
        {
            "label": "B2",
            "text": "Finds it hard to put words into sentences.",
            "source": "",
            "outcomes": ["E1"],
            "provision": ["F2"],
        }
    ]
    assert needs["cognition"][0]["outcomes"] == ["E1", "E2"]
    assert needs["cognition"][0]["provision"] == ["F1", "F2", "G1"]
    assert [row["needs"] for row in sections["E"]] == [["B1", "B2"], ["B1"]]
    assert [(row["label"], row["needs"]) for row in sections["F"]] == [
        ("F1", ["B1"]),
        ("F2", ["B1", "B2"]),
    ]
    assert [(row["label"], row["needs"]) for row in sections["G"]] == [("G1", ["B1"])]


def test_a_plan_with_no_needs_reads_no_links():
    actor = caseworker()
    plan = services.plan_start(actor=actor, case=case_in_status("drafting", actor=actor))
    with CaptureQueriesContext(connection) as captured:
        plan_snapshot(plan, kind="draft", number=1, issued_on=DAY)
    assert not [q for q in captured.captured_queries if "plans_need_" in q["sql"]]
