"""Stage durations: recomputed nightly from the history (forecasts.history), stored as a small
table (StageDuration: one row per stage and per partner service), read back as `Distributions`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from advice_requests.models import PartnerService

from . import history
from .models import DurationKind, StageDuration
from .survival import Curve, kaplan_meier

DEFAULT_WINDOW_DAYS = 365


def window_days() -> int:
    """How far back the history reaches (EHC_FORECAST_WINDOW_DAYS; 12 months by default)."""
    return int(getattr(settings, "EHC_FORECAST_WINDOW_DAYS", DEFAULT_WINDOW_DAYS))


@dataclass
class Distributions:
    """The curves a forecast reads: per stage (a case status) and per advice service key."""

    stages: dict[str, Curve] = field(default_factory=dict)
    advice: dict[str, Curve] = field(default_factory=dict)
    service_names: dict[str, str] = field(default_factory=dict)
    #: What the forecasts of one run share (curves, sentences by days spent): 600,000 open
    #: cases fall into a few thousand (stage, days) pairs, so each is worked out once.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def stage(self, status: str) -> Curve | None:
        key = ("stage", status)
        if key not in self.memo:
            self.memo[key] = _usable(self.stages.get(status))
        return self.memo[key]

    def advice_for(self, key: str) -> Curve | None:
        memo_key = ("advice", key)
        if memo_key not in self.memo:
            self.memo[memo_key] = _usable(self.advice.get(key))
        return self.memo[memo_key]


def _usable(curve: Curve | None) -> Curve | None:
    """A curve to forecast from: enough finished spells, and a known median (with most spells
    still open, the curve may never fall to one half: then we do not know the median)."""
    if curve is None or not curve.known or curve.quantile(0.5) is None:
        return None
    return curve


def curves_from_rows(rows: list[tuple]) -> dict[str, Curve]:
    """Group (key, days, finished, count[, entry]) rows by key and fit a curve to each."""
    by_key: dict[str, list[tuple]] = defaultdict(list)
    for key, *rest in rows:
        by_key[key].append(tuple(rest))
    return {key: kaplan_meier(key_rows) for key, key_rows in by_key.items()}


def distributions_compute(*, today: datetime.date, window: int | None = None) -> Distributions:
    """The curves from the history as it stands today (three grouped statements)."""
    window_from = today - datetime.timedelta(days=window or window_days())
    stage_rows = history.grouped_stage_spells(window_from=window_from, today=today)
    advice_rows = history.grouped_advice_spells(window_from=window_from, today=today)
    return Distributions(
        stages=curves_from_rows(stage_rows),
        advice=curves_from_rows(advice_rows),
        service_names=service_names(),
    )


def service_names() -> dict[str, str]:
    names = {str(pk): name for pk, name in PartnerService.objects.values_list("pk", "name")}
    names[history.PARENT_VIEWS_KEY] = "the family"
    return names


@transaction.atomic
def stage_durations_store(
    *, distributions: Distributions, today: datetime.date, window: int | None = None
) -> int:
    """Replace the stored table with these curves (idempotent: the same day twice stores the
    same rows). Returns the rows stored."""
    window_from = today - datetime.timedelta(days=window or window_days())
    now = timezone.now()
    rows = []
    for kind, curves in (
        (DurationKind.STAGE, distributions.stages),
        (DurationKind.ADVICE, distributions.advice),
    ):
        for key, curve in curves.items():
            rows.append(
                StageDuration(
                    kind=kind,
                    key=key,
                    service_id=int(key) if kind == DurationKind.ADVICE and key.isdigit() else None,
                    window_from=window_from,
                    window_to=today,
                    finished=curve.finished,
                    censored=curve.censored,
                    median_days=curve.quantile(0.5) if curve.known else None,
                    p90_days=curve.quantile(0.9) if curve.known else None,
                    curve=curve.as_json(),
                    computed_at=now,
                )
            )
    StageDuration.objects.all().delete()
    StageDuration.objects.bulk_create(rows)
    return len(rows)


def distributions_stored() -> Distributions:
    """The curves the last nightly run stored (one query, plus the service names)."""
    stored = Distributions(service_names=service_names())
    for row in StageDuration.objects.all():
        target = stored.stages if row.kind == DurationKind.STAGE else stored.advice
        target[row.key] = Curve.from_json(row.curve)
    return stored
