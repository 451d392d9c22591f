"""`python manage.py export_sen2 --year 2026 --output DIR`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.sen2 import export_sen2


class Command(BaseCommand):
    help = (
        "Write person-level CSVs (person, requests, assessment, named plan, SEN need) with DfE "
        "SEN2 item names for the cases active in a calendar year. See docs/sen2.md. The files "
        "hold children's personal data and are written readable by their owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Calendar year of activity.")
        parser.add_argument("--output", type=Path, required=True, help="Directory to write to.")

    def handle(self, *args, year, output, **options):
        if not 2014 <= year <= 9999:
            raise CommandError("Give a calendar year from 2014 (the 2014 Act) onwards.")
        if output.exists() and not output.is_dir():
            raise CommandError(f"{output} exists and is not a directory.")
        for name, count in export_sen2(year=year, output=output).items():
            self.stdout.write(f"{output / name}: {count} rows")
