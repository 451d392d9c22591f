"""Run the nightly recompute now (the same service the beat task calls)."""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from forecasts.services import forecasts_recompute


class Command(BaseCommand):
    help = "Recompute the stage durations and every open case's forecast."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, today, **options):
        started = time.perf_counter()
        result = forecasts_recompute(today=today or timezone.localdate())
        self.stdout.write(
            f"{result.durations} durations, {result.forecasts} case forecasts "
            f"({result.forecast_to_miss} forecast to miss 20 weeks) in "
            f"{time.perf_counter() - started:.1f} s"
        )
