"""The retention path through the advice access log's trigger (decision 0064): DELETE is let
through only when the transaction has run `SET LOCAL ehc.retention_delete = 'on'`
(audit.erasure, used only by security.retention). UPDATE is always refused, as is every other
DELETE. It guards against the application's mistakes, not against the database owner."""

from django.db import migrations

ALLOW_RETENTION_DELETE = """
CREATE OR REPLACE FUNCTION advice_access_log_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('ehc.retention_delete', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'the advice access log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

REFUSE_EVERYTHING = """
CREATE OR REPLACE FUNCTION advice_access_log_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'the advice access log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_RETENTION_DELETE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_EVERYTHING)


class Migration(migrations.Migration):
    dependencies = [("advice_requests", "0002_access_log_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
