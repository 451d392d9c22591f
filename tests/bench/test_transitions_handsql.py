"""Benchmark 5a/5b's hand SQL (bench.suite._hand_steps) writes the rows the app's two steps
write (revise_draft, then issue_draft and its hooks), and refuses a case in the wrong status."""

import datetime

import pytest
from django.forms.models import model_to_dict

from audit.models import AuditEntry
from bench.suite import (
    HAND_STEP_REFUSED,
    HAND_STEPS,
    _app_steps,
    _hand_prepared,
    _hand_step,
    _hand_steps,
)
from cases.models import Case, CaseRiskRecheck
from cases.services import case_transition
from disputes import services as disputes
from disputes.models import OrderDeadline
from notifications.models import Notification
from plans.letter_models import DecisionNotice, Letter
from plans.models import Consultation, FamilyComment, Plan, PlanVersion
from plans.render import plan_html, plan_snapshot
from tests.cases.factories import case_in_status, draft_issued_to_parents_by_post
from tests.disputes.factories import appealed
from tests.plans.factories import prepare_step

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TODAY = datetime.date(2026, 11, 30)


def _last_ids():
    return {
        model: (model.objects.order_by("-id").values_list("id", flat=True).first() or 0)
        for model in (PlanVersion, DecisionNotice, Letter, AuditEntry, Notification)
    }


def _written(case, before):
    """The rows written since `before`, without ids, timestamps and the version number (each
    run takes the next one); the version's number, snapshot and HTML are returned apart."""
    versions = list(PlanVersion.objects.filter(plan__case=case, id__gt=before[PlanVersion]))
    number = {version.number for version in versions}
    audit = []
    for entry in AuditEntry.objects.filter(case=case, id__gt=before[AuditEntry]).order_by("verb"):
        label, payload = entry.target_label, dict(entry.payload)
        if entry.verb == "plan.draft_issued":
            label = label.replace(f"version {payload['version']}", "version N")
            payload["version"] = "N"
        audit.append(
            (entry.actor_id, entry.actor_username, entry.verb, entry.target_type, label)
            + (entry.from_state, entry.to_state, entry.effective_date, entry.reason, payload)
        )
    rows = {
        "versions": [(v.kind, v.issued_on, v.issued_by_id, v.pdf, v.plan_id) for v in versions],
        "notices": list(
            DecisionNotice.objects.filter(case=case, id__gt=before[DecisionNotice]).values_list(
                "kind", "decided_on", "letter_due_on", "family_notified_on"
            )
        ),
        "letters": list(
            Letter.objects.filter(case=case, id__gt=before[Letter])
            .order_by("id")
            .values_list(
                "recipient_id",
                "to_young_person",
                "recipient_name",
                "recipient_address",
                "recipient_email",
                "preferred_method",
                "subject",
                "html",
                "pdf",
                "sent_on",
                "sent_method",
                "sent_by_id",
            )
        ),  # fmt: skip
        "letters_per_notice": sorted(
            DecisionNotice.objects.filter(case=case, id__gt=before[DecisionNotice]).values_list(
                "letters__recipient_name", flat=True
            )
        ),
        "audit": audit,
        "notifications": Notification.objects.filter(id__gt=before[Notification]).count(),
    }
    case_row = model_to_dict(Case.objects.get(pk=case.pk))
    return rows, case_row, versions, number


def _unflag(case, letter_due=None) -> dict:
    """The sweep took the case's recheck flag (the test's transaction fixes now(): the flag's
    time cannot tell the runs apart), and the case's stored letter due date is `letter_due`
    (None: no letter owed), so each run's new notice must set it."""
    CaseRiskRecheck.objects.filter(case=case).delete()
    DecisionNotice.objects.filter(case=case, family_notified_on__isnull=True).update(
        family_notified_on=TODAY
    )
    Case.objects.filter(pk=case.pk).update(decision_letter_due=letter_due)
    return _last_ids()


def _accepted_comment(case) -> FamilyComment:
    """An accepted comment on the first draft, not yet changed in a version."""
    first = PlanVersion.objects.filter(plan__case=case).order_by("number").first()
    return FamilyComment.objects.create(
        plan=first.plan,
        version=first,
        section="A",
        text="Please add that he loves space (synthetic).",
        source="letter",
        received_on=TODAY,
        recorded_by=case.caseworker,
        answer="accepted",
        answered_on=TODAY,
        answered_by=case.caseworker,
    )


def _flagged(case) -> bool:
    return CaseRiskRecheck.objects.filter(case=case).exists()


def test_the_hand_steps_write_the_rows_the_app_writes():
    case = draft_issued_to_parents_by_post()
    plan = Plan.objects.select_related("case__child").get(case=case)
    consultation = Consultation.objects.create(
        plan=plan,
        setting_name="Oakfield Primary (synthetic)",
        sent_on=TODAY,
        due_on=TODAY + datetime.timedelta(days=15),
        sent_by=case.caseworker,
    )
    prepared = _hand_prepared([case], TODAY)

    before = _unflag(case)
    for_app = _accepted_comment(case)
    _app_steps([case], TODAY)
    app, app_case, app_versions, app_number = _written(case, before)
    assert _flagged(case)

    before = _unflag(case)
    for_hand = _accepted_comment(case)
    _hand_steps([case], TODAY, prepared)
    hand, hand_case, hand_versions, hand_number = _written(case, before)
    assert _flagged(case)

    # Each run's accepted comment is changed in the version it issued; the stored inputs set.
    for_app.refresh_from_db()
    for_hand.refresh_from_db()
    assert for_app.changed_in == app_versions[0]
    assert for_hand.changed_in == hand_versions[0]
    assert hand_case["consultation_answer_due"] == consultation.due_on
    assert hand_case["decision_letter_due"] == app_case["decision_letter_due"]
    assert hand_case["decision_letter_due"] is not None

    assert len(app["letters"]) == 2  # one per parent, with their address
    assert [row[1] for row in app["notices"]] == [TODAY]
    assert [row[2] for row in app["audit"]] == [
        "case.issue_draft",
        "case.revise_draft",
        "letters.written",
        "plan.draft_issued",
    ]
    assert hand == app
    assert hand_case == app_case  # the case ends where the app left it (and started)
    assert app_case["status"] == "draft_issued"
    # The next number, and the snapshot and HTML the app renders for it.
    assert hand_number == {max(app_number) + 1}
    (version,) = hand_versions
    expected = plan_snapshot(plan, kind="draft", number=version.number, issued_on=TODAY)
    assert version.snapshot == expected
    assert version.html == plan_html(expected)
    (app_version,) = app_versions
    assert app_version.snapshot == {**expected, "number": app_version.number}


def test_a_hand_step_is_refused_when_the_case_has_moved_on():
    case = draft_issued_to_parents_by_post()
    prepared = _hand_prepared([case], TODAY)[case.pk]
    before = _unflag(case)
    # The case is draft_issued: issuing the draft again is refused, and writes nothing.
    (revise, revise_refused), (issue, issue_refused) = HAND_STEPS
    with pytest.raises(RuntimeError) as excinfo:
        _hand_step(case, issue, issue_refused, prepared)
    assert str(excinfo.value) == HAND_STEP_REFUSED.format(
        reference=case.reference, status="drafting with a plan"
    )
    rows, case_row, _, _ = _written(case, before)
    assert rows == {
        "versions": [],
        "notices": [],
        "letters": [],
        "letters_per_notice": [],
        "audit": [],
        "notifications": 0,
    }
    assert case_row["status"] == "draft_issued"
    assert not _flagged(case)
    # Revised, then revised again: the second is refused.
    _hand_step(case, revise, revise_refused, prepared)
    with pytest.raises(RuntimeError):
        _hand_step(case, revise, revise_refused, prepared)
    assert Case.objects.get(pk=case.pk).status == "drafting"
    assert AuditEntry.objects.filter(case=case, id__gt=before[AuditEntry]).count() == 1


def test_a_draft_is_not_issued_by_hand_without_a_plan():
    """As version_issue refuses it (the app's step is taken back)."""
    with_plan = draft_issued_to_parents_by_post()
    case = case_in_status("drafting")
    assert not Plan.objects.filter(case=case).exists()
    params = {
        **_hand_prepared([with_plan], TODAY)[with_plan.pk],
        "id": case.pk,
        "reference": case.reference,
    }
    before = _unflag(case)
    _, issue = HAND_STEPS
    with pytest.raises(RuntimeError):
        _hand_step(case, *issue, params)
    rows, case_row, _, _ = _written(case, before)
    assert not any(rows.values())
    assert case_row["status"] == "drafting"
    assert not _flagged(case)


def _reopened_by_an_order():
    """A refusal to issue overturned by the Tribunal: the case is drafting on the order's
    clock (its due dates overridden) and the order's "draft plan" step is outstanding."""
    actor, case, _, appeal = appealed("plan_declined", registered_on=datetime.date(2026, 5, 4))
    disputes.appeal_outcome_record(
        actor=actor,
        appeal=appeal,
        outcome="order",
        decided_on=datetime.date(2026, 7, 1),
        order_kind="issue_plan",
    )
    case = Case.objects.select_related("caseworker").get(pk=case.pk)
    prepare_step(case, "issue_draft", actor)
    assert case.status == "drafting"
    assert case.due_date_overrides
    return case


def test_issuing_by_hand_completes_the_tribunal_orders_step_as_the_app_does():
    by_app, by_hand = _reopened_by_an_order(), _reopened_by_an_order()
    prepared = _hand_prepared([by_hand], TODAY)[by_hand.pk]

    before = _unflag(by_app)
    case_transition(actor=by_app.caseworker, case=by_app, transition="issue_draft", today=TODAY)
    app, app_case, _, _ = _written(by_app, before)
    before = _unflag(by_hand)
    _hand_step(by_hand, *HAND_STEPS[1], prepared)
    hand, hand_case, _, _ = _written(by_hand, before)

    assert "dispute.order_steps_by_case" in [row[2] for row in app["audit"]]
    different = ("id", "reference", "child", "caseworker")
    for row in (app_case, hand_case):
        for name in different:
            row.pop(name)
    assert hand_case == app_case  # the next milestone's due date is the order's
    # The same rows but for the case (and its caseworker) each is about.
    assert [row[2:] for row in hand["audit"]] == [
        row[2:4] + (row[4].replace(by_app.reference, by_hand.reference),) + row[5:]
        for row in app["audit"]
    ]
    assert hand["versions"] == [
        v[:2] + (by_hand.caseworker_id,) + v[3:4] + (Plan.objects.get(case=by_hand).pk,)
        for v in app["versions"]
    ]
    assert len(hand["letters"]) == len(app["letters"]) == 1
    done = OrderDeadline.objects.filter(step="draft_plan").values_list("done_on", flat=True)
    assert list(done) == [TODAY, TODAY]
