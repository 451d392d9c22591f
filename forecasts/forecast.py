"""One case's forecast: the likely (median) and pessimistic (90th percentile) date of each
remaining milestone and of the final plan, as pure functions of the case as it stands, the
stage durations and the panel meetings ahead. No database and no hidden "today": the nightly
recompute and the backtest both call `case_forecast` (decision 0125).

How it is built, step by step from the case's current stage:
- the current stage: its curve *conditional on the days already spent in it* (a case 30 days
  into a stage is no longer racing the ones that finished in 10);
- assessing: the statutory panel decision also waits for the latest outstanding advice, each
  forecast from its own service's curve, conditional on the days since it was requested;
- a panel decision falls on the next meeting with room on or after that date (PanelRoom);
- each later stage adds its whole-history median (likely) or 90th percentile (pessimistic).
Adding the 90th percentiles of several stages is more pessimistic than the 90th percentile of
their sum: the pessimistic date is "if every remaining step is as slow as 1 case in 10".
"""

from __future__ import annotations

import datetime
import math
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from .durations import Distributions
from .history import STAGE_MILESTONES, STAGES
from .survival import Curve

DAY = datetime.timedelta(days=1)
#: Reg 13(2): the final plan is due 140 days (20 weeks) after the request was received.
FINAL_PLAN_WEEK = 20

STAGE_LABELS = {
    "received": "Deciding whether to assess",
    "assessing": "Assessing (to the statutory panel's decision)",
    "drafting": "Writing the draft plan",
    "draft_issued": "From draft plan to final plan",
}
MILESTONE_WORDS = {
    "decision_to_assess": "decision whether to assess was due on {due} and has not been made",
    "statutory_panel_decision": "statutory panel's decision was due on {due} and has not been made",
    "draft_plan": "draft plan was due on {due} and has not been issued",
    "final_plan": "final plan was due on {due} and has not been issued",
}
PANEL_FOR_STAGE = {"received": "nap", "assessing": "statutory"}
NO_HISTORY = (
    "Not enough history of {what} over the {period} to know how long half of the cases take: "
    "no forecast from here on, rather than a guess."
)
RAN_PAST = (
    "This case has been {what} for {spent}, longer than the history shows: forecast as if it "
    "moves on today."
)


class OutstandingAdvice(NamedTuple):
    key: str  # the service's id, or "parent_views"
    kind_label: str
    requested_on: datetime.date


class CaseState(NamedTuple):
    """What the forecast knows about a case on `today`. Immutable and cheap to build (a named
    tuple: the nightly recompute builds one per open case)."""

    case_id: int
    status: str
    received_on: datetime.date
    stage_started_on: datetime.date
    final_plan_due: datetime.date
    advice: tuple[OutstandingAdvice, ...] = ()
    #: The open panel meeting the case is listed for, if any.
    listed_for: datetime.date | None = None
    #: Each milestone's due date (milestone -> date), to say which step makes the case late.
    due: tuple[tuple[str, datetime.date], ...] = ()


@dataclass
class Forecast:
    case_id: int
    today: datetime.date
    likely: dict[str, datetime.date | None] = field(default_factory=dict)
    pessimistic: dict[str, datetime.date | None] = field(default_factory=dict)
    basis: list[str] = field(default_factory=list)
    reason: str = ""
    no_history: str = ""

    @property
    def final_likely(self) -> datetime.date | None:
        return self.likely.get("final_plan")

    @property
    def final_pessimistic(self) -> datetime.date | None:
        return self.pessimistic.get("final_plan")


class PanelRoom:
    """The panel meetings ahead with room left: `{"nap": [(date, room)], "statutory": ...}`.
    A likely decision takes a place; past the last known meeting, the date stands (meetings
    are generated 8 weeks ahead, so beyond them we do not know the room)."""

    def __init__(self, meetings: dict[str, list[tuple[datetime.date, int]]] | None = None):
        self.dates = {kind: [d for d, _ in sorted(rows)] for kind, rows in (meetings or {}).items()}
        self.room = {kind: [r for _, r in sorted(rows)] for kind, rows in (meetings or {}).items()}
        #: Places taken so far. Within one run the room left is a function of this count (places
        #: are only ever taken, one at a time), so it names the room's state (`forecast_groups`).
        self.taken = 0

    def slot(self, kind: str, on_or_after: datetime.date, *, take: bool) -> datetime.date:
        dates = self.dates.get(kind, [])
        room = self.room.get(kind, [])
        index = bisect_left(dates, on_or_after)
        while index < len(dates):
            if room[index] > 0:
                if take:
                    room[index] -= 1
                    self.taken += 1
                return dates[index]
            index += 1
        return on_or_after


def describe_days(days: int) -> str:
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{round(days / 7)} weeks"


def period_words(window: int) -> str:
    return "last 12 months" if window == 365 else f"last {window} days"


def clock_week(received_on: datetime.date, on: datetime.date) -> int:
    """The week of the statutory clock a date falls in: day 140 is week 20, day 141 week 21."""
    return max(math.ceil((on - received_on).days / 7), 0)


def _stage_sentence(status: str, curve: Curve, period: str) -> str:
    median, p90 = curve.quantile(0.5), curve.quantile(0.9)
    slow = (
        f"{describe_days(p90)} for the slowest 1 in 10"
        if p90 is not None
        else "no 1-in-10 figure yet"
    )
    return (
        f"{STAGE_LABELS[status]} has taken {describe_days(median)} at the median over the "
        f"{period} ({slow}; {curve.finished} finished, {curve.censored} still open or withdrawn)."
    )


def case_forecast(
    state: CaseState,
    *,
    today: datetime.date,
    distributions: Distributions,
    panels: PanelRoom | None = None,
    window: int = 365,
) -> Forecast:
    """The forecast of one open case on `today` (see the module's docstring)."""
    panels = panels or PanelRoom()
    period = period_words(window)
    result = Forecast(case_id=state.case_id, today=today)
    index = STAGES.index(state.status)
    likely: datetime.date | None = today
    pessimistic: datetime.date | None = today
    causes: dict[str, str] = {}  # milestone -> what decides its date, in words
    for position, status in enumerate(STAGES[index:]):
        milestone = STAGE_MILESTONES[status]
        curve = distributions.stage(status) if likely is not None else None
        if likely is not None and curve is None:
            result.no_history = STAGE_LABELS[status]
            result.basis.append(NO_HISTORY.format(what=STAGE_LABELS[status].lower(), period=period))
            likely = pessimistic = None
        if likely is None:
            result.likely[milestone] = result.pessimistic[milestone] = None
            continue
        sentence_key = ("sentence", status, period)
        if sentence_key not in distributions.memo:
            distributions.memo[sentence_key] = _stage_sentence(status, curve, period)
        result.basis.append(distributions.memo[sentence_key])
        if position == 0:
            likely, pessimistic = _current_stage(state, curve, today, result, distributions.memo)
        else:
            likely = likely + curve.quantile(0.5) * DAY
            p90 = curve.quantile(0.9)
            pessimistic = pessimistic + p90 * DAY if (pessimistic and p90 is not None) else None
        cause = (
            f"{STAGE_LABELS[status].lower()} takes {describe_days(curve.quantile(0.5))} at "
            "the median"
        )
        if position == 0 and status == "assessing":
            stage_only = likely
            likely, pessimistic, advice_cause = _wait_for_advice(
                state, likely, pessimistic, today, distributions, period, result
            )
            if likely > stage_only and advice_cause:
                cause = advice_cause
        if position == 0:
            due = dict(state.due).get(milestone)
            if due is not None and today > due:
                cause = "the " + MILESTONE_WORDS[milestone].format(due=f"{due:%-d %B %Y}")
        causes[milestone] = cause
        if position == 0 and state.listed_for and status in PANEL_FOR_STAGE:
            if state.listed_for >= likely:
                likely = state.listed_for
                result.basis.append(f"Listed for the panel on {likely:%-d %B %Y}.")
            else:
                likely = panels.slot(PANEL_FOR_STAGE[status], likely, take=True)
        elif position == 0 and status in PANEL_FOR_STAGE:
            likely = panels.slot(PANEL_FOR_STAGE[status], likely, take=True)
            if pessimistic is not None:
                pessimistic = panels.slot(PANEL_FOR_STAGE[status], pessimistic, take=False)
        result.likely[milestone] = likely
        result.pessimistic[milestone] = pessimistic
    result.reason = _reason(state, result, causes)
    return result


def _current_stage(state: CaseState, curve: Curve, today: datetime.date, result, memo: dict):
    """The current stage's exit, conditional on the days already spent in it."""
    spent = max((today - state.stage_started_on).days, 0)
    key = ("current", state.status, spent)
    if key not in memo:
        median = curve.quantile(0.5, elapsed=spent)
        p90 = curve.quantile(0.9, elapsed=spent)
        sentence = ""
        if median is None:
            sentence = RAN_PAST.format(
                what=STAGE_LABELS[state.status].lower(), spent=describe_days(spent)
            )
        elif spent:
            sentence = (
                f"This case has been at this stage for {describe_days(spent)}; cases still "
                f"waiting after that long took {describe_days(median)} in all at the median."
            )
        memo[key] = (median, p90, sentence)
    median, p90, sentence = memo[key]
    if sentence:
        result.basis.append(sentence)
    likely = today if median is None else max(state.stage_started_on + median * DAY, today)
    pessimistic = max(state.stage_started_on + p90 * DAY, today) if p90 is not None else None
    return likely, pessimistic


def _wait_for_advice(state, likely, pessimistic, today, distributions, period, result):
    """Section 4: the statutory panel decides once the advice is in; each outstanding request is
    forecast from its service's own curve, conditional on the days since it was requested.
    Returns the new dates and what the slowest advice is, in words."""
    slowest, slowest_cause = None, ""
    for advice in state.advice:
        key = ("advice-words", advice.key, advice.kind_label, advice.requested_on, today)
        if key not in distributions.memo:
            distributions.memo[key] = _advice_words(advice, today, distributions, period)
        back, late, sentence, cause = distributions.memo[key]
        result.basis.append(sentence)
        if back is None:
            continue
        if slowest is None or back > slowest:
            slowest, slowest_cause = back, cause
        likely = max(likely, back)
        if pessimistic is not None:
            pessimistic = max(pessimistic, late) if late is not None else None
    return likely, pessimistic, slowest_cause


def _advice_words(advice, today, distributions, period):
    """(likely back, pessimistic back, sentence, cause) for one outstanding request."""
    curve = distributions.advice_for(advice.key)
    name = distributions.service_names.get(advice.key, "this service")
    if curve is None:
        sentence = (
            f"{advice.kind_label} from {name}: no history over the {period}, so not counted in "
            "this forecast."
        )
        return None, None, sentence, ""
    spent = max((today - advice.requested_on).days, 0)
    median = curve.quantile(0.5, elapsed=spent)
    p90 = curve.quantile(0.9, elapsed=spent)
    back = max(advice.requested_on + median * DAY, today) if median is not None else today
    late = advice.requested_on + p90 * DAY if p90 is not None else None
    typical = describe_days(curve.quantile(0.5))
    sentence = (
        f"{advice.kind_label} from {name} has taken {typical} at the median over the {period}; "
        f"this request is expected back about {back:%-d %B %Y}."
    )
    cause = (
        f"{advice.kind_label} from {name} has taken {typical} at the median; expected back "
        f"about {back:%-d %B %Y}"
    )
    return back, late, sentence, cause


def _reason(state: CaseState, result: Forecast, causes: dict[str, str]) -> str:
    """Why the case is forecast to miss, in a line: the week it is heading for, and what decides
    the first remaining milestone forecast after its due date (or that week 20 has passed)."""
    final = result.final_likely
    if final is None or final <= state.final_plan_due:
        return ""
    week = clock_week(state.received_on, final)
    text = f"At this pace: week {week} (due by week {FINAL_PLAN_WEEK})."
    if result.today > state.final_plan_due:
        return f"{text} The final plan was due on {state.final_plan_due:%-d %B %Y}."
    due = {**dict(state.due), "final_plan": state.final_plan_due}
    late = [
        milestone
        for milestone in STAGE_MILESTONES.values()
        if milestone in causes
        and result.likely.get(milestone)
        and milestone in due
        and result.likely[milestone] > due[milestone]
    ]
    cause = causes.get(late[0] if late else "final_plan", "")
    if cause:
        text += f" {cause[0].upper()}{cause[1:]}."
    return text[:300]


def forecast_groups(
    states: Iterable[CaseState],
    *,
    today: datetime.date,
    distributions: Distributions,
    panels: PanelRoom | None = None,
    window: int = 365,
) -> Iterator[tuple[CaseState, Forecast, str]]:
    """Every case's forecast as `case_forecast` gives it, in the same order (the order cases
    take panel places), but worked out once per group of cases that share what it reads.

    A forecast's dates, basis and "no history" read only the case's stage, the day it entered
    it, its outstanding advice, the meeting it is listed for, and the panel room as it stands;
    its reason reads, besides, the received date and the due dates. Within one run the room is
    named by the places taken so far (`PanelRoom.taken`), so a case that takes no place shares
    the forecast of the first case with the same inputs and the same room. A case that takes a
    place changes the room and is worked out on its own (at most one per place). Yields
    (state, the shared forecast, this case's reason): the shared forecast's `case_id` and
    `reason` are its first case's."""
    panels = panels or PanelRoom()
    shared: dict[tuple, Forecast] = {}
    reasons: dict[tuple, str] = {}
    for state in states:
        key = (state.status, state.stage_started_on, state.advice, state.listed_for, panels.taken)
        forecast = shared.get(key)
        if forecast is None:
            before = panels.taken
            forecast = case_forecast(
                state, today=today, distributions=distributions, panels=panels, window=window
            )
            if panels.taken == before:
                shared[key] = forecast
            yield state, forecast, forecast.reason
            continue
        final = forecast.final_likely
        if final is None or final <= state.final_plan_due:
            yield state, forecast, ""  # `_reason` says nothing for a case on time
            continue
        reason_key = (*key, state.received_on, state.final_plan_due, state.due)
        if reason_key not in reasons:
            # The room is as the group's first case found it, and that case took no place: this
            # one takes none either, so working it out on its own leaves the room unchanged.
            reasons[reason_key] = case_forecast(
                state, today=today, distributions=distributions, panels=panels, window=window
            ).reason
        yield state, forecast, reasons[reason_key]
