"""`python manage.py timeliness_report --year 2023 [--format table|csv|json]`."""

import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.timeliness import KEYS, LABELS, display_row, timeliness_report

FORMATS = ("table", "csv", "json")


class Command(BaseCommand):
    help = (
        "The 20-week timeliness of final plans for a calendar year, per month of issue and "
        "cumulatively (ehc-process.md section 7). JSON and CSV keep exact percentages; the "
        "table rounds them half up to whole numbers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Calendar year (default: this).")
        parser.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args, year=None, format="table", **options):
        year = year or timezone.localdate().year
        if not 1900 <= year <= 9999:
            raise CommandError("Give a four-digit calendar year.")
        report = timeliness_report(year=year)
        if format == "json":
            self.stdout.write(json.dumps(report, indent=2))
        elif format == "csv":
            self._write_csv(report)
        else:
            self._write_table(report)

    def _write_csv(self, report):
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["month", *KEYS])
        for row in [*report["months"], {"month": "total", **report["total"]}]:
            writer.writerow([row["month"], *("" if row[k] is None else row[k] for k in KEYS)])

    def _write_table(self, report):
        header = [LABELS["month"], *(LABELS[key] for key in KEYS)]
        rows = [
            [row["month"], *_cells(display_row(row))]
            for row in [*report["months"], {"month": "Total", **report["total"]}]
        ]
        widths = [max(len(str(line[i])) for line in [header, *rows]) for i in range(len(header))]
        self.stdout.write(f"20-week timeliness of final EHC plans, {report['year']}")
        for line in [header, *rows]:
            self.stdout.write(
                "  ".join(str(cell).rjust(width) for cell, width in zip(line, widths, strict=True))
            )


def _cells(row):
    for key in KEYS:
        value = row[key]
        if value is None:
            yield "-"
        elif key.endswith("_pct"):
            yield f"{value}%"
        else:
            yield value
