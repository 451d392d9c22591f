"""Scheduled panel work: meetings created ahead, agendas built on their lead-time day.
Both are idempotent, so a missed or repeated run only delays or repeats nothing."""

from celery import shared_task
from django.utils import timezone

from .agenda import agenda_build
from .selectors import meetings_due_for_agenda_build
from .services import meetings_generate


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def generate_meetings():
    return meetings_generate(today=timezone.localdate())


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def build_due_agendas():
    built = 0
    for meeting in meetings_due_for_agenda_build(today=timezone.localdate()):
        agenda_build(meeting=meeting)
        built += 1
    return built
