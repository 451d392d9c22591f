"""Forecasts: when each open case's milestones and final plan will really happen, and each
partner service's backlog weeks ahead, measured against what happened (ehc-process.md section 15).

An app of its own rather than a module of `reports/` because it owns tables (the stage
durations, one forecast row per open case, each service's declared capacity, the backtest's
figures), a nightly task, pages and API routes of its own, and it reads cases, advice and panels
alike: `reports/` measures what happened; this app predicts what will, and keeps its own score.
Keeping it apart also keeps it out of the files other work changes (decision 0125).
"""
