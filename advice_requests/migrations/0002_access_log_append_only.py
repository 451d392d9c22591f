"""On PostgreSQL, refuse UPDATE and DELETE on the access log at the database itself, as for the
audit trail (section 8: every partner read is logged, and the log cannot be rewritten)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION advice_access_log_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'the advice access log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS advice_access_log_append_only ON advice_requests_accesslog;
CREATE TRIGGER advice_access_log_append_only
    BEFORE UPDATE OR DELETE ON advice_requests_accesslog
    FOR EACH ROW EXECUTE FUNCTION advice_access_log_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS advice_access_log_append_only ON advice_requests_accesslog;
DROP FUNCTION IF EXISTS advice_access_log_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("advice_requests", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
