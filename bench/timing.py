"""Repeated timings, their median and 95th percentile, and the results table."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction


class _Rollback(Exception):  # noqa: N818 - a control-flow signal, not an error
    pass


def rolled_back(fn: Callable[[], object]) -> Callable[[], object]:
    """Run `fn` in a transaction that is then rolled back, so every repeat sees the same data."""

    def run():
        try:
            with transaction.atomic():
                result = fn()
                raise _Rollback(result)
        except _Rollback as done:
            return done.args[0]

    return run


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (with 5 runs it is the slowest)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def timed(fn: Callable[[], object], *, repeat: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def sql_runner(sql: str, params: list | tuple = ()) -> Callable[[], list]:
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else cursor.rowcount

    return run


@dataclass
class Result:
    name: str
    times: list[float]
    target: str
    met: bool | None = None
    sql_times: list[float] = field(default_factory=list)
    max_ratio: float | None = None
    note: str = ""
    #: Figures measured elsewhere (wrk's latency distribution), when `times` are not samples.
    given: dict | None = None

    @property
    def median(self) -> float:
        return self.given["p50"] if self.given else statistics.median(self.times)

    @property
    def p95(self) -> float:
        return self.given["p95"] if self.given else p95(self.times)

    @property
    def ratio(self) -> float | None:
        if not self.sql_times:
            return None
        return self.median / max(statistics.median(self.sql_times), 1e-9)

    def row(self) -> list[str]:
        sql = f"{statistics.median(self.sql_times) * 1000:.0f} ms" if self.sql_times else "-"
        ratio = f"{self.ratio:.2f}x" if self.ratio is not None else "-"
        met = {True: "met", False: "MISSED", None: "-"}[self.met]
        return [
            self.name,
            f"{self.median * 1000:.0f} ms",
            f"{self.p95 * 1000:.0f} ms",
            sql,
            ratio,
            self.target,
            met,
            self.note,
        ]


def check(result: Result, *, limit_s: float | None = None, max_ratio: float | None = None):
    """A target is met when the p95 is within the limit and the median ratio within bounds."""
    met = True
    if limit_s is not None:
        met &= result.p95 <= limit_s
    if max_ratio is not None and result.ratio is not None:
        met &= result.ratio <= max_ratio
    result.met = met
    return result


HEADER = ["benchmark", "median", "p95", "hand SQL", "ratio", "target", "result", "note"]


def table(results: list[Result]) -> str:
    """A Markdown table, pasted as is into docs/benchmarks.md."""
    rows = [HEADER, *(r.row() for r in results)]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(HEADER))
    return "\n".join(lines)
