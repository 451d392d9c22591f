"""`manage.py generate_cases --cases 1000000 [--seed N] [--today YYYY-MM-DD]`: the benchmark
population, by COPY, with a progress bar. PostgreSQL only."""

from __future__ import annotations

import datetime
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench.generate import generate, generated_cases, real_cases

REAL_CASES_PRESENT = (
    "This database holds {n} cases that were not generated: refusing to add synthetic cases "
    "to it. Use --force only on a database made for benchmarks."
)
ALREADY_GENERATED = (
    "This database already holds {n} generated cases: use a fresh database (or --if-empty)."
)
POSTGRES_ONLY = (
    "The generator writes with PostgreSQL COPY: set DATABASE_URL to a PostgreSQL database."
)


class Command(BaseCommand):
    help = "Generate a reproducible synthetic population of cases for the benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--open-share", type=float, default=0.6)
        parser.add_argument(
            "--force", action="store_true", help="Add to a database holding real cases."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when generated cases are already here (make bench).",
        )

    def handle(self, *args, cases, seed, today, open_share, force, if_empty, **options):
        if connection.vendor != "postgresql":
            raise CommandError(POSTGRES_ONLY)
        real = real_cases().count()
        if real and not force:
            raise CommandError(REAL_CASES_PRESENT.format(n=real))
        existing = generated_cases().count()
        if existing and if_empty:
            self.stdout.write(f"{existing:,} generated cases already here: not generating.")
            return
        if existing:
            raise CommandError(ALREADY_GENERATED.format(n=existing))
        today = today or timezone.localdate()
        started = time.monotonic()
        done = 0

        def progress(n):
            nonlocal done
            done += n
            width = 40
            filled = int(width * done / max(cases, 1))
            rate = done / max(time.monotonic() - started, 1e-6)
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{cases:,} cases "
                f"({rate:,.0f}/s)"
            )
            sys.stderr.flush()

        counts = generate(
            cases=cases, seed=seed, today=today, open_share=open_share, progress=progress
        )
        sys.stderr.write("\n")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum does for a database in service: statistics, and the visibility
            # map that index-only scans need (decision 0076), so plans are a running system's.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        self.stdout.write(
            f"Generated {counts['cases']:,} cases ({counts['open']:,} open), "
            f"{counts['audit']:,} audit entries, {counts['advice']:,} advice requests "
            f"for {today} with seed {seed} in {time.monotonic() - started:.0f} s."
        )
