"""Decision 0190: the sweep reads only what changed. After the upgrade every alert state is
due for one recheck (its recheck date set to 1 January 0001, before any today), and every open
case without one is flagged, so the first sweep sees everything once; set-based, two
statements."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_case_risk_recheck"),
        ("notifications", "0007_family_responded_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="casealertstate",
            name="recheck_on",
            field=models.DateField(
                blank=True,
                help_text="The first day the risk would change with nothing else changing (at risk, overdue): the sweep rechecks the case that day. Empty when only a change can move it.",
                null=True,
            ),
        ),
        migrations.RunSQL(
            sql=[
                "UPDATE notifications_casealertstate SET recheck_on = '0001-01-01'",
                """
INSERT INTO cases_caseriskrecheck (case_id, flagged_at)
SELECT id, CURRENT_TIMESTAMP FROM cases_case
WHERE status IN ('received', 'assessing', 'drafting', 'draft_issued') AND NOT EXISTS (
  SELECT 1 FROM notifications_casealertstate s WHERE s.case_id = cases_case.id
)""",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="casealertstate",
            index=models.Index(fields=["recheck_on"], name="alert_state_recheck_on"),
        ),
    ]
