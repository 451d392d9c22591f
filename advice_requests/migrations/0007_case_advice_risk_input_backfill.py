"""Decision 0190: every case's earliest outstanding advice due date, set-based (one UPDATE ...
FROM the outstanding requests grouped by case; seconds at 1,000,000 cases). The SQL is
advice_requests.risk_inputs.BACKFILL as of this migration."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("advice_requests", "0006_advice_submitted_on_index"),
        ("cases", "0012_case_risk_inputs"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                """
UPDATE cases_case SET outstanding_advice_due = NULL
WHERE outstanding_advice_due IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM advice_requests_advicerequest a
  WHERE a.case_id = cases_case.id AND a.status IN ('requested', 'accepted', 'returned')
)
""",
                """
UPDATE cases_case SET outstanding_advice_due = a.due_on
FROM (
  SELECT case_id, min(due_on) AS due_on FROM advice_requests_advicerequest
  WHERE status IN ('requested', 'accepted', 'returned') GROUP BY case_id
) a
WHERE a.case_id = cases_case.id
  AND cases_case.outstanding_advice_due IS DISTINCT FROM a.due_on
""",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
