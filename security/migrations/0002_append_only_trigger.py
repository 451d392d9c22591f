"""PostgreSQL refuses any UPDATE or DELETE of the record access log, as for the audit trail.
The one exception is a transaction that has run `SET LOCAL ehc.retention_delete = 'on'`: the
documented privileged path for erasing a child's record past its retention date (decision
0062). It guards against the application's mistakes, not against the database owner."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION security_record_access_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('ehc.retention_delete', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'the record access log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER security_record_access_append_only
    BEFORE UPDATE OR DELETE ON security_recordaccess
    FOR EACH ROW EXECUTE FUNCTION security_record_access_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS security_record_access_append_only ON security_recordaccess;
DROP FUNCTION IF EXISTS security_record_access_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_record_access")]
    operations = [migrations.RunPython(forwards, backwards)]
