"""Write a generated population with PostgreSQL COPY: children, cases (with the due dates and next
milestone `cases.services` would store), their audit trail, advice requests and the sweep's
last alert state. Reproducible: the same seed, count and `today` give the same rows.

Generated cases are recognisable by their reference (`<prefix>-<year>-G<number>`), so the
command can refuse to mix them into a database holding real cases.
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from advice_requests.risk_inputs import advice_due_backfill
from cases import deadlines
from cases.models import RISK_INPUT_DATES, Case
from cases.services import clock_settings
from notifications.advice_alerts import OBJECT_TYPE as ADVICE_OBJECT_TYPE
from notifications.advice_alerts import sweep_advice
from notifications.models import EmailStatus, Notification
from plans.risk_inputs import plan_inputs_backfill

from .disputes import Disputes, disputes_alerts_sync
from .drafts import Drafts, plans_alerts_sync
from .family import family_create
from .people import SERVICE_KINDS_FOR_ADVICE, People, people_create
from .population import PANEL_STEPS, CaseLife, case_life

GENERATED_REFERENCE = r"^[A-Z]+-[0-9]{4}-G[0-9]{6}$"
BATCH = 20_000
FIRST_NAMES = ["Alex", "Sam", "Jo", "Riley", "Charlie", "Noor", "Amir", "Mia", "Leo", "Zara"]
LAST_NAMES = ["Smith", "Khan", "Jones", "Patel", "Brown", "Taylor", "Ali", "Wilson", "Evans"]

CHILD_COLUMNS = (
    "id, first_name, last_name, date_of_birth, upn, home_local_authority, current_setting, "
    "in_year_9_or_above, created_at, updated_at"
)
CASE_COLUMNS = (
    "id, reference, child_id, received_on, request_source, primary_need, secondary_needs, "
    "caseworker_id, status, status_changed_on, decision_to_assess_due, "
    "statutory_panel_decision_due, draft_plan_due, final_plan_due, next_milestone, "
    "next_milestone_due, assessment_decided_on, plan_decided_on, draft_issued_on, "
    "final_issued_on, withdrawn_on, appeal_rights_sent_on, evidence_deadline, "
    "rolled_off_agenda, imported, due_date_overrides, created_at, updated_at"
)
AUDIT_COLUMNS = (
    "occurred_at, actor_id, actor_username, verb, target_type, target_id, target_label, case_id, "
    "from_state, to_state, effective_date, reason, payload"
)
ADVICE_COLUMNS = (
    "case_id, kind, service_id, professional_id, question, requested_on, due_on, status, "
    "status_changed_on, accepted_on, first_submitted_on, submitted_on, declined_on, "
    "cancelled_on, returned_on, last_reason, requested_by_id, created_at, updated_at"
)
STATE_COLUMNS = "case_id, milestone, due_on, risk, changed_at"
#: The tables the draft plans and disputes are written to (bench.drafts, bench.disputes).
CASEWORK_TABLES = (
    "plans_plan",
    "plans_planversion",
    "plans_consultation",
    "disputes_dispute",
    "disputes_mediation",
    "disputes_appeal",
    "disputes_order",
    "disputes_orderdeadline",
)


def generated_cases():
    return Case.objects.filter(reference__regex=GENERATED_REFERENCE)


def real_cases():
    return Case.objects.exclude(reference__regex=GENERATED_REFERENCE)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608  # nosec B608
        return cursor.fetchone()[0]


def _reset_sequence(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608  # nosec B608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


class _CaseAudit:
    """Audit rows of one case's later steps (its draft plans, its disputes), by its caseworker,
    as the services would write them."""

    def __init__(self, writer: _Writer):
        self.writer = writer
        self.count = 0
        self.case_id, self.actor, self.actor_name = None, None, ""

    def of(self, case_id: int, actor: int, actor_name: str) -> _CaseAudit:
        self.case_id, self.actor, self.actor_name = case_id, actor, actor_name
        return self

    def __call__(  # noqa: PLR0913 - one audit row's fields
        self,
        day,
        verb,
        target_type,
        target_id,
        label,
        payload,
        *,
        from_state="",
        to_state="",
        reason="",
    ) -> None:
        self.writer.add(
            "audit_auditentry",
            AUDIT_COLUMNS,
            (_at(day, 12), self.actor, self.actor_name, verb, target_type, str(target_id))
            + (label[:200], self.case_id, from_state, to_state, day, reason, json.dumps(payload)),
        )
        self.count += 1


class _Writer:
    """Buffers rows per table and COPYs them in batches through psycopg 3."""

    def __init__(self):
        self.rows: dict[tuple[str, str], list[tuple]] = {}

    def add(self, table: str, columns: str, row: tuple) -> None:
        self.rows.setdefault((table, columns), []).append(row)

    def flush(self) -> None:
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            for (table, columns), rows in self.rows.items():
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        self.rows = {}


def _case_row(case_id, child_id, reference, life: CaseLife, caseworker_id, clock) -> tuple:
    dues = deadlines.due_dates(life.received_on, clock)
    status = life.status
    milestone = deadlines.next_milestone(status)
    declined = life.met("decline_to_assess") or life.met("decline_to_issue")
    created = _at(life.received_on, 9)
    return (
        case_id,
        reference,
        child_id,
        life.received_on,
        life.request_source,
        life.primary_need,
        "[]",
        caseworker_id,
        status,
        life.status_changed_on,
        dues[deadlines.Milestone.DECISION_TO_ASSESS],
        dues[deadlines.Milestone.STATUTORY_PANEL_DECISION],
        dues[deadlines.Milestone.DRAFT_PLAN],
        dues[deadlines.Milestone.FINAL_PLAN],
        milestone.value if milestone else "",
        dues[milestone] if milestone else None,
        life.met("agree_to_assess") or life.met("decline_to_assess"),
        life.met("agree_to_issue") or life.met("decline_to_issue"),
        life.met("issue_draft"),
        life.met("issue_final"),
        life.met("withdraw"),
        declined,
        None,
        False,
        False,
        "{}",
        created,
        _at(life.status_changed_on, 16),
    )


def backlog_rolled_off(*, today: datetime.date) -> int:
    """Last week's agenda builds already happened: every case that was waiting for a panel then
    and is waiting still did not fit a full agenda, so it carries the rolled-off flag the agenda
    builder stores (section 5). Without this the first benchmarked build would flag the whole
    backlog at once, a one-off no running service sees."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET rolled_off_agenda = true "
            "WHERE status IN ('received', 'assessing') AND status_changed_on < %s",
            [today - datetime.timedelta(days=7)],
        )
        return cursor.rowcount


def alert_states_sync(*, today: datetime.date) -> int:
    """The sweep already ran today: each open case's last alert state is what the sweep's own
    SQL risk annotation says now (overdue advice included), with the day it is next due for a
    recheck (`notifications.case_alerts.recheck_on`, here in SQL), written in one INSERT ...
    SELECT; no case is left flagged for a recheck."""
    query = (
        Case.objects.open()
        .with_risk(today)
        .order_by()
        .values_list("id", "next_milestone", "next_milestone_due", "risk", *RISK_INPUT_DATES)
    )
    sql, params = query.query.sql_with_params()
    inputs = ", ".join(f"q.{field} + 1" for field in RISK_INPUT_DATES)
    recheck = (
        "CASE q.risk WHEN 'at_risk' THEN q.next_milestone_due + 1 WHEN 'on_track' THEN "
        f"LEAST(q.next_milestone_due - %s, {inputs}) END"
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM notifications_casealertstate")
        cursor.execute(
            f"INSERT INTO notifications_casealertstate ({STATE_COLUMNS}, recheck_on) "  # noqa: S608  # nosec B608
            f"SELECT q.id, q.next_milestone, q.next_milestone_due, q.risk, %s, {recheck} "
            f"FROM ({sql}) q",
            [_at(today, 1), settings.EHC_RISK_WARNING_DAYS, *params],
        )
        written = cursor.rowcount
        cursor.execute("DELETE FROM cases_caseriskrecheck")
        return written


def advice_alerts_sync(*, today: datetime.date) -> int:
    """The advice sweep already ran today too: the alerts owed are recorded, as sent. Without
    this every benchmarked sweep (1a, 1b) would also record the whole backlog's advice alerts
    (some 27,000 at 100,000 cases), a one-off no running service sees."""
    recorded = sweep_advice(today=today, now=_at(today, 1))
    Notification.objects.filter(
        object_type=ADVICE_OBJECT_TYPE, email_status=EmailStatus.PENDING
    ).update(email_status=EmailStatus.SENT, email_attempts=1, emailed_at=_at(today, 1))
    return recorded


def generate(
    *,
    cases: int,
    seed: int,
    today: datetime.date,
    open_share: float = 0.6,
    progress: Callable[[int], None] = lambda n: None,
) -> dict[str, int]:
    """Create the people, then `cases` cases with everything they imply. Returns row counts."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    clock = clock_settings()
    with transaction.atomic():
        people = people_create(today=today)
    users = get_user_model().objects
    chair_id, chair_name = (
        users.filter(username__startswith="bench.chair.")
        .order_by("pk")
        .values_list("pk", "username")
    )[0]
    usernames = dict(users.filter(pk__in=people.caseworker_ids).values_list("pk", "username"))
    child_id, case_id = _next_id("cases_child"), _next_id("cases_case")
    per_year: dict[int, int] = {}
    counts = {"cases": 0, "open": 0, "audit": 0, "advice": 0}
    writer = _Writer()
    first_ids = {table: _next_id(table) for table in CASEWORK_TABLES}
    drafts = Drafts(seed=seed, first_ids=first_ids)
    disputes = Disputes(seed=seed, first_ids=first_ids)
    later_audit = _CaseAudit(writer)
    now = _at(today, 1)
    for n in range(cases):
        life = case_life(rng, today=today, open_share=open_share)
        caseworker = rng.choice(people.caseworker_ids)
        year = life.received_on.year
        per_year[year] = per_year.get(year, 0) + 1
        reference = f"{settings.EHC_REFERENCE_PREFIX}-{year}-G{per_year[year]:06d}"
        child = _write_case(
            writer, rng, life, people, today, clock, child_id, case_id, reference, caseworker
        )
        _write_audit(writer, life, case_id, reference, caseworker, usernames, chair_id, chair_name)
        audit = later_audit.of(case_id, caseworker, usernames[caseworker])
        drafts.add(
            writer,
            life=life,
            case_id=case_id,
            reference=reference,
            child=child,
            caseworker=caseworker,
            audit=audit,
            now=now,
            today=today,
        )
        disputes.add(
            writer,
            life=life,
            case_id=case_id,
            reference=reference,
            audit=audit,
            now=now,
            today=today,
        )
        counts["advice"] += _write_advice(writer, rng, life, people, case_id, caseworker)
        counts["audit"] += 1 + len(life.steps)
        counts["cases"] += 1
        counts["open"] += life.status in deadlines.NEXT_MILESTONE_BY_STATUS
        child_id += 1
        case_id += 1
        if (n + 1) % BATCH == 0:
            with transaction.atomic():
                writer.flush()
            progress(BATCH)
    with transaction.atomic():
        writer.flush()
    if cases % BATCH:
        progress(cases % BATCH)
    counts["audit"] += later_audit.count
    counts.update(drafts.counts)
    counts.update(disputes.counts)
    for table in (
        "cases_child",
        "cases_case",
        "audit_auditentry",
        "advice_requests_advicerequest",
        *CASEWORK_TABLES,
    ):
        _reset_sequence(table)
    with transaction.atomic():
        # The cases' stored risk inputs (decision 0190) from what was copied, set-based.
        counts["risk_inputs"] = advice_due_backfill(flag=False) + plan_inputs_backfill(flag=False)
        counts["rolled_off"] = backlog_rolled_off(today=today)
        counts["alert_states"] = alert_states_sync(today=today)
        counts["advice_alerts"] = advice_alerts_sync(today=today)
        counts["plans_alerts"] = plans_alerts_sync(today=today, at=_at)
        counts["disputes_alerts"] = disputes_alerts_sync(today=today, at=_at)
        counts["families"] = int(family_create(today=today) is not None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def _write_case(writer, rng, life, people, today, clock, child_id, case_id, reference, caseworker):
    born = life.received_on - datetime.timedelta(days=rng.randint(2 * 365, 18 * 365))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    writer.add(
        "cases_child",
        CHILD_COLUMNS,
        (
            child_id,
            first,
            last,
            born,
            "",
            "",
            "Synthetic School",
            (life.received_on - born).days > 13 * 365,
            _at(life.received_on, 9),
            _at(life.received_on, 9),
        ),
    )
    row = _case_row(case_id, child_id, reference, life, caseworker, clock)
    writer.add("cases_case", CASE_COLUMNS, row)
    return first, last, born


def _write_audit(writer, life, case_id, reference, caseworker, usernames, chair_id, chair_name):
    name = usernames[caseworker]
    target = ("cases.case", str(case_id), reference, case_id)
    writer.add(
        "audit_auditentry",
        AUDIT_COLUMNS,
        (_at(life.received_on), caseworker, name, "case.created", *target, "", "received")
        + (life.received_on, "", "{}"),
    )
    for step in life.steps:
        actor, actor_name = (
            (chair_id, chair_name) if step.transition in PANEL_STEPS else (caseworker, name)
        )
        writer.add(
            "audit_auditentry",
            AUDIT_COLUMNS,
            (_at(step.on, 11), actor, actor_name, f"case.{step.transition}", *target)
            + (step.from_state, step.to_state, step.on, step.reason, json.dumps({})),
        )


def _write_advice(writer, rng, life, people: People, case_id, caseworker) -> int:
    for advice in life.advice:
        service = None
        if advice.kind in SERVICE_KINDS_FOR_ADVICE:
            kinds = SERVICE_KINDS_FOR_ADVICE[advice.kind]
            choices = [pk for k in kinds for pk in people.services_by_kind.get(k, [])]
            service = rng.choice(choices)
        writer.add(
            "advice_requests_advicerequest",
            ADVICE_COLUMNS,
            (
                case_id,
                advice.kind,
                service,
                None,
                f"Please advise on the child's {advice.kind.replace('_', ' ')} needs (synthetic).",
                advice.requested_on,
                deadlines.advice_due(advice.requested_on),
                advice.status,
                advice.status_changed_on,
                advice.accepted_on,
                advice.submitted_on,
                advice.submitted_on,
                None,
                advice.cancelled_on,
                None,
                "Case withdrawn" if advice.cancelled_on else "",
                caseworker,
                _at(advice.requested_on, 12),
                _at(advice.status_changed_on, 15),
            ),
        )
    return len(life.advice)
