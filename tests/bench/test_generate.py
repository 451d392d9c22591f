"""The benchmark's population generator (bench/generate.py) on PostgreSQL: its set-based
finishing steps once broke on a Django alias and nothing noticed until a 1,000,000-case run."""

import datetime

import pytest
from django.db.models import F

from audit.models import AuditEntry
from bench.disputes import Disputes
from bench.generate import CASEWORK_TABLES, _CaseAudit, _next_id, _Writer, generate
from bench.population import CaseLife, Step
from bench.suite import _check_plans_and_disputes, _params, app_disputes_owing, app_plans_owing
from cases.models import Case
from disputes.models import Dispute
from notifications.models import CaseAlertState, EmailStatus, Notification
from plans.alerts import sweep_plans
from plans.models import Consultation, PlanVersion

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TODAY = datetime.date(2026, 11, 30)
DAY = datetime.timedelta(days=1)


def test_a_small_population_is_generated_with_its_alert_states():
    counts = generate(cases=200, seed=7, today=TODAY)
    assert counts["cases"] == Case.objects.count() == 200
    open_cases = Case.objects.open().count()
    assert counts["open"] == open_cases > 0
    # The sweep "already ran today": one state per open case, none left flagged.
    assert counts["alert_states"] == CaseAlertState.objects.count() == open_cases


def test_the_population_owes_todays_plans_and_disputes_alerts_and_the_sweep_finds_them():
    """Issue 20: drafts, consultations and disputes, so 1a's plans and disputes sources read
    real rows; earlier days' alerts recorded, today's owed (the first sweep of the day)."""
    counts = generate(cases=4000, seed=2026, today=TODAY)
    assert counts["draft_versions"] >= counts["plans"] > 0
    assert counts["consultations"] > 0
    assert counts["disputes"] >= counts["appeals"] > 0
    # Each open case with a draft holds it as the case says: its latest draft's date.
    with_draft = Case.objects.filter(status="draft_issued")
    assert with_draft.exists()
    assert not with_draft.exclude(plan__versions__issued_on=F("draft_issued_on")).exists()
    assert AuditEntry.objects.filter(verb="plan.draft_issued").count() == counts["draft_versions"]
    assert AuditEntry.objects.filter(verb="dispute.opened").count() == Dispute.objects.count()
    # A school not answering holds its case's stored risk input (decision 0190).
    unanswered = Consultation.objects.filter(answer="").select_related("plan__case")
    assert unanswered.exists()
    assert all(k.plan.case.consultation_answer_due <= k.due_on for k in unanswered)

    owing = app_plans_owing(TODAY)
    drafts = [pk for kind, pk in owing if kind == "plan_version"]
    consultations = [pk for kind, pk in owing if kind == "consultation"]
    assert drafts
    assert consultations
    # Earlier days' alerts are recorded as sent; what is owed came due today.
    assert Notification.objects.filter(
        object_type="plan_version", email_status=EmailStatus.SENT
    ).exists()
    issued = PlanVersion.objects.filter(pk__in=drafts).values_list("issued_on", flat=True)
    assert set(issued) == {TODAY - 14 * DAY}  # the family's last day for comments is today
    due = Consultation.objects.filter(pk__in=consultations).values_list("due_on", flat=True)
    assert set(due) == {TODAY - DAY}
    _check_plans_and_disputes(TODAY, _params(TODAY))  # the benchmark's hand SQL agrees
    # The alerts already sent are marked (decision 0199), and nothing else is.
    alerted_drafts = _alerted_ids("plan_version")
    alerted_consultations = _alerted_ids("consultation")
    assert alerted_drafts
    assert alerted_consultations
    marked = PlanVersion.objects.filter(comments_due_alerted=True).values_list("pk", flat=True)
    assert set(marked) == alerted_drafts
    marked = Consultation.objects.filter(late_alerted=True).values_list("pk", flat=True)
    assert set(marked) == alerted_consultations

    assert sweep_plans(today=TODAY, now=datetime.datetime.now(tz=datetime.UTC)) == len(owing)
    assert app_plans_owing(TODAY) == []


def _alerted_ids(object_type) -> set[int]:
    recorded = Notification.objects.filter(object_type=object_type)
    return {int(pk) for pk in recorded.values_list("object_id", flat=True)}


def test_recent_decisions_disputed_owe_the_councils_deadlines_as_they_come_due():
    """The generated population's appealable decisions are all months old (its closed cases
    were received 300 days ago or more), so few of its disputes are in flight at 4,000 cases;
    here the disputes writer is given final plans issued over the last 150 days."""
    generate(cases=200, seed=7, today=TODAY)
    writer = _Writer()
    disputes = Disputes(seed=7, first_ids={table: _next_id(table) for table in CASEWORK_TABLES})
    audit = _CaseAudit(writer)
    for n, case in enumerate(Case.objects.order_by("pk").select_related("caseworker")[:150]):
        issued = TODAY - (150 - n) * DAY
        life = CaseLife(issued - 200 * DAY, "ASD", 1)
        life.steps = [Step("issue_final", "draft_issued", "final_issued", issued)]
        disputes.add(
            writer,
            life=life,
            case_id=case.pk,
            reference=case.reference,
            audit=audit.of(case.pk, case.caseworker_id, case.caseworker.username),
            now=datetime.datetime.now(tz=datetime.UTC),
            today=TODAY,
        )
    writer.flush()
    assert disputes.counts["appeals"] > 0
    owed = {day: app_disputes_owing(day) for day in (TODAY + n * DAY for n in range(60))}
    kinds = {object_id.split(":")[0] for owing in owed.values() for object_id, _level in owing}
    assert kinds >= {"response", "mediation"}
    day = min(day for day, owing in owed.items() if owing)
    _check_plans_and_disputes(day, _params(day))
