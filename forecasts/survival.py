"""How long a stage takes, from cases that finished it and cases still in it (Kaplan-Meier).

A case still in a stage has not finished it: we know only that it has taken *at least* its days
so far. Dropping such cases would forecast from the quick ones alone; counting them as finished
today would make every stage look quicker than it is. Both are wrong in the same direction (too
hopeful), so open cases are *censored*: they count as still waiting at every duration up to
their days so far, and no further (Kaplan and Meier, 1958; decision 0125).

Pure functions of counts: `(days, finished, count)` rows in, a survival curve out. The curve
`S(t)` is the share of cases still in the stage after `t` days; the median is the first `t` at
which `S(t) <= 0.5`, the 90th percentile the first at which `S(t) <= 0.1`. When too few cases
have been followed that long (the curve never falls that low), the quantile is unknown (None):
we say so rather than guess.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Fewer finished cases than this and a distribution is "no history": no forecast from it.
MIN_FINISHED = 5


@dataclass(frozen=True)
class Curve:
    """A Kaplan-Meier survival curve: `times[i]` (days, ascending) and `survival[i]`, the share
    still waiting just after `times[i]` days. Before the first time, everyone is still waiting."""

    times: tuple[int, ...]
    survival: tuple[float, ...]
    finished: int
    censored: int
    _memo: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    @property
    def known(self) -> bool:
        return self.finished >= MIN_FINISHED

    def survival_at(self, days: int) -> float:
        """S(days): the share of cases still waiting after `days` days."""
        index = bisect_right(self.times, days)
        return 1.0 if index == 0 else self.survival[index - 1]

    def quantile(self, share: float, *, elapsed: int = 0) -> int | None:
        """The total duration by which `share` of cases (0.5: the median; 0.9: the 90th
        percentile) have finished, among those still waiting after `elapsed` days: the first
        `t >= elapsed` with S(t) <= (1 - share) * S(elapsed). None when the history does not
        reach that far (too few cases followed that long)."""
        key = (share, elapsed)
        if key in self._memo:
            return self._memo[key]
        answer = None
        still_waiting = self.survival_at(elapsed)
        if still_waiting > 0:
            target = (1.0 - share) * still_waiting + 1e-12
            start = bisect_right(self.times, elapsed - 1)
            for index in range(start, len(self.times)):
                if self.survival[index] <= target:
                    answer = max(self.times[index], elapsed)
                    break
        self._memo[key] = answer
        return answer

    def as_json(self) -> dict:
        return {
            "times": list(self.times),
            "survival": [round(value, 6) for value in self.survival],
            "finished": self.finished,
            "censored": self.censored,
        }

    @classmethod
    def from_json(cls, data: dict) -> Curve:
        return cls(
            times=tuple(data.get("times", ())),
            survival=tuple(data.get("survival", ())),
            finished=data.get("finished", 0),
            censored=data.get("censored", 0),
        )


def kaplan_meier(rows: Iterable[tuple]) -> Curve:
    """Rows of (days, finished?, how many[, entry]). A case censored at `t` days is at risk at
    `t` (it was still waiting then) and leaves the risk set after it: the usual convention, so
    that a case still open after exactly the median's days does not pull the median down.

    `entry` (default 0) is the delayed entry of a spell that began before the window: a case
    that entered its stage 400 days before the window opened is seen only from day 400 on, so
    it counts as waiting at 400 days and beyond, never as one of the cases that waited 10 days
    (left truncation). Without it, a few long-stuck cases would count as "still waiting" at
    every short duration and hide how long the stage takes now."""
    finished_at: dict[int, int] = defaultdict(int)
    leaving_after: dict[int, int] = defaultdict(int)
    entering_at: dict[int, int] = defaultdict(int)
    finished = censored = 0
    for row in rows:
        days, is_finished, count = int(row[0]), row[1], row[2]
        days = max(days, 0)
        entry = min(max(int(row[3]), 0), days) if len(row) > 3 else 0  # noqa: PLR2004
        entering_at[entry] += count
        leaving_after[days] += count
        if is_finished:
            finished_at[days] += count
            finished += count
        else:
            censored += count
    survival = 1.0
    times: list[int] = []
    values: list[float] = []
    entries = sorted(entering_at)
    exits = sorted(leaving_after)
    at_risk = entered = left = 0
    for days in sorted(finished_at):
        while entered < len(entries) and entries[entered] <= days:
            at_risk += entering_at[entries[entered]]
            entered += 1
        while left < len(exits) and exits[left] < days:
            at_risk -= leaving_after[exits[left]]
            left += 1
        events = finished_at[days]
        if at_risk > 0:
            survival *= 1.0 - events / at_risk
            times.append(days)
            values.append(survival)
    return Curve(times=tuple(times), survival=tuple(values), finished=finished, censored=censored)
