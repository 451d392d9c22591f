"""Decision 0190: every case's earliest unanswered consultation and unsent decision letter due
dates, set-based. The SQL is plans.risk_inputs.BACKFILL as of this migration."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_family_portal_comments"),
        ("cases", "0012_case_risk_inputs"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                """
UPDATE cases_case SET consultation_answer_due = NULL
WHERE consultation_answer_due IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM plans_consultation k JOIN plans_plan p ON p.id = k.plan_id
  WHERE p.case_id = cases_case.id AND k.answer = ''
)
""",
                """
UPDATE cases_case SET consultation_answer_due = k.due_on
FROM (
  SELECT p.case_id, min(k.due_on) AS due_on FROM plans_consultation k
  JOIN plans_plan p ON p.id = k.plan_id WHERE k.answer = '' GROUP BY p.case_id
) k
WHERE k.case_id = cases_case.id
  AND cases_case.consultation_answer_due IS DISTINCT FROM k.due_on
""",
                """
UPDATE cases_case SET decision_letter_due = NULL
WHERE decision_letter_due IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM plans_decisionnotice n
  WHERE n.case_id = cases_case.id AND n.family_notified_on IS NULL
)
""",
                """
UPDATE cases_case SET decision_letter_due = n.due_on
FROM (
  SELECT case_id, min(letter_due_on) AS due_on FROM plans_decisionnotice
  WHERE family_notified_on IS NULL GROUP BY case_id
) n
WHERE n.case_id = cases_case.id
  AND cases_case.decision_letter_due IS DISTINCT FROM n.due_on
""",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
