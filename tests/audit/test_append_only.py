import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry, AuditImmutableError
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_the_application_cannot_change_or_delete_audit_rows():
    case = make_case()
    entry = AuditEntry.objects.get(case=case)
    entry.reason = "rewritten"
    with pytest.raises(AuditImmutableError):
        entry.save()
    with pytest.raises(AuditImmutableError):
        entry.delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_postgres_trigger_refuses_update_and_delete(sql):
    case = make_case()
    entry = AuditEntry.objects.get(case=case)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, reason="").exists()
