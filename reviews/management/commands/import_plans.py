"""`python manage.py import_plans PATH.csv [--dry-run] [--actor USERNAME]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.services import ImportActorError
from reviews.plan_import import COLUMNS, REQUIRED_COLUMNS, PlanImportError, plans_import, read_plans

NOTHING_IMPORTED = "{count} problem(s) found: nothing was imported."


class Command(BaseCommand):
    help = (
        "Import the active EHC plans the council already maintains from a CSV, all or nothing. "
        f"Columns (any order): {', '.join(COLUMNS)}; required: {', '.join(REQUIRED_COLUMNS)}. "
        "Dates as YYYY-MM-DD or DD/MM/YYYY. Every problem is reported as 'row N, column X'."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check; write nothing.")
        parser.add_argument("--actor", default=None, help="Username of the importing manager.")

    def handle(self, *args, path, dry_run=False, actor=None, **options):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        today = timezone.localdate()
        try:
            result = plans_import(
                plans=read_plans(raw, today=today),
                today=today,
                actor_username=actor,
                dry_run=dry_run,
            )
        except PlanImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(NOTHING_IMPORTED.format(count=len(exc.errors))) from exc
        except ImportActorError as exc:
            raise CommandError(str(exc)) from exc
        prefix = "Dry run: would import" if dry_run else "Imported"
        self.stdout.write(
            f"{prefix} {result.plans} active plans ({result.children_created} new children)."
        )
