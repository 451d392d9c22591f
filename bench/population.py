"""One synthetic case's life, drawn from a seeded random generator: when it was received, how far
it got, how late each step was, and the advice asked for. Pure Python, no database: the
generator turns these into COPY rows.

The shape (decision 0070): about 60% of cases open (the issue's 600,000 open of 1,000,000, a
backlog-heavy national service), the rest closed by a final plan (most), a decline or a
withdrawal; received dates over six years; 80% of decisions to assess and 60-65% of final plans
on time, so the timeliness report and the risk bands have realistic spreads.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from cases import deadlines

SIX_YEARS = 6 * 365
NEEDS = [
    ("ASD", 30),
    ("SEMH", 18),
    ("SLCN", 20),
    ("MLD", 8),
    ("SPLD", 6),
    ("SLD", 4),
    ("PD", 3),
    ("HI", 2),
    ("VI", 1),
    ("PMLD", 2),
    ("MSI", 1),
    ("DS", 1),
    ("OTH", 4),
]
NEED_CODES = [n for n, _ in NEEDS]
NEED_WEIGHTS = [w for _, w in NEEDS]
SOURCES = [1, 2, 3, 4, 5]
SOURCE_WEIGHTS = [45, 40, 8, 4, 3]
#: The open status a stalled (backlog) case is stuck in.
STUCK_WEIGHTS = {"received": 15, "assessing": 40, "drafting": 20, "draft_issued": 25}
PANEL_STEPS = {"agree_to_assess", "decline_to_assess", "agree_to_issue", "decline_to_issue"}


@dataclass
class Step:
    transition: str
    from_state: str
    to_state: str
    on: datetime.date
    reason: str = ""


@dataclass
class Advice:
    kind: str
    service_kinds: list | None
    requested_on: datetime.date
    status: str
    status_changed_on: datetime.date
    accepted_on: datetime.date | None = None
    submitted_on: datetime.date | None = None
    cancelled_on: datetime.date | None = None


@dataclass
class CaseLife:
    received_on: datetime.date
    primary_need: str
    request_source: int
    steps: list[Step] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.steps[-1].to_state if self.steps else "received"

    @property
    def status_changed_on(self) -> datetime.date:
        return self.steps[-1].on if self.steps else self.received_on

    def met(self, transition: str) -> datetime.date | None:
        """The date of the latest step of this kind (a revised draft is issued again)."""
        found = [s.on for s in self.steps if s.transition == transition]
        return found[-1] if found else None


def _days(rng: random.Random, on_time_share: float, due: int, early: int, late: int) -> int:
    """Days after receipt a step happened: on time (<= due) with the given share."""
    if rng.random() < on_time_share:
        return rng.randint(early, due)
    return due + rng.randint(1, late)


def _full_path(rng: random.Random, received: datetime.date) -> list[Step]:
    """The successful path to a final plan, with realistic lateness (never a closure)."""
    day = datetime.timedelta
    d1 = received + day(_days(rng, 0.8, deadlines.DECISION_TO_ASSESS_DAYS, 21, 40))
    d2 = max(received + day(_days(rng, 0.75, 112, 80, 60)), d1 + day(28))
    d3 = d2 + day(rng.randint(3, 18))
    steps = [
        Step("agree_to_assess", "received", "assessing", d1),
        Step("agree_to_issue", "assessing", "drafting", d2),
        Step("issue_draft", "drafting", "draft_issued", d3),
    ]
    if rng.random() < 0.15:
        revised = d3 + day(rng.randint(5, 14))
        d3 = revised + day(rng.randint(3, 10))
        steps += [
            Step("revise_draft", "draft_issued", "drafting", revised, "Family asked for changes"),
            Step("issue_draft", "drafting", "draft_issued", d3),
        ]
    final = d3 + day(deadlines.FAMILY_COMMENT_DAYS + rng.choice([0, 0, 1, 3, 7, 14, 28]))
    steps.append(Step("issue_final", "draft_issued", "final_issued", final))
    return steps


def _closed(rng: random.Random, received: datetime.date) -> list[Step]:
    path = _full_path(rng, received)
    roll = rng.random()
    day = datetime.timedelta
    if roll < 0.04:
        return [
            Step(
                "withdraw",
                "received",
                "withdrawn",
                received + day(rng.randint(5, 40)),
                "Moved away",
            )
        ]
    if roll < 0.29:
        step = Step(
            "decline_to_assess", "received", "assessment_declined", path[0].on, "SEN support"
        )
        return [step]
    if roll < 0.32:
        on = path[0].on + day(rng.randint(10, 50))
        return [path[0], Step("withdraw", "assessing", "withdrawn", on, "Family withdrew")]
    if roll < 0.39:
        return [
            path[0],
            Step("decline_to_issue", "assessing", "plan_declined", path[1].on, "Needs met"),
        ]
    return path


def _open(rng: random.Random, received: datetime.date, today: datetime.date, stalled: bool):
    path = [s for s in _full_path(rng, received) if s.on <= today and s.transition != "issue_final"]
    if stalled:
        stuck = rng.choices(list(STUCK_WEIGHTS), weights=list(STUCK_WEIGHTS.values()))[0]
        while path and path[-1].to_state != stuck:
            path.pop()
    return path


def case_life(rng: random.Random, *, today: datetime.date, open_share: float) -> CaseLife:
    """Draw one case. Closed cases were received at least 300 days ago (their whole path fits);
    open cases are either in time (received in the last 20 weeks) or a stalled backlog."""
    primary = rng.choices(NEED_CODES, weights=NEED_WEIGHTS)[0]
    source = rng.choices(SOURCES, weights=SOURCE_WEIGHTS)[0]
    if rng.random() < open_share:
        stalled = rng.random() < 0.55
        age = (
            141 + min(int(rng.expovariate(1 / 300)), SIX_YEARS - 141)
            if stalled
            else rng.randint(0, 140)
        )
        received = today - datetime.timedelta(days=age)
        steps = _open(rng, received, today, stalled)
    else:
        received = today - datetime.timedelta(days=rng.randint(300, SIX_YEARS))
        steps = _closed(rng, received)
    life = CaseLife(received, primary, source, steps)
    life.advice = _advice(rng, life, today)
    return life


ADVICE_KINDS = ["parent_views", "educational_psychology", "health"]
EXTRA_KINDS = ["social_care", "education", "preparing_for_adulthood"]


def _advice(rng: random.Random, life: CaseLife, today: datetime.date) -> list[Advice]:
    """Reg 6(1): the advice asked for when the case was agreed for assessment (3 to 5 requests),
    and how far each provider got (about 60% return within the six weeks of reg 8(1))."""
    agreed = life.met("agree_to_assess")
    if agreed is None:
        return []
    ended = life.met("agree_to_issue") or life.met("decline_to_issue")
    withdrawn = life.met("withdraw")
    kinds = ADVICE_KINDS + rng.sample(EXTRA_KINDS, rng.randint(0, 2))
    out = []
    for kind in kinds:
        requested = agreed + datetime.timedelta(days=rng.randint(0, 3))
        took = _days(rng, 0.6, deadlines.ADVICE_DAYS, 14, 50)
        submitted = requested + datetime.timedelta(days=took)
        if ended is not None:
            submitted = min(submitted, ended - datetime.timedelta(days=1))
            submitted = max(submitted, requested)
        advice = Advice(kind, None, requested, "requested", requested)
        accepted = requested + datetime.timedelta(days=rng.randint(1, 7))
        if withdrawn is not None and (submitted > withdrawn):
            advice.status, advice.cancelled_on, advice.status_changed_on = (
                "cancelled",
                withdrawn,
                withdrawn,
            )
        elif submitted <= today:
            advice.status, advice.submitted_on, advice.status_changed_on = (
                "submitted",
                submitted,
                submitted,
            )
            advice.accepted_on = min(accepted, submitted)
        elif accepted <= today:
            advice.status, advice.accepted_on, advice.status_changed_on = (
                "accepted",
                accepted,
                accepted,
            )
        out.append(advice)
    return out
