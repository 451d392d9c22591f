"""The one privileged path past the append-only logs (decision 0064): erasing a child's record
once its retention period has passed (UK GDPR art. 5(1)(e)). Used only by security.retention.

Inside `retention_erasure()` (which must run inside a transaction):
- the model-level refusals of the audit trail and both access logs allow DELETE (never an
  UPDATE, never a changed row saved);
- on PostgreSQL the transaction has `SET LOCAL ehc.retention_delete = 'on'`, which the
  append-only triggers read to let a DELETE (never an UPDATE) through.
Both end with the block: the setting is switched off again on the way out, and a rolled-back
transaction or savepoint takes it back with everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

NOT_IN_TRANSACTION = "The retention erasure path runs only inside a transaction."

_ERASING: ContextVar[bool] = ContextVar("ehc_retention_erasing", default=False)


def retention_erasure_active() -> bool:
    """True only inside `retention_erasure()`: the append-only models then allow DELETE."""
    return _ERASING.get()


def _set_database_flag(connection, value: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # set_config(..., true) is SET LOCAL: it ends with the transaction at the latest.
            cursor.execute("SELECT set_config('ehc.retention_delete', %s, true)", [value])


@contextmanager
def retention_erasure(*, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError(NOT_IN_TRANSACTION)
    _set_database_flag(connection, "on")
    token = _ERASING.set(True)
    try:
        yield
    finally:
        _ERASING.reset(token)
    # Reached only without an error (after one, the rollback undoes the setting).
    _set_database_flag(connection, "off")
