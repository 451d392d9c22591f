"""Decision 0199: the plans sweep marks what it has alerted, so it reads only what can owe.

The marks are added with a constant default (no table rewrite on PostgreSQL 11+), then their
indexes, then the issued-version trigger is taught that the sweep may set a draft's mark
once (as the PDF is filled once), and last the alerts already recorded are marked: one
set-based UPDATE per table (last, so no index or trigger change follows an update in this
transaction). The backfill's SQL runs on SQLite too."""

from django.db import migrations, models

#: Migration 0002's function, with one more change allowed: `comments_due_alerted` set once by
#: the sweep, everything else (the PDF too) unchanged.
TRIGGER = """
CREATE OR REPLACE FUNCTION plans_version_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('ehc.retention_delete', true) = 'on' THEN
        RETURN OLD;
    END IF;
    -- The PDF, made from the frozen HTML after commit, may be filled in once; the sweep's
    -- mark (decision 0199) may be set once; nothing else.
    IF TG_OP = 'UPDATE'
       AND ROW(NEW.id, NEW.plan_id, NEW.number, NEW.kind, NEW.issued_on, NEW.issued_by_id,
               NEW.snapshot::text, NEW.html, NEW.created_at)
           IS NOT DISTINCT FROM
           ROW(OLD.id, OLD.plan_id, OLD.number, OLD.kind, OLD.issued_on, OLD.issued_by_id,
               OLD.snapshot::text, OLD.html, OLD.created_at)
       AND ((OLD.pdf IS NULL AND NEW.pdf IS NOT NULL
             AND NEW.comments_due_alerted = OLD.comments_due_alerted)
            OR (NOT OLD.comments_due_alerted AND NEW.comments_due_alerted
                AND NEW.pdf IS NOT DISTINCT FROM OLD.pdf)) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'an issued plan version cannot be changed: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

#: Migration 0002's function as it was.
TRIGGER_BEFORE = """
CREATE OR REPLACE FUNCTION plans_version_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('ehc.retention_delete', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.pdf IS NULL AND NEW.pdf IS NOT NULL
       AND ROW(NEW.id, NEW.plan_id, NEW.number, NEW.kind, NEW.issued_on, NEW.issued_by_id,
               NEW.snapshot::text, NEW.html, NEW.created_at)
           IS NOT DISTINCT FROM
           ROW(OLD.id, OLD.plan_id, OLD.number, OLD.kind, OLD.issued_on, OLD.issued_by_id,
               OLD.snapshot::text, OLD.html, OLD.created_at) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'an issued plan version cannot be changed: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

#: Every alert already recorded, marked: what plans.alerts.sweep_plans would have marked.
BACKFILL = [
    """
UPDATE plans_planversion SET comments_due_alerted = TRUE
WHERE kind = 'draft' AND NOT comments_due_alerted AND EXISTS (
  SELECT 1 FROM notifications_notification n
  WHERE n.kind = 'family_comments_due' AND n.object_type = 'plan_version'
    AND n.object_id = CAST(plans_planversion.id AS TEXT)
)
""",
    """
UPDATE plans_consultation SET late_alerted = TRUE
WHERE NOT late_alerted AND EXISTS (
  SELECT 1 FROM notifications_notification n
  WHERE n.kind = 'consultation_late' AND n.object_type = 'consultation'
    AND n.object_id = CAST(plans_consultation.id AS TEXT)
)
""",
]


def trigger_allows_mark(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def trigger_as_before(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_case_plan_risk_inputs_backfill"),
        ("notifications", "__first__"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultation",
            name="late_alerted",
            field=models.BooleanField(
                db_default=False,
                default=False,
                editable=False,
                help_text="The sweep recorded the alert that this school or college is late "
                "(decision 0199); written by the sweep alone.",
            ),
        ),
        migrations.AddField(
            model_name="planversion",
            name="comments_due_alerted",
            field=models.BooleanField(
                db_default=False,
                default=False,
                editable=False,
                help_text="The sweep recorded the alert for the family's last day for comments "
                "on this draft (decision 0199): set once, by the sweep, not part of what the "
                "family received.",
            ),
        ),
        migrations.AddIndex(
            model_name="consultation",
            index=models.Index(
                condition=models.Q(("answer", ""), ("late_alerted", False)),
                fields=["due_on"],
                name="consultation_late_owing",
            ),
        ),
        migrations.AddIndex(
            model_name="planversion",
            index=models.Index(
                models.Case(
                    models.When(
                        models.Q(("comments_due_alerted", False), ("kind", "draft")),
                        then=models.F("issued_on"),
                    ),
                    output_field=models.DateField(),
                ),
                name="draft_comments_pending_on",
            ),
        ),
        migrations.RunPython(trigger_allows_mark, trigger_as_before),
        migrations.RunSQL(sql=BACKFILL, reverse_sql=migrations.RunSQL.noop),
    ]
