"""Suite-wide fixtures and the rule that CI never skips what it must prove.

Tests marked `postgres` or `redis` need the real service. Locally, without it, they skip; with
`CI` set they fail, so a green CI run always means PostgreSQL and Redis were exercised.
"""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

IN_CI = bool(os.environ.get("CI"))


def _redis_answers() -> bool:
    url = urlparse(settings.REDIS_URL)
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def _missing(what: str) -> None:
    message = f"this test needs {what}"
    if IN_CI:
        pytest.fail(f"{message}, and CI is set: it must not be skipped.")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _advice_documents_in_tmp(settings, tmp_path):
    """Advice documents uploaded by any test land in the test's own directory, never in var/."""
    settings.EHC_ADVICE_STORAGE_DIR = str(tmp_path / "advice-documents")


def pytest_runtest_setup(item):
    needs_postgres = item.get_closest_marker("postgres")
    if (
        needs_postgres
        and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        _missing("PostgreSQL (set DATABASE_URL)")
    if item.get_closest_marker("redis") and not _redis_answers():
        _missing(f"Redis at {settings.REDIS_URL}")


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"ehc-workflow: database={engine} CI={'yes' if IN_CI else 'no'}"
