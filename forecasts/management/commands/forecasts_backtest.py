"""Replay the history: forecast each case at week 8 with only what was known then, compare with
what happened, print the figures and store them for the dashboard (decision 0128)."""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from forecasts.backtest import backtest_database, backtest_store
from forecasts.durations import window_days


class Command(BaseCommand):
    help = "Backtest the forecasts against this database's history and store the accuracy."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)
        parser.add_argument(
            "--period-days",
            type=int,
            default=365,
            help="Cases whose week 8 fell in this many days before today.",
        )
        parser.add_argument(
            "--source",
            default="this council's history",
            help="What was replayed, in words (shown on the dashboard).",
        )
        parser.add_argument("--no-store", action="store_true", help="Print only.")

    def handle(self, *args, today, period_days, source, no_store, **options):
        today = today or timezone.localdate()
        started = time.perf_counter()
        figures = backtest_database(today=today, period_days=period_days, window=window_days())
        seconds = time.perf_counter() - started
        share = (
            f"{100 * figures.breaches_flagged / figures.breaches:.0f}%" if figures.breaches else "-"
        )
        self.stdout.write(
            f"Backtest of {source}: {figures.cases} cases with week 8 from "
            f"{figures.period_from} to {figures.period_to} ({seconds:.1f} s)\n"
            f"  median absolute error of the likely final plan date: "
            f"{figures.median_absolute_error_days} days\n"
            f"  20-week breaches: {figures.breaches}; forecast to miss at week 8: "
            f"{figures.breaches_flagged} ({share})\n"
            f"  forecast to miss: {figures.flagged}; false alarms (on time after all): "
            f"{figures.false_alarms} of {figures.cases - figures.breaches} on time\n"
            f"  no forecast (no history for a stage): {figures.no_forecast}"
        )
        if not no_store:
            backtest_store(figures, source=source)
