"""The deadline sweep: find, set-based in SQL, what changed since the last run and record the
alerts owed. It lives in the notifications app because alerts are what it produces; the risk it
reads is cases' own SQL annotation (`Case.objects.with_risk`).

Each app with deadlines registers a *sweep source* (cases here; advice requests and panels
register theirs from their own AppConfig.ready), a callable `source(*, today, now) -> int`
returning how many alerts it offered. Every source must be idempotent: it compares the current
derived state with the last state it recorded, writes only what changed, and records alerts
under the notification's unique key. A missed run, two runs at once or a flushed broker
therefore only delay alerts: deadlines live in the database, never in ETA tasks.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

SweepSource = Callable[..., int]

#: name -> source, run in registration order.
SWEEP_SOURCES: dict[str, SweepSource] = {}


def register_sweep_source(name: str, source: SweepSource) -> None:
    SWEEP_SOURCES.setdefault(name, source)


def sweep_run(
    *, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Run every source for `today` (the date in London). Returns alerts offered per source."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    return {name: source(today=today, now=now) for name, source in SWEEP_SOURCES.items()}
