"""The Celery application and the whole beat schedule, declared here and nowhere else.

Every scheduled job is safe to run twice: deadlines live in the database, so a missed or
repeated run only delays or repeats work that is already idempotent.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ehc_workflow.settings.local")

app = Celery("ehc_workflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule: one place for anyone to read when things run.
app.conf.beat_schedule = {}
