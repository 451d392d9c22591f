"""`python manage.py import_cases PATH.csv [--dry-run] [--actor USERNAME]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.services import ImportActorError, TrackerImportError, tracker_import
from reports.tracker_import import COLUMNS, REQUIRED_COLUMNS, read_tracker

NOTHING_IMPORTED = "{count} problem(s) found: nothing was imported."
PROGRESS_FROM_ROWS = 200
BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import cases from a spreadsheet tracker saved as CSV, all or nothing. Columns (any "
        f"order): {', '.join(COLUMNS)}; required: {', '.join(REQUIRED_COLUMNS)}. Dates as "
        "YYYY-MM-DD or DD/MM/YYYY. Every problem is reported as 'row N, column X: message'."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and rehearse the import; write nothing."
        )
        parser.add_argument(
            "--actor",
            default=None,
            help="Username of the manager the import is recorded as (default: tracker-import).",
        )

    def handle(self, *args, path, dry_run=False, actor=None, **options):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        today = timezone.localdate()
        tracker = read_tracker(raw, today=today)
        try:
            result = tracker_import(
                actor_username=actor,
                tracker=tracker,
                today=today,
                dry_run=dry_run,
                progress=self._progress,
            )
        except TrackerImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(NOTHING_IMPORTED.format(count=len(exc.errors))) from exc
        except ImportActorError as exc:
            raise CommandError(str(exc)) from exc
        if dry_run:
            self.stdout.write(
                f"Dry run: all {result.cases} rows are valid and would import "
                f"({result.exceptions} with an exception). Nothing was written."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {result.cases} cases ({result.exceptions} with an exception)."
                )
            )

    def _progress(self, done: int, total: int) -> None:
        """A progress bar on stderr for large files, redrawn every 1%."""
        if total < PROGRESS_FROM_ROWS or (done % max(1, total // 100) and done != total):
            return
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stderr.write(f"\rImporting [{bar}] {done}/{total} rows", ending="")
        if done == total:
            self.stderr.write("")
        self.stderr.flush()
