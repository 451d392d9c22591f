"""Start a real `celery worker -B` subprocess against pytest-django's test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    """The worker must use pytest-django's test database (test_<name>), not the real one."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`celery worker -B` in its own process group, on a queue no one else uses."""

    def __init__(
        self,
        *,
        queue: str,
        workdir: Path,
        name: str,
        smtp_port: int | None = None,
        broker: str | None = None,
    ):
        self.log = workdir / f"{name}.log"
        email = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "10",
        }
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ehc_workflow.settings.local",
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": broker or settings.REDIS_URL,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "CELERY_BEAT_SCHEDULE_FILENAME": str(workdir / f"{name}-beat"),
            **(
                email
                if smtp_port
                else {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
            ),
            "EHC_DELIVERY_INTERVAL_SECONDS": "1",
            "EHC_SWEEP_INTERVAL_SECONDS": "3600",
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ehc_workflow",
            "worker",
            "-B",
            "-P",
            "solo",
            "-Q",
            queue,
            "-n",
            f"{name}-{queue}@%h",
            "-l",
            "info",
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL the worker and its embedded beat: no chance to clean up or acknowledge."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]
