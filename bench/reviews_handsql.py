# ruff: noqa: S608 - SQL built only from this module's constants; values are bound parameters.
"""Benchmark 7a/7b's limit, and the reviews part of 1a/1b's: the reviews sweep source
(reviews.alerts) in hand-written SQL. For each source, one read of what can owe an alert
(decision 0196): rows due within the warning window not yet alerted at risk, and rows past due
not yet marked as alerted overdue, with whether each still owes its overdue alert. Then, only
when the read returned rows (as the app writes only then), one statement that records the
alerts owed as the app records them and marks the rows read past due whose overdue alert is
recorded. The run checks the app and this SQL record the same notifications, row for row, and
leave the same rows marked (bench.suite.check_review_sweep), and stops if not."""

from __future__ import annotations

import datetime

from bench.handsql import _told_escalated
from reviews.alerts import MILESTONE_WORDS, PHASE_TRANSFER_WARNING_DAYS
from reviews.deadlines import DEFAULT_WARNING_DAYS

_ALERTED = """EXISTS (SELECT 1 FROM notifications_notification n
  WHERE n.kind = '{kind}' AND n.object_type = '{object_type}' AND n.object_id = {id}::text
  AND n.milestone = {milestone} AND n.level = '{level}')"""
_OPEN = (
    "('scheduled', 'invitations_sent', 'meeting_held', 'report_received', 'amending', "
    "'amendments_proposed', 'cease_proposed', 'cease_consulted')"
)


def _alerted(level: str, *, object_type: str, id_: str, milestone: str) -> str:
    return _ALERTED.format(
        kind=f"review_{level}", level=level, object_type=object_type, id=id_, milestone=milestone
    )


def _owing_sql(
    *,
    select: str,
    source: str,
    where: str,
    not_alerted: str,
    object_type: str,
    id_: str,
    due: str,
    milestone: str,
) -> str:
    keys = {"object_type": object_type, "id_": id_, "milestone": milestone}
    at_risk, overdue = _alerted("at_risk", **keys), _alerted("overdue", **keys)
    # Constant fragments of this module only (no input): not an injection vector.
    return (
        f"SELECT {select}, CASE WHEN {due} < %(today)s THEN NOT {overdue} ELSE false END "  # noqa: S608  # nosec B608
        f"AS owe_overdue FROM {source} WHERE {where} AND {not_alerted} AND {due} <= %(soon)s "
        "AND p.child_id NOT IN (SELECT id FROM cases_child WHERE restricted_on IS NOT NULL) "
        f"AND (({due} >= %(today)s AND NOT {at_risk}) OR {due} < %(today)s)"
    )


# "Not yet alerted overdue" written as the partial indexes' conditions are (reviews.models), so
# the planner can match them: the reads walk those indexes.
def _review_not_alerted(r: str) -> str:
    return (
        f"(NOT ({r}.overdue_alerted_due = {r}.next_milestone_due "
        f"AND {r}.overdue_alerted_due IS NOT NULL AND {r}.next_milestone_due IS NOT NULL) "
        f"OR NOT ({r}.overdue_alerted_milestone = {r}.next_milestone))"
    )


def _review_milestone(r: str) -> str:
    return f"{r}.next_milestone || '@' || {r}.next_milestone_due::text"


_ANNUAL_NOT_ALERTED = (
    "NOT (p.review_overdue_alerted_on = p.review_due AND p.review_overdue_alerted_on IS NOT NULL)"
)
_PHASE_NOT_ALERTED = (
    "NOT (p.transfer_overdue_alerted_on = p.phase_transfer_due "
    "AND p.transfer_overdue_alerted_on IS NOT NULL AND p.phase_transfer_due IS NOT NULL)"
)
HAND_REVIEWS_OWING = _owing_sql(
    select=(
        "r.id, r.next_milestone_due AS due_on, r.next_milestone AS name, p.reference, "
        "p.caseworker_id, p.case_id"
    ),
    source="reviews_review r JOIN reviews_activeplan p ON p.id = r.plan_id",
    where=f"r.status IN {_OPEN} AND p.ceased_on IS NULL AND r.next_milestone_due IS NOT NULL",
    not_alerted=_review_not_alerted("r"),
    object_type="review",
    id_="r.id",
    due="r.next_milestone_due",
    milestone=_review_milestone("r"),
)
HAND_ANNUAL_OWING = _owing_sql(
    select=(
        "p.id, p.review_due AS due_on, 'annual_review' AS name, p.reference, p.caseworker_id, "
        "p.case_id"
    ),
    source="reviews_activeplan p",
    where=(
        "p.ceased_on IS NULL AND NOT EXISTS (SELECT 1 FROM reviews_review r "  # noqa: S608  # nosec B608
        f"WHERE r.plan_id = p.id AND r.status IN {_OPEN})"
    ),
    not_alerted=_ANNUAL_NOT_ALERTED,
    object_type="active_plan",
    id_="p.id",
    due="p.review_due",
    milestone="'annual_review@' || p.review_due::text",
)
HAND_PHASE_OWING = _owing_sql(
    select=(
        "p.id, p.phase_transfer_due AS due_on, 'phase_transfer' AS name, p.reference, "
        "p.caseworker_id, p.case_id"
    ),
    source="reviews_activeplan p",
    where=(
        "p.ceased_on IS NULL AND p.phase_transfer_named_on IS NULL "
        "AND p.phase_transfer_due IS NOT NULL"
    ),
    not_alerted=_PHASE_NOT_ALERTED,
    object_type="active_plan",
    id_="p.id",
    due="p.phase_transfer_due",
    milestone="'phase_transfer@' || p.phase_transfer_due::text",
)


def _literal(text: str) -> str:
    if "'" in text:
        raise ValueError(text)
    return f"'{text}'"


#: How caseworkers say each milestone (reviews.alerts.MILESTONE_WORDS), else its name in words.
_WHAT = (
    "CASE o.name "
    + " ".join(f"WHEN {_literal(name)} THEN {_literal(w)}" for name, w in MILESTONE_WORDS.items())
    + " ELSE replace(o.name, '_', ' ') END"
)
#: notifications.messages.days_phrase: '3 days', 'due today', '2 days ago'.
_DAYS = """CASE WHEN d.days = 0 THEN 'due today'
      WHEN d.days > 0 THEN d.days || ' day' || CASE WHEN d.days = 1 THEN '' ELSE 's' END
      ELSE -d.days || ' day' || CASE WHEN d.days = -1 THEN '' ELSE 's' END || ' ago' END"""


#: The columns each read returns, in order, and their types (the record statements take them
#: back as arrays).
OWED_COLUMNS = (
    ("id", "bigint"),
    ("due_on", "date"),
    ("name", "text"),
    ("reference", "text"),
    ("caseworker_id", "bigint"),
    ("case_id", "bigint"),
    ("owe_overdue", "boolean"),
)
# Column names and types from OWED_COLUMNS; the values are bound parameters.
_OWED = (
    "SELECT * FROM unnest("  # nosec B608
    + ", ".join(f"%({name})s::{kind}[]" for name, kind in OWED_COLUMNS)
    + ") AS o("
    + ", ".join(name for name, _ in OWED_COLUMNS)
    + ")"
)


def _record_sql(*, object_type: str, link: str, table: str, marks: str, same: str) -> str:
    """What a source's read returned (every row of it owes an alert or is past due) recorded
    and marked in one statement, run only when the read returned rows, as the app writes only
    then. The alerts owed, each told as reviews.alerts tells them (decision 0031): the plan's
    active caseworker; when overdue or with no active caseworker, the caseworker's active line
    manager, else every active manager, in a manager's words. Recorded as alerts_record records
    them (e-mail not sent without an address, nor for review_at_risk when the person switched
    it off: review_overdue is urgent; never texted, so the text columns keep their defaults).
    Then the mark of the rows read past due, still at the date read, whose overdue alert was
    recorded before or by this statement (which cannot see its own insert otherwise): a row
    with nobody to tell stays unmarked, as the app leaves it."""
    return f"""
WITH owed AS ({_OWED}),
alerting AS (
  SELECT o.id, o.due_on, o.caseworker_id, o.case_id, d.level, 'review_' || d.level AS kind,
    o.name || '@' || o.due_on::text AS milestone,
    cw.id AS cw_id, cw.email AS cw_email,
    coalesce(nullif(btrim(cw.first_name || ' ' || cw.last_name), ''), cw.username) AS cw_name,
    jsonb_build_object('reference', o.reference, 'what', {_WHAT}, 'due_on', o.due_on,
      'days', {_DAYS}, 'link', '{link}' || o.id || '/') AS context
  FROM owed o
  CROSS JOIN LATERAL (
    SELECT o.due_on - %(today)s::date AS days,
      CASE WHEN o.due_on >= %(today)s THEN 'at_risk' WHEN o.owe_overdue THEN 'overdue' END
        AS level
  ) d
  LEFT JOIN auth_user cw ON cw.id = o.caseworker_id AND cw.is_active
  WHERE d.level IS NOT NULL
),
{_told_escalated("level")},
recorded AS (
  INSERT INTO notifications_notification (
    recipient_id, recipient_key, kind, object_type, object_id, milestone, level, case_id,
    due_on, context, link, created_at, email_to, email_status,
    stored_subject, stored_body, email_attempts, email_last_error
  )
  SELECT t.user_id, 'user:' || t.user_id, t.kind, '{object_type}', t.id::text, t.milestone,
    t.level, t.case_id, t.due_on, t.ctx, t.ctx ->> 'link', %(now)s, t.email,
    CASE WHEN t.email = '' THEN 'not_sent'
      WHEN t.kind = 'review_at_risk' AND EXISTS (SELECT 1 FROM notifications_emailoptout x
        WHERE x.user_id = t.user_id AND x.kind = t.kind) THEN 'not_sent'
      ELSE 'pending' END,
    '', '', 0, ''
  FROM told t
  ON CONFLICT DO NOTHING
  RETURNING object_id, level
)
UPDATE {table} p SET {marks} FROM owed o
WHERE p.id = o.id AND o.due_on < %(today)s AND {same}
  AND (NOT o.owe_overdue OR o.id::text IN (SELECT object_id FROM recorded WHERE level = 'overdue'))
"""  # noqa: S608  # nosec B608 - the models' table names and this module's constants; values bound


HAND_REVIEWS_RECORD = _record_sql(
    object_type="review",
    link="/reviews/",
    table="reviews_review",
    marks="overdue_alerted_milestone = o.name, overdue_alerted_due = o.due_on",
    same="p.next_milestone = o.name AND p.next_milestone_due = o.due_on",
)
HAND_ANNUAL_RECORD = _record_sql(
    object_type="active_plan",
    link="/reviews/plans/",
    table="reviews_activeplan",
    marks="review_overdue_alerted_on = o.due_on",
    same="p.review_due = o.due_on",
)
HAND_PHASE_RECORD = _record_sql(
    object_type="active_plan",
    link="/reviews/plans/",
    table="reviews_activeplan",
    marks="transfer_overdue_alerted_on = o.due_on",
    same="p.phase_transfer_due = o.due_on",
)
#: Each source's read, its record statement and its warning window (days).
HAND_REVIEW_SWEEP = (
    (HAND_REVIEWS_OWING, HAND_REVIEWS_RECORD, DEFAULT_WARNING_DAYS),
    (HAND_ANNUAL_OWING, HAND_ANNUAL_RECORD, DEFAULT_WARNING_DAYS),
    (HAND_PHASE_OWING, HAND_PHASE_RECORD, PHASE_TRANSFER_WARNING_DAYS),
)


def review_sweep_params(*, today: datetime.date, days: int, now: datetime.datetime) -> dict:
    return {"today": today, "soon": today + datetime.timedelta(days=days), "now": now}


def owed_params(rows: list) -> dict:
    """A read's rows as one array a column, for its record statement."""
    columns = list(zip(*rows, strict=True)) or [() for _ in OWED_COLUMNS]
    return {name: list(values) for (name, _), values in zip(OWED_COLUMNS, columns, strict=True)}


#: Every row marked as alerted overdue, to check the app and the hand SQL mark the same rows.
REVIEW_MARKS = """
SELECT 'review', id, overdue_alerted_milestone, overdue_alerted_due FROM reviews_review
WHERE overdue_alerted_due IS NOT NULL
UNION ALL
SELECT 'annual_review', id, '', review_overdue_alerted_on FROM reviews_activeplan
WHERE review_overdue_alerted_on IS NOT NULL
UNION ALL
SELECT 'phase_transfer', id, '', transfer_overdue_alerted_on FROM reviews_activeplan
WHERE transfer_overdue_alerted_on IS NOT NULL
ORDER BY 1, 2
"""
