"""The Celery application and the whole beat schedule, declared here and nowhere else.

Every scheduled job is safe to run twice: deadlines live in the database, so a missed or
repeated run only delays or repeats work that is already idempotent.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ehc_workflow.settings.local")

app = Celery("ehc_workflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule: one place for anyone to read when things run. Every job is idempotent.
app.conf.beat_schedule = {
    "panels-generate-meetings": {
        # Keeps each panel's meetings 8 weeks ahead (bank holidays skipped or moved).
        "task": "panels.tasks.generate_meetings",
        "schedule": crontab(hour=5, minute=30),
    },
    "panels-build-due-agendas": {
        # Builds each agenda on its lead-time day; hourly so a missed run only delays it.
        "task": "panels.tasks.build_due_agendas",
        "schedule": crontab(minute=5),
    },
}
