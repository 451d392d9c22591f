"""On PostgreSQL, refuse UPDATE of an issued plan version at the database itself (but the one
filling of its empty PDF), and any DELETE but retention's (`SET LOCAL ehc.retention_delete = 'on'`, audit.erasure), as the audit
trail's trigger does: a version once issued is what the family received, for good. Also makes
the council's letter templates from the defaults, so the admin lists them from the start."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION plans_version_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('ehc.retention_delete', true) = 'on' THEN
        RETURN OLD;
    END IF;
    -- The PDF, made from the frozen HTML after commit, may be filled in once; nothing else.
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
DROP TRIGGER IF EXISTS plans_version_frozen ON plans_planversion;
CREATE TRIGGER plans_version_frozen
    BEFORE UPDATE OR DELETE ON plans_planversion
    FOR EACH ROW EXECUTE FUNCTION plans_version_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS plans_version_frozen ON plans_planversion;
DROP FUNCTION IF EXISTS plans_version_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


def seed_templates(apps, schema_editor):
    from plans.letters import DEFAULT_TEMPLATES  # noqa: PLC0415 - plain text constants

    LetterTemplate = apps.get_model("plans", "LetterTemplate")
    for kind, (subject, body) in DEFAULT_TEMPLATES.items():
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"subject": subject, "body": body})


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_plans_letters_and_versions")]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(seed_templates, migrations.RunPython.noop),
    ]
