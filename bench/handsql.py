# ruff: noqa: S608 - SQL built only from the constants below; values are bound parameters.
"""The limit each benchmark is compared with: the fastest hand-written SQL we could write that
produces the same result on the same data (checked against the app's result in the run)."""

from __future__ import annotations

import datetime

from advice_requests.selectors import follow_up_period
from cases.deadlines import FAMILY_COMMENT_DAYS
from disputes.alerts import DUE_SOON_DAYS, MEDIATION_WHAT
from families.messages import COMMENT_REMINDER_DAYS

OPEN = "('received', 'assessing', 'drafting', 'draft_issued')"
OUTSTANDING = "('requested', 'accepted', 'returned')"

RISK = """
CASE
  WHEN c.next_milestone_due IS NULL THEN ''
  WHEN c.next_milestone_due < %(today)s THEN 'overdue'
  WHEN c.next_milestone_due <= %(window)s OR c.rolled_off_agenda
    OR c.outstanding_advice_due < %(today)s OR c.consultation_answer_due < %(today)s
    OR c.decision_letter_due < %(today)s OR c.forecast_to_miss THEN 'at_risk'
  ELSE 'on_track'
END"""

#: Open cases whose derived state differs from the sweep's last state.
SWEEP_CHANGED = f"""
SELECT c.id, c.reference, c.next_milestone, c.next_milestone_due, c.risk, c.caseworker_id
FROM (
  SELECT c.id, c.reference, c.next_milestone, c.next_milestone_due, c.caseworker_id, {RISK} AS risk
  FROM cases_case c WHERE c.status IN {OPEN}
) c
LEFT JOIN notifications_casealertstate s ON s.case_id = c.id
WHERE s.case_id IS NULL OR s.risk IS DISTINCT FROM c.risk
   OR s.milestone IS DISTINCT FROM c.next_milestone
   OR s.due_on IS DISTINCT FROM c.next_milestone_due
ORDER BY c.id
"""

#: Decision 0190: the sweep reads only what changed. The candidates (the flagged cases, claimed
#: and cleared, and the states due for a recheck today), with their derived state, for every
#: candidate whose state differs (open: milestone, due date, risk; closed: a live state),
#: and the day each is next due for a recheck.
_CANDIDATES = """
claimed AS (DELETE FROM cases_caseriskrecheck RETURNING case_id),
candidate AS (
  SELECT case_id AS id FROM claimed
  UNION SELECT case_id FROM notifications_casealertstate WHERE recheck_on <= %(today)s
)"""
_CANDIDATES_CHANGED = f"""
SELECT c.id, c.reference, c.next_milestone, c.next_milestone_due, c.risk, c.caseworker_id,
  CASE c.risk WHEN 'at_risk' THEN c.next_milestone_due + 1
    WHEN 'on_track' THEN LEAST(c.next_milestone_due - %(warning)s,
      c.outstanding_advice_due + 1, c.consultation_answer_due + 1, c.decision_letter_due + 1)
  END AS recheck_on
FROM (
  SELECT c.id, c.reference, c.caseworker_id, c.outstanding_advice_due,
    c.consultation_answer_due, c.decision_letter_due,
    CASE WHEN c.status IN {OPEN} THEN c.next_milestone ELSE '' END AS next_milestone,
    CASE WHEN c.status IN {OPEN} THEN c.next_milestone_due END AS next_milestone_due,
    CASE WHEN c.status IN {OPEN} THEN {RISK} ELSE '' END AS risk,
    c.status IN {OPEN} AS open
  FROM cases_case c JOIN candidate USING (id)
) c
LEFT JOIN notifications_casealertstate s ON s.case_id = c.id
WHERE (c.open AND s.case_id IS NULL) OR (s.case_id IS NOT NULL AND (
  s.risk IS DISTINCT FROM c.risk OR s.milestone IS DISTINCT FROM c.next_milestone
  OR s.due_on IS DISTINCT FROM c.next_milestone_due))
ORDER BY c.id
"""
SWEEP_CANDIDATES_CHANGED = f"WITH {_CANDIDATES} {_CANDIDATES_CHANGED}"

#: The same, plus writing the new states in the same statement (the sweep's upsert).
SWEEP_CHANGED_AND_UPSERT = f"""
WITH changed AS ({SWEEP_CHANGED})
INSERT INTO notifications_casealertstate (case_id, milestone, due_on, risk, changed_at)
SELECT id, next_milestone, next_milestone_due, risk, now() FROM changed
ON CONFLICT (case_id) DO UPDATE SET milestone = EXCLUDED.milestone, due_on = EXCLUDED.due_on,
  risk = EXCLUDED.risk, changed_at = EXCLUDED.changed_at
"""


def _days_phrase(days: str) -> str:
    """notifications.messages.days_phrase in SQL, of a number of days."""
    return f"""CASE WHEN {days} = 0 THEN 'due today'
        WHEN {days} > 0 THEN {days} || ' day' || CASE WHEN {days} = 1 THEN '' ELSE 's' END
        ELSE -{days} || ' day' || CASE WHEN {days} = -1 THEN '' ELSE 's' END || ' ago' END"""


#: The alerts of `told` (one row per person: user_id, email, ctx and the alert's columns)
#: inserted as alerts_record inserts them: e-mail not sent without an address or for a
#: non-urgent kind the person switched off (of the kinds these statements write, only
#: case_overdue is urgent: notifications.kinds.URGENT_KINDS).
_INSERT_TOLD = """
INSERT INTO notifications_notification (
  recipient_id, recipient_key, kind, object_type, object_id, milestone, level, case_id, due_on,
  context, link, created_at, email_to, email_status,
  stored_subject, stored_body, email_attempts, email_last_error
)
SELECT t.user_id, 'user:' || t.user_id, t.kind, t.object_type, t.object_id, t.milestone,
  t.level, t.case_id, t.due_on, t.ctx, t.ctx ->> 'link', %(now)s, t.email,
  CASE WHEN t.email = '' THEN 'not_sent'
    WHEN t.kind <> 'case_overdue' AND EXISTS (
      SELECT 1 FROM notifications_emailoptout o WHERE o.user_id = t.user_id AND o.kind = t.kind
    ) THEN 'not_sent'
    ELSE 'pending' END,
  '', '', 0, ''
FROM told t
ON CONFLICT DO NOTHING
"""
_MANAGERS = """managers AS (
  SELECT DISTINCT u.id, u.email FROM auth_user u
  JOIN auth_user_groups ug ON ug.user_id = u.id JOIN auth_group g ON g.id = ug.group_id
  WHERE g.name = 'manager' AND u.is_active
)"""


def _told_escalated(level: str) -> str:
    """The CTEs that tell an alert's active caseworker and, when its `level` column says
    overdue or nobody is assigned, the caseworker's active line manager, else every active
    manager, in a manager's words (decision 0031: the cases, disputes and reviews sources alike)."""
    return f"""{_MANAGERS},
line AS (
  SELECT l.caseworker_id, m.id, m.email FROM notifications_linemanager l
  JOIN auth_user m ON m.id = l.manager_id WHERE m.is_active
),
told AS (
  SELECT a.*, a.cw_id AS user_id, a.cw_email AS email, a.context AS ctx
  FROM alerting a WHERE a.cw_id IS NOT NULL
  UNION ALL
  SELECT a.*, m.id, m.email,
    a.context || jsonb_build_object('for_manager', true, 'caseworker', coalesce(a.cw_name, ''))
  FROM alerting a
  CROSS JOIN LATERAL (
    SELECT l.id, l.email FROM line l WHERE l.caseworker_id = a.caseworker_id
    UNION ALL
    SELECT m.id, m.email FROM managers m
    WHERE NOT EXISTS (SELECT 1 FROM line l WHERE l.caseworker_id = a.caseworker_id)
  ) m
  WHERE (a.{level} = 'overdue' OR a.cw_id IS NULL) AND m.id IS DISTINCT FROM a.cw_id
)"""


#: A day's changes end to end, as the app records them (decision 0072): the changed cases, their
#: new alert states, and one notification per person told (decision 0031: the caseworker; for
#: overdue or unassigned, their active line manager, else every active manager), with the
#: context the message templates render and the email status (no address, or a non-urgent kind
#: switched off: not emailed). One statement.
SWEEP_DAY = f"""
WITH {_CANDIDATES}, changed AS ({_CANDIDATES_CHANGED}),
states AS (
  INSERT INTO notifications_casealertstate (case_id, milestone, due_on, risk, recheck_on,
    changed_at)
  SELECT id, next_milestone, next_milestone_due, risk, recheck_on, %(now)s FROM changed
  ON CONFLICT (case_id) DO UPDATE SET milestone = EXCLUDED.milestone, due_on = EXCLUDED.due_on,
    risk = EXCLUDED.risk, recheck_on = EXCLUDED.recheck_on, changed_at = EXCLUDED.changed_at
),
alerting AS (
  SELECT 'case' AS object_type, c.id::text AS object_id, c.id AS case_id, c.caseworker_id,
    c.risk AS level, c.next_milestone || '@' || c.next_milestone_due AS milestone,
    c.next_milestone_due AS due_on,
    CASE c.risk WHEN 'overdue' THEN 'case_overdue' ELSE 'case_at_risk' END AS kind,
    cw.id AS cw_id, cw.email AS cw_email,
    coalesce(nullif(btrim(cw.first_name || ' ' || cw.last_name), ''), cw.username) AS cw_name,
    jsonb_build_object(
      'reference', c.reference,
      'what', CASE c.next_milestone
        WHEN 'decision_to_assess' THEN 'decision whether to assess'
        WHEN 'statutory_panel_decision' THEN 'statutory panel decision'
        WHEN 'draft_plan' THEN 'draft plan' WHEN 'final_plan' THEN 'final plan'
        ELSE replace(c.next_milestone, '_', ' ') END,
      'due_on', c.next_milestone_due,
      'days', {_days_phrase("d.days")},
      'link', replace(%(case_path)s, '{{reference}}', c.reference)
    ) AS context
  FROM changed c
  CROSS JOIN LATERAL (SELECT c.next_milestone_due - %(today)s::date AS days) d
  LEFT JOIN auth_user cw ON cw.id = c.caseworker_id AND cw.is_active
  WHERE c.risk IN ('at_risk', 'overdue')
),
{_told_escalated("level")}
{_INSERT_TOLD}"""

#: The notifications a sweep recorded at `now`, to check the app and the hand SQL agree.
SWEEP_NOTIFICATIONS = """
SELECT recipient_id, recipient_key, kind, object_type, object_id, milestone, level, case_id,
  due_on, context, link, email_to, email_status, text_to, text_status
FROM notifications_notification WHERE created_at = %(now)s
ORDER BY kind, object_type, object_id, milestone, level, recipient_key
"""

SWEEP_STATES = """
SELECT case_id, milestone, due_on, risk FROM notifications_casealertstate
WHERE changed_at = %(now)s ORDER BY case_id
"""


def _not_alerted(kind: str, level: str) -> str:
    return f"""NOT EXISTS (
    SELECT 1 FROM notifications_notification n WHERE n.kind = '{kind}'
      AND n.object_type = 'advice_request' AND n.object_id = a.id::text AND n.level = '{level}')"""


#: The advice source's one SELECT: outstanding advice of open cases owing an alert at a level,
#: read (decision 0195) per level from the requests whose level is pending (pending_*_on: the
#: due date while the request is outstanding and not marked as told that level, indexed).
SWEEP_ADVICE_OWING = f"""
SELECT a.id FROM advice_requests_advicerequest a JOIN cases_case c ON c.id = a.case_id
WHERE c.status IN {OPEN} AND (
  (a.pending_due_soon_on >= %(today)s AND a.pending_due_soon_on <= %(soon)s
    AND {_not_alerted("advice_due_soon", "due_soon")})
  OR (a.pending_overdue_on < %(today)s AND {_not_alerted("advice_overdue", "overdue")})
  OR (a.pending_escalated_on <= %(escalate)s
    AND {_not_alerted("advice_escalated", "escalated")}))
ORDER BY a.id
"""

SWEEP_CLOSED = f"""
SELECT s.case_id FROM notifications_casealertstate s JOIN cases_case c ON c.id = s.case_id
WHERE s.milestone <> '' AND c.status NOT IN {OPEN}
"""

#: Retention (decision 0064): what the app leaves out everywhere, written the cheapest way (the
#: restricted children are few and sit in a partial index).
RESTRICTED_CHILDREN = "(SELECT id FROM cases_child WHERE restricted_on IS NOT NULL)"
RESTRICTED_CASES = f"(SELECT id FROM cases_case WHERE child_id IN {RESTRICTED_CHILDREN})"

TIMELINESS = f"""
SELECT extract(month FROM c.final_issued_on)::int AS month,
  count(*) AS issued,
  count(*) FILTER (WHERE c.final_issued_on <= c.final_plan_due) AS on_time,
  count(*) FILTER (WHERE x.ex) AS with_exception,
  count(*) FILTER (WHERE c.final_issued_on > c.final_plan_due AND x.ex) AS late_with_exception,
  count(*) FILTER (WHERE c.final_issued_on <= c.final_plan_due AND NOT x.ex) AS on_time_excl
FROM cases_case c
CROSS JOIN LATERAL (SELECT EXISTS (
  SELECT 1 FROM cases_caseexception e WHERE e.case_id = c.id AND e.agreed_at IS NOT NULL
) AS ex) x
WHERE c.final_issued_on BETWEEN %(start)s AND %(end)s
  AND c.child_id NOT IN {RESTRICTED_CHILDREN}
GROUP BY 1 ORDER BY 1
"""

#: Each dashboard selector's result (benchmark 3b's parts).
DASHBOARD = {
    "open_cases": f"""
SELECT c.caseworker_id, c.status, count(*),
  count(*) FILTER (WHERE r.risk = 'overdue'), count(*) FILTER (WHERE r.risk = 'at_risk'),
  count(*) FILTER (WHERE r.risk = 'on_track'),
  count(*) FILTER (WHERE c.received_on < %(w20)s), count(*) FILTER (WHERE c.received_on < %(w52)s)
FROM cases_case c CROSS JOIN LATERAL (SELECT {RISK} AS risk) r
WHERE c.status IN {OPEN} GROUP BY 1, 2""",
    "status_and_risk": f"""
SELECT c.status, {RISK} AS risk, count(*) FROM cases_case c WHERE c.status IN {OPEN}
GROUP BY 1, 2""",
    "ageing": f"""
SELECT count(*), count(*) FILTER (WHERE received_on < %(w20)s),
  count(*) FILTER (WHERE received_on < %(w52)s)
FROM cases_case WHERE status IN {OPEN}""",
    "waiting_over_20_weeks": f"""
SELECT id, reference, status, received_on FROM cases_case
WHERE status IN {OPEN} AND received_on < %(w20)s ORDER BY received_on, id LIMIT 25""",
    "caseload": f"""
SELECT c.caseworker_id, count(*),
  count(*) FILTER (WHERE r.risk = 'at_risk'), count(*) FILTER (WHERE r.risk = 'overdue')
FROM cases_case c CROSS JOIN LATERAL (SELECT {RISK} AS risk) r
WHERE c.status IN {OPEN} GROUP BY 1""",
    "panel_conversion": f"""
SELECT extract(month FROM effective_date)::int, verb, count(*) FROM audit_auditentry
WHERE verb IN ('case.agree_to_assess', 'case.decline_to_assess', 'case.agree_to_issue',
  'case.decline_to_issue') AND effective_date BETWEEN %(start)s AND %(end)s
  AND (case_id IS NULL OR case_id NOT IN {RESTRICTED_CASES}) GROUP BY 1, 2""",
    # Outstanding counts over every open request; the share over the 12 months to today
    # (decision 0077). Aggregated per service before the join (40 rows to join, not 100,000s).
    "advice_by_service": f"""
SELECT s.id, s.name, coalesce(a.outstanding, 0), coalesce(a.due_soon, 0),
  coalesce(a.overdue, 0), coalesce(a.on_time, 0), coalesce(a.measured, 0)
FROM advice_requests_partnerservice s
LEFT JOIN (
  SELECT service_id,
    count(*) FILTER (WHERE status IN {OUTSTANDING}) AS outstanding,
    count(*) FILTER (WHERE status IN {OUTSTANDING} AND due_on BETWEEN %(today)s AND %(soon)s)
      AS due_soon,
    count(*) FILTER (WHERE status IN {OUTSTANDING} AND due_on < %(today)s) AS overdue,
    count(*) FILTER (WHERE requested_on >= %(year_from)s AND requested_on <= %(today)s
      AND first_submitted_on <= due_on) AS on_time,
    count(*) FILTER (WHERE requested_on >= %(year_from)s AND requested_on <= %(today)s
      AND (first_submitted_on IS NOT NULL OR (status IN {OUTSTANDING} AND due_on < %(today)s)))
      AS measured
  FROM advice_requests_advicerequest
  WHERE status IN {OUTSTANDING} OR (requested_on >= %(year_from)s AND requested_on <= %(today)s)
  GROUP BY service_id
) a ON a.service_id = s.id
WHERE s.is_active OR a.outstanding > 0""",
}

#: What the dashboard page runs (one pass over the open cases for three of its tables,
#: decision 0076); benchmark 3b's total times these.
DASHBOARD_PAGE = ("open_cases", "waiting_over_20_weeks", "panel_conversion", "advice_by_service")

PARTNER_INBOX = f"""
SELECT a.id, s.name, a.kind, a.status, ch.first_name, ch.last_name, ch.date_of_birth,
  ch.current_setting, a.question, a.due_on, (a.due_on < %(today)s) AS overdue
FROM advice_requests_advicerequest a
JOIN advice_requests_partnerservice s ON s.id = a.service_id
JOIN cases_case c ON c.id = a.case_id
JOIN cases_child ch ON ch.id = c.child_id
WHERE a.status IN {OUTSTANDING} AND c.status IN {OPEN}
  AND a.case_id NOT IN {RESTRICTED_CASES}
  AND a.service_id IN (
    SELECT m.service_id FROM advice_requests_servicemembership m
    WHERE m.user_id = %(user)s AND m.left_on IS NULL)
ORDER BY (a.due_on < %(today)s) DESC, a.due_on, a.id
"""


def params(today: datetime.date, warning_days: int, year: int) -> dict:
    return {
        "today": today,
        "warning": warning_days,
        "window": today + datetime.timedelta(days=warning_days),
        "soon": today + datetime.timedelta(days=7),
        "escalate": today - datetime.timedelta(days=14),
        "w20": today - datetime.timedelta(weeks=20),
        "w52": today - datetime.timedelta(weeks=52),
        "start": datetime.date(year, 1, 1),
        "end": datetime.date(year, 12, 31),
        "year_from": follow_up_period(today=today)[0],
        # The family source: advice in this week; drafts whose comment reminder is due.
        "week_ago": today - datetime.timedelta(days=7),
        "draft_from": today - datetime.timedelta(days=14),
        "draft_to": today - datetime.timedelta(days=14 - COMMENT_REMINDER_DAYS),
        # The plans source: drafts whose last day for comments is today or earlier.
        "comments_last_day": today - datetime.timedelta(days=FAMILY_COMMENT_DAYS - 1),
        # The disputes source: deadlines due within its warning days.
        "dispute_soon": today + datetime.timedelta(days=DUE_SOON_DAYS),
    }


#: The family source's two lists (families.messages.sweep_family): requests whose advice is all
#: in (some submitted this week, none outstanding: the stored input) and drafts at their
#: comment reminder, for a child not restricted with someone to tell (texts off: an email), not
#: yet told of that event.
SWEEP_FAMILY_OWING = """
WITH events AS (
  SELECT c.id, c.child_id, 'family_advice_received' AS kind,
    (SELECT max(s.submitted_on) FROM advice_requests_advicerequest s
     WHERE s.case_id = c.id AND s.status = 'submitted') AS on_date
  FROM cases_case c
  WHERE c.status = 'assessing' AND c.outstanding_advice_due IS NULL AND c.id IN (
      SELECT a.case_id FROM advice_requests_advicerequest a
      WHERE a.status = 'submitted' AND a.submitted_on >= %(week_ago)s)
  UNION ALL
  SELECT c.id, c.child_id, 'family_comment_reminder', c.draft_issued_on
  FROM cases_case c
  WHERE c.status = 'draft_issued' AND c.draft_issued_on BETWEEN %(draft_from)s AND %(draft_to)s
)
SELECT e.id, e.kind FROM events e JOIN cases_child ch ON ch.id = e.child_id
WHERE ch.restricted_on IS NULL
  AND (EXISTS (SELECT 1 FROM families_familylink l
               WHERE l.child_id = e.child_id AND l.revoked_at IS NULL)
       OR EXISTS (SELECT 1 FROM cases_parentcarer p WHERE p.child_id = e.child_id
                  AND p.has_parental_responsibility AND p.email <> ''))
  AND NOT EXISTS (SELECT 1 FROM notifications_notification n
    WHERE n.kind = e.kind AND n.object_type = 'case' AND n.object_id = e.id::text
      AND n.milestone = e.kind || '@' || e.on_date::text AND n.level = 'family')
ORDER BY e.kind, e.id
"""

#: The plans source (plans.alerts.sweep_plans) in one statement: the drafts with the family whose
#: last day for comments has come (case still draft_issued) and the schools or colleges past
#: their 15 days without an answer (case drafting or draft_issued), not marked as alerted (by
#: the indexes' expression and condition, decision 0199), each with whether its alert is recorded (a
#: notification of its kind on the draft or consultation) and what the alert is built from.
_PLANS_READ = """
SELECT 'plan_version' AS object_type, v.id, v.issued_on AS on_date, c.id AS case_id,
  c.reference, c.caseworker_id,
  EXISTS (SELECT 1 FROM notifications_notification n
    WHERE n.kind = 'family_comments_due' AND n.object_type = 'plan_version'
      AND n.object_id = v.id::text) AS alerted
FROM plans_planversion v JOIN plans_plan p ON p.id = v.plan_id
  JOIN cases_case c ON c.id = p.case_id
WHERE CASE WHEN NOT v.comments_due_alerted AND v.kind = 'draft' THEN v.issued_on END
    <= %(comments_last_day)s
  AND c.status = 'draft_issued'
UNION ALL
SELECT 'consultation', k.id, k.due_on, c.id, c.reference, c.caseworker_id,
  EXISTS (SELECT 1 FROM notifications_notification n
    WHERE n.kind = 'consultation_late' AND n.object_type = 'consultation'
      AND n.object_id = k.id::text)
FROM plans_consultation k JOIN plans_plan p ON p.id = k.plan_id
  JOIN cases_case c ON c.id = p.case_id
WHERE k.answer = '' AND NOT k.late_alerted AND k.due_on < %(today)s
  AND c.status IN ('drafting', 'draft_issued')
"""
_PLANS_OWED = f"SELECT * FROM ({_PLANS_READ}) r WHERE NOT r.alerted\n"
SWEEP_PLANS_OWING = _PLANS_OWED + "ORDER BY 1 DESC, 2\n"

#: The disputes source (disputes.alerts.sweep_disputes) in one statement: the council's dispute
#: deadlines due within 7 days or passed and not met (its response to the tribunal, mediation
#: within 30 days, an order's step not carried by the case's own clock), for cases not
#: restricted, whose alert at today's level (at risk, or overdue once passed) is not recorded
#: (the app reads the recorded ones in a second query and compares in Python), with the case
#: and who is told (the review's plan's caseworker, else the case's). Like the plans source it
#: writes nothing on a day with nothing new.
_DISPUTES_OWED = f"""
WITH owed AS (
  SELECT 'response:' || a.id AS object_id, a.response_due AS due_on, a.dispute_id,
    'council''s response to the tribunal' AS what
  FROM disputes_appeal a
  WHERE a.status = 'registered' AND a.response_due <= %(dispute_soon)s
  UNION ALL
  SELECT 'mediation:' || m.id, m.mediation_due, m.dispute_id, '{MEDIATION_WHAT}'
  FROM disputes_mediation m
  WHERE m.status = 'mediating' AND m.mediation_due <= %(dispute_soon)s
  UNION ALL
  SELECT 'order:' || o.id, o.due_on, o.dispute_id,
    'order: ' || lower(left(o.label, 1)) || substr(o.label, 2)
  FROM disputes_orderdeadline o
  WHERE o.done_on IS NULL AND NOT o.not_needed AND NOT o.on_case_clock
    AND o.due_on <= %(dispute_soon)s
)
SELECT w.object_id, w.due_on, l.level, d.case_id, c.reference,
  coalesce(ap.caseworker_id, c.caseworker_id) AS caseworker_id, w.what, l.milestone
FROM owed w
CROSS JOIN LATERAL (SELECT split_part(w.object_id, ':', 1) || '@' || w.due_on::text AS milestone,
  CASE WHEN w.due_on < %(today)s THEN 'overdue' ELSE 'at_risk' END AS level) l
JOIN disputes_dispute d ON d.id = w.dispute_id
JOIN cases_case c ON c.id = d.case_id
LEFT JOIN reviews_review r ON r.id = d.review_id
LEFT JOIN reviews_activeplan ap ON ap.id = r.plan_id
WHERE d.case_id NOT IN {RESTRICTED_CASES}
  AND NOT EXISTS (SELECT 1 FROM notifications_notification n
    WHERE n.kind = CASE l.level WHEN 'overdue' THEN 'case_overdue' ELSE 'case_at_risk' END
      AND n.object_type = 'dispute_deadline' AND n.object_id = w.object_id
      AND n.milestone = l.milestone AND n.level = l.level)
"""
SWEEP_DISPUTES_OWING = _DISPUTES_OWED + "ORDER BY w.object_id\n"


_CASEWORKER = """LEFT JOIN auth_user cw ON cw.id = o.caseworker_id AND cw.is_active"""

#: The plans source's whole run when it owes alerts: what `SWEEP_PLANS_OWING` reads, recorded
#: (the case's active caseworker told, else every active manager, the same words), and the
#: rows read marked when their alert is recorded, before or now (decision 0199). A row whose
#: alert reached nobody stays unmarked. On a day with nothing new it writes nothing.
SWEEP_PLANS_DAY = f"""
WITH candidates AS ({_PLANS_READ}),
owed AS (SELECT * FROM candidates WHERE NOT alerted),
alerting AS (
  SELECT o.object_type, o.id::text AS object_id, o.case_id, d.due_on,
    o.object_type || '@' || d.due_on::text AS milestone, 'due' AS level,
    CASE o.object_type WHEN 'plan_version' THEN 'family_comments_due'
      ELSE 'consultation_late' END AS kind,
    cw.id AS cw_id, cw.email AS cw_email,
    jsonb_build_object('reference', o.reference, 'due_on', d.due_on,
      'days', {_days_phrase("(d.due_on - %(today)s::date)")},
      'link', replace(%(case_path)s, '{{reference}}', o.reference)) AS context
  FROM owed o
  CROSS JOIN LATERAL (SELECT CASE o.object_type
    WHEN 'plan_version' THEN o.on_date + {FAMILY_COMMENT_DAYS - 1} ELSE o.on_date END AS due_on) d
  {_CASEWORKER}
), {_MANAGERS},
told AS (
  SELECT a.*, a.cw_id AS user_id, a.cw_email AS email, a.context AS ctx
  FROM alerting a WHERE a.cw_id IS NOT NULL
  UNION ALL
  SELECT a.*, m.id, m.email, a.context FROM alerting a CROSS JOIN managers m
  WHERE a.cw_id IS NULL
),
recorded AS ({_INSERT_TOLD}RETURNING object_type, object_id),
marked AS (
  SELECT c.object_type, c.id FROM candidates c WHERE c.alerted
  UNION
  SELECT r.object_type, r.object_id::bigint FROM recorded r
),
drafts_marked AS (
  UPDATE plans_planversion SET comments_due_alerted = TRUE
  WHERE id IN (SELECT id FROM marked WHERE object_type = 'plan_version')
  RETURNING 1
),
consultations_marked AS (
  UPDATE plans_consultation SET late_alerted = TRUE
  WHERE id IN (SELECT id FROM marked WHERE object_type = 'consultation')
  RETURNING 1
)
SELECT (SELECT count(*) FROM recorded), (SELECT count(*) FROM drafts_marked),
  (SELECT count(*) FROM consultations_marked)
"""

#: The disputes source's whole run when it owes alerts: what `SWEEP_DISPUTES_OWING` reads,
#: recorded (the active caseworker at risk; when overdue or with nobody to tell, their line
#: manager too, else every active manager, with the manager's words).
SWEEP_DISPUTES_DAY = f"""
WITH owed AS ({_DISPUTES_OWED}),
alerting AS (
  SELECT 'dispute_deadline' AS object_type, o.object_id, o.case_id, o.due_on, o.milestone,
    o.level, o.caseworker_id,
    CASE o.level WHEN 'overdue' THEN 'case_overdue' ELSE 'case_at_risk' END AS kind,
    cw.id AS cw_id, cw.email AS cw_email,
    coalesce(nullif(btrim(cw.first_name || ' ' || cw.last_name), ''), cw.username) AS cw_name,
    jsonb_build_object('reference', o.reference, 'what', o.what, 'due_on', o.due_on,
      'days', {_days_phrase("(o.due_on - %(today)s::date)")},
      'link', replace(%(case_path)s, '{{reference}}', o.reference)) AS context
  FROM owed o {_CASEWORKER}
),
{_told_escalated("level")}
{_INSERT_TOLD}"""

# --- Benchmark 5a/5b: a case step and everything its hooks write, one statement each ---------

#: The columns of one audit row (audit.services.audit_entry), in the order the INSERTs use.
_AUDIT_COLUMNS = """audit_auditentry (occurred_at, actor_id, actor_username, verb, target_type,
  target_id, target_label, case_id, from_state, to_state, effective_date, reason, payload)"""

#: The sweep's recheck flag for the case a step moved (Case.save: cases_flag_for_recheck).
_FLAG_MOVED = """), flagged AS (
  INSERT INTO cases_caseriskrecheck (case_id, flagged_at) SELECT id, now() FROM moved
  ON CONFLICT (case_id) DO UPDATE SET flagged_at = EXCLUDED.flagged_at
"""

#: `revise_draft` (cases.services.case_transition): the guarded UPDATE is the row lock (a
#: concurrent step waits, then sees the new status and is refused: 0 rows), the sweep's recheck
#: flag (Case.save), the step's audit row. The due date is the milestone's, or the tribunal
#: order's override (cases.services._refresh_derived).
HAND_REVISE_DRAFT = f"""
WITH moved AS (
  UPDATE cases_case SET status = 'drafting', status_changed_on = %(today)s,
    next_milestone = 'draft_plan',
    next_milestone_due = COALESCE(NULLIF(due_date_overrides ->> 'draft_plan', '')::date,
      draft_plan_due),
    rolled_off_agenda = false, updated_at = now()
  WHERE id = %(id)s AND status = 'draft_issued'
  RETURNING id
{_FLAG_MOVED}), audited AS (
  INSERT INTO {_AUDIT_COLUMNS}
  SELECT now(), %(actor)s, %(username)s, 'case.revise_draft', 'cases.case', id::text,
    %(reference)s, id, 'draft_issued', 'drafting', %(today)s, %(reason)s, '{{}}'::jsonb
  FROM moved
)
SELECT count(*) FROM moved
"""

#: `issue_draft` and its hooks, in one statement (each part waits on `moved`, so a refused
#: step writes nothing; a case without a plan is refused, as version_issue refuses it):
#: - the case (as above, with the draft's date) and, folded into the same UPDATE (a row is
#:   updated once per statement), its stored letter due date brought forward to this step's
#:   notice's if that is earlier (plans.risk_inputs.case_letter_due_include);
#: - the plan locked, the version numbered max + 1 (plans.services.version_issue; the case's
#:   row lock serialises its steps, the unique (plan, number) refuses anything else), its
#:   snapshot and HTML rendered beforehand with a placeholder for the number, the accepted
#:   comments linked to it, its audit row;
#: - the decision notice and one letter per recipient (plans.letters.letters_write, rendered
#:   beforehand), one audit row for them;
#: - a tribunal order's "draft plan" step done (disputes.hooks), audited when there was one.
HAND_ISSUE_DRAFT = f"""
WITH moved AS (
  UPDATE cases_case c SET status = 'draft_issued', status_changed_on = %(today)s,
    draft_issued_on = %(today)s, next_milestone = 'final_plan',
    next_milestone_due = COALESCE(NULLIF(c.due_date_overrides ->> 'final_plan', '')::date,
      c.final_plan_due),
    rolled_off_agenda = false, updated_at = now(),
    decision_letter_due = LEAST(COALESCE(c.decision_letter_due, %(letter_due)s::date),
      %(letter_due)s::date)
  WHERE c.id = %(id)s AND c.status = 'drafting'
    AND EXISTS (SELECT 1 FROM plans_plan p WHERE p.case_id = c.id)
  RETURNING c.id
{_FLAG_MOVED}), step_audited AS (
  INSERT INTO {_AUDIT_COLUMNS}
  SELECT now(), %(actor)s, %(username)s, 'case.issue_draft', 'cases.case', id::text,
    %(reference)s, id, 'drafting', 'draft_issued', %(today)s, '', '{{}}'::jsonb
  FROM moved
), plan AS (
  SELECT p.id FROM plans_plan p WHERE p.case_id = (SELECT id FROM moved)
  ORDER BY p.id LIMIT 1 FOR UPDATE
), version AS (
  INSERT INTO plans_planversion (plan_id, number, kind, issued_on, issued_by_id, snapshot, html,
    pdf, created_at)
  SELECT plan.id, n.number, 'draft', %(today)s, %(actor)s,
    replace(%(snapshot)s, %(placeholder)s, n.number::text)::jsonb,
    replace(%(html)s, %(placeholder)s, n.number::text), NULL, now()
  FROM plan, LATERAL (
    SELECT COALESCE(max(v.number), 0) + 1 AS number FROM plans_planversion v
    WHERE v.plan_id = plan.id) n
  RETURNING id, plan_id, number
), comments_changed AS (
  UPDATE plans_familycomment f SET changed_in_id = version.id FROM version
  WHERE f.plan_id = version.plan_id AND f.answer = 'accepted' AND f.changed_in_id IS NULL
    AND f.version_id <> version.id
), version_audited AS (
  INSERT INTO {_AUDIT_COLUMNS}
  SELECT now(), %(actor)s, %(username)s, 'plan.draft_issued', 'plans.planversion',
    version.id::text, replace(%(version_label)s, %(placeholder)s, version.number::text),
    %(id)s, '', '', %(today)s, '', jsonb_build_object('version', version.number)
  FROM version
), notice AS (
  INSERT INTO plans_decisionnotice (case_id, kind, decided_on, letter_due_on,
    family_notified_on, created_at)
  SELECT id, 'issue_draft', %(today)s, %(letter_due)s, NULL, now() FROM moved
  RETURNING id
), letters AS (
  INSERT INTO plans_letter (notice_id, case_id, recipient_id, to_young_person, recipient_name,
    recipient_address, recipient_email, preferred_method, subject, html, pdf, created_at,
    sent_on, sent_method, sent_by_id)
  SELECT notice.id, %(id)s, (r.letter ->> 'recipient_id')::bigint,
    (r.letter ->> 'to_young_person')::boolean, r.letter ->> 'recipient_name',
    r.letter ->> 'recipient_address', r.letter ->> 'recipient_email',
    r.letter ->> 'preferred_method', r.letter ->> 'subject', r.letter ->> 'html', NULL, now(),
    NULL, '', NULL
  FROM notice, jsonb_array_elements(%(letters)s::jsonb) WITH ORDINALITY AS r(letter, position)
  ORDER BY r.position
  RETURNING id
), letters_audited AS (
  INSERT INTO {_AUDIT_COLUMNS}
  SELECT now(), %(actor)s, %(username)s, 'letters.written', 'plans.decisionnotice',
    notice.id::text, %(notice_label)s, %(id)s, '', '', %(today)s, '',
    jsonb_build_object('kind', 'issue_draft', 'letters', (SELECT count(*) FROM letters))
  FROM notice
), order_steps_done AS (
  UPDATE disputes_orderdeadline d SET done_on = %(today)s
  FROM disputes_dispute u, disputes_order o
  WHERE d.dispute_id = u.id AND d.order_id = o.id AND u.case_id = (SELECT id FROM moved)
    AND d.done_on IS NULL AND NOT d.not_needed AND o.kind IN ('assess', 'issue_plan')
    AND o.reopened_case AND d.step = 'draft_plan'
  RETURNING d.id
), order_steps_audited AS (
  INSERT INTO {_AUDIT_COLUMNS}
  SELECT now(), %(actor)s, %(username)s, 'dispute.order_steps_by_case', 'cases.case',
    %(id)s::text, %(reference)s, %(id)s, '', '', %(today)s, '',
    jsonb_build_object('transition', 'issue_draft', 'done', done.count, 'not_needed', 0)
  FROM (SELECT count(*) FROM order_steps_done) done WHERE done.count > 0
)
SELECT count(*) FROM moved
"""
