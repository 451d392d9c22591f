"""`python manage.py active_plans_from_cases [--actor USERNAME]`: every case whose final plan
was issued and which has no active plan becomes one (cases imported from the tracker before
the import did this). Safe to run again: a second run makes nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.services import ImportActorError, import_actor
from reviews.services import active_plans_from_issued_cases


class Command(BaseCommand):
    help = (
        "Make an active plan for every case whose final plan was issued and which has none "
        "(safe to run twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--actor", default=None, help="Username of the manager running it.")

    def handle(self, *args, actor=None, **options):
        try:
            user = import_actor(actor)
        except ImportActorError as exc:
            raise CommandError(str(exc)) from exc
        made = active_plans_from_issued_cases(actor=user, today=timezone.localdate())
        self.stdout.write(f"Made {made} active plans from cases with a final plan issued.")
