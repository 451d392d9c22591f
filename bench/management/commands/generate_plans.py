"""`manage.py generate_plans --plans 600000 [--seed N] [--today YYYY-MM-DD]`: the benchmark's
active plans, by COPY, beside the generated cases. PostgreSQL only."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench.plans import generate_plans, generated_plans


class Command(BaseCommand):
    help = "Generate a reproducible synthetic population of active plans for the benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, default=600_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, plans, seed, today, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The generator writes with PostgreSQL COPY: use PostgreSQL.")
        if generated_plans().exists():
            raise CommandError("Generated plans are already here: use a fresh database.")
        counts = generate_plans(plans=plans, seed=seed, today=today or timezone.localdate())
        self.stdout.write(", ".join(f"{name}: {count:,}" for name, count in counts.items()))
