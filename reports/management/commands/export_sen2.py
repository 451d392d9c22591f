"""`python manage.py export_sen2 --year 2026 --output DIR [--check]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.sen2 import census_date, export_sen2, sen2_rows
from reports.sen2_validation import validate

BLOCKED = "{count} problem(s) block the return: nothing was written. Fix them and run again."


class Command(BaseCommand):
    help = (
        "Check, then write, the SEN2 return for a calendar year: one person-level CSV per "
        "module (person, requests, assessment, named plan, plan detail, active plans, "
        "placement detail, SEN need) with DfE item names. See docs/sen2.md. Any problem that "
        "would block the return is listed per child and nothing is written. The files hold "
        "children's personal data and are written readable by their owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Calendar year of activity.")
        parser.add_argument("--output", type=Path, help="Directory to write to.")
        parser.add_argument("--check", action="store_true", help="Validate only; write nothing.")

    def handle(self, *args, year, output=None, check=False, **options):
        if not 2014 <= year <= 9998:
            raise CommandError("Give a calendar year from 2014 (the 2014 Act) onwards.")
        if not check and output is None:
            raise CommandError("Give --output DIR (or --check to validate only).")
        if output is not None and output.exists() and not output.is_dir():
            raise CommandError(f"{output} exists and is not a directory.")
        modules = sen2_rows(year=year)
        problems = validate(modules, census=census_date(year + 1))
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(BLOCKED.format(count=len(problems)))
        if check:
            self.stdout.write(f"The {year} return is valid: nothing blocks it.")
            return
        for name, count in export_sen2(year=year, output=output, modules=modules).items():
            self.stdout.write(f"{output / name}: {count} rows")
