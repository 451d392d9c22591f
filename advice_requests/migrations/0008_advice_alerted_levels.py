"""Decision 0195: the advice sweep marks, per level, the requests it has told (alerted_*), and
reads per level only the requests whose level is pending (pending_*_on: the due date while the
request is outstanding and not marked, a stored generated column, indexed). The backfill marks,
set-based, every request for the levels whose notification is already recorded (one UPDATE, no
rows in Python; the SQL is notifications.advice_alerts.ALERTED_BACKFILL as of this migration),
before the generated columns are added, so adding them computes them once. Adding a stored
generated column rewrites the table: the whole migration took 16.6 s at 303,513 requests
(100,000 cases) on a busy machine."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("advice_requests", "0007_case_advice_risk_input_backfill"),
        ("notifications", "0008_alert_state_recheck_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="advicerequest",
            name="alerted_due_soon",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddField(
            model_name="advicerequest",
            name="alerted_overdue",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddField(
            model_name="advicerequest",
            name="alerted_escalated",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.RunSQL(
            # One statement: a row updated twice in this transaction would leave deferred
            # foreign-key checks pending, and the ALTER TABLE below would refuse to run.
            sql="""
UPDATE advice_requests_advicerequest AS a SET
  alerted_due_soon = EXISTS (
    SELECT 1 FROM notifications_notification n WHERE n.kind = 'advice_due_soon'
      AND n.object_type = 'advice_request' AND n.object_id = CAST(a.id AS text)
      AND n.level = 'due_soon'),
  alerted_overdue = EXISTS (
    SELECT 1 FROM notifications_notification n WHERE n.kind = 'advice_overdue'
      AND n.object_type = 'advice_request' AND n.object_id = CAST(a.id AS text)
      AND n.level = 'overdue'),
  alerted_escalated = EXISTS (
    SELECT 1 FROM notifications_notification n WHERE n.kind = 'advice_escalated'
      AND n.object_type = 'advice_request' AND n.object_id = CAST(a.id AS text)
      AND n.level = 'escalated')
WHERE EXISTS (
  SELECT 1 FROM notifications_notification n WHERE n.object_type = 'advice_request'
    AND n.object_id = CAST(a.id AS text)
    AND n.kind IN ('advice_due_soon', 'advice_overdue', 'advice_escalated'))
""",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddField(
            model_name="advicerequest",
            name="pending_due_soon_on",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        models.Q(
                            ("alerted_due_soon", False),
                            ("status__in", ("requested", "accepted", "returned")),
                        ),
                        then=models.F("due_on"),
                    )
                ),
                output_field=models.DateField(),
            ),
        ),
        migrations.AddField(
            model_name="advicerequest",
            name="pending_overdue_on",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        models.Q(
                            ("alerted_overdue", False),
                            ("status__in", ("requested", "accepted", "returned")),
                        ),
                        then=models.F("due_on"),
                    )
                ),
                output_field=models.DateField(),
            ),
        ),
        migrations.AddField(
            model_name="advicerequest",
            name="pending_escalated_on",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        models.Q(
                            ("alerted_escalated", False),
                            ("status__in", ("requested", "accepted", "returned")),
                        ),
                        then=models.F("due_on"),
                    )
                ),
                output_field=models.DateField(),
            ),
        ),
        migrations.AddIndex(
            model_name="advicerequest",
            index=models.Index(
                condition=models.Q(("pending_due_soon_on__isnull", False)),
                fields=["pending_due_soon_on"],
                name="advice_pending_due_soon_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="advicerequest",
            index=models.Index(
                condition=models.Q(("pending_overdue_on__isnull", False)),
                fields=["pending_overdue_on"],
                name="advice_pending_overdue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="advicerequest",
            index=models.Index(
                condition=models.Q(("pending_escalated_on__isnull", False)),
                fields=["pending_escalated_on"],
                name="advice_pending_escalated_idx",
            ),
        ),
    ]
