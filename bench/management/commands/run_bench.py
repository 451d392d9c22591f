"""`manage.py run_bench [--repeat 5] [--api-seconds 60] [--only sweep,reports]`: the issue 8
benchmarks against the configured PostgreSQL database, printed as a Markdown table."""

from __future__ import annotations

import datetime
import logging
import platform

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench import api_cost, load, plan_pdf, suite
from bench.generate import generated_cases, real_cases
from bench.timing import table

BENCHMARKS = {
    "sweep": suite.bench_sweep,
    "agenda": suite.bench_agenda,
    "reports": suite.bench_reports,
    "dashboard_parts": suite.bench_dashboard_parts,
    "partner_inbox": suite.bench_partner_inbox,
    "api": None,
    "api_scale": None,
    "api_cost": api_cost.bench_api_cost,
    "transitions": suite.bench_transitions,
    "import": suite.bench_import,
    "duplicates": suite.bench_duplicates,
    "forecasts": suite.bench_forecasts,
    "plan_pdf": plan_pdf.bench_plan_pdf,
    "case_export": suite.bench_case_export,
    "review_sweep": suite.bench_review_sweep,
    "sen2": suite.bench_sen2,
    "family_pages": suite.bench_family_pages,
}
#: Benchmarks that need no generated population (they build their own input).
NO_POPULATION = {"plan_pdf"}
NO_DATA = "No generated cases here: run `manage.py generate_cases` first (make bench does)."
REAL_DATA = "This database holds real cases: benchmarks write (transitions), so refusing."


class Command(BaseCommand):
    help = "Run the issue 8 benchmarks and print the results table."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--api-seconds", type=int, default=60)
        parser.add_argument("--only", default=",".join(BENCHMARKS))
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)
        parser.add_argument(
            "--profile",
            type=int,
            default=0,
            help="api_cost: also print a cProfile of this many app requests per endpoint.",
        )

    def handle(self, *args, repeat, api_seconds, only, today, profile, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmarks run on PostgreSQL only.")
        generated = generated_cases().count()
        if not set(only.split(",")) <= NO_POPULATION:
            if not generated:
                raise CommandError(NO_DATA)
            if real_cases().exists():
                raise CommandError(REAL_DATA)
        today = today or timezone.localdate()
        # WeasyPrint logs each page it lays out at INFO; the table is what this command prints.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM cases_case WHERE status IN "
                "('received', 'assessing', 'drafting', 'draft_issued')"
            )
            open_cases = cursor.fetchone()[0]
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
        self.stdout.write(
            f"{generated:,} cases ({open_cases:,} open) on {version}; today {today}; "
            f"{repeat} runs each; {platform.node()} {platform.machine()}"
        )
        results = []
        for name in only.split(","):
            if name not in BENCHMARKS:
                raise CommandError(f"Unknown benchmark {name}: choose from {', '.join(BENCHMARKS)}")
            self.stderr.write(f"running {name}...")
            if name == "api":
                results += load.bench_api(seconds=api_seconds)
            elif name == "api_scale":
                results += load.bench_api_scale(seconds=api_seconds)
            elif name == "api_cost" and profile:
                results += api_cost.bench_api_cost(
                    today, repeat, profile=profile, write=self.stderr.write
                )
            else:
                results += BENCHMARKS[name](today, repeat)
        self.stdout.write(table(results))
