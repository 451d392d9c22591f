"""The nightly retention task (decision 0064): thin, argument-free, safe to run twice (a second
run the same day finds nothing new and writes nothing). A child whose deletion fails is
reported in the run and tried again the next night; a database outage is retried."""

from celery import shared_task
from django.db import DatabaseError

from .retention import retention_apply


@shared_task(
    name="security.apply_retention",
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def apply_retention() -> dict:
    return retention_apply().counts()
