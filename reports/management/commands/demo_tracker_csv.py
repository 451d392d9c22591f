"""`python manage.py demo_tracker_csv --rows 10000 --output tracker.csv`: a synthetic tracker.

Entirely made-up children and dates, in the import's format, for demos and for measuring the
import (docs/decisions/0042). The same seed always gives the same file.
"""

import csv
import datetime
import random
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.models import ExceptionGround, PrimaryNeed
from reports.tracker_import import COLUMNS

FIRST = ["Alex", "Sam", "Jordan", "Riley", "Kai", "Noor", "Ada", "Milo", "Zara", "Ivy", "Leo"]
LAST = ["Example", "Sample", "Testwell", "Placeholder", "Fictional", "Madeup", "Specimen"]


def synthetic_rows(count: int, *, today: datetime.date, seed: int = 2026):
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    days = datetime.timedelta
    for i in range(count):
        received = today - days(days=rng.randint(30, 5 * 365))
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            reference=f"TRK-{i + 1:06d}",
            child_first_name=rng.choice(FIRST),
            child_last_name=rng.choice(LAST),
            date_of_birth=(received - days(days=rng.randint(3 * 365, 17 * 365))).isoformat(),
            primary_need=rng.choice(PrimaryNeed.values),
            request_source=str(rng.randint(1, 5)),
            received_on=received.strftime("%d/%m/%Y") if i % 2 else received.isoformat(),
        )
        steps = [
            ("assessment_decision_on", received + days(days=rng.randint(25, 50))),
            ("plan_decision_on", received + days(days=rng.randint(90, 115))),
            ("draft_issued_on", received + days(days=rng.randint(116, 128))),
            ("final_issued_on", received + days(days=rng.randint(132, 170))),
        ]
        for name, on in steps:
            if on > today:
                break
            row[name] = on.isoformat()
            if name.endswith("decision_on"):
                declined = rng.random() < 0.15
                row[name.removesuffix("_on")] = "declined" if declined else "agreed"
                if declined:
                    break
        if row["final_issued_on"] and rng.random() < 0.1:
            row["exception_ground"] = rng.choice(ExceptionGround.values)
            row["exception_agreed_on"] = row["draft_issued_on"]
        yield row


class Command(BaseCommand):
    help = "Write a synthetic spreadsheet tracker (CSV) in the format import_cases reads."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=200)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, rows, output, seed, **options):
        today = timezone.localdate()
        with output.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(synthetic_rows(rows, today=today, seed=seed))
        self.stdout.write(f"Wrote {rows} synthetic cases to {output}.")
