"""Seed the demo borough: users, partner services, ~300 cases with their advice, and panels."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from advice_requests import demo as advice_demo
from advice_requests import record_demo
from cases import demo as case_demo
from disputes import demo as dispute_demo
from forecasts import demo as forecast_demo
from panels import demo as panel_demo
from plans import demo as plans_demo
from reviews import demo as review_demo


@dataclass
class SeedResult:
    created_users: int
    created_cases: int
    skipped: bool


@transaction.atomic
def seed_demo(*, cases: int = 300, today: datetime.date, seed: int = 2026) -> SeedResult:
    """Create the demo borough once; a second run adds nothing."""
    users, created_users = case_demo.seed_users()
    services = advice_demo.seed_partners(
        manager=users["demo.manager"], password=case_demo.DEMO_PASSWORD, today=today
    )
    review_demo.seed_reviews(users=users, password=case_demo.DEMO_PASSWORD, today=today)
    if case_demo.demo_cases_exist():
        panel_demo.seed_panels(today=today)  # idempotent: keeps meetings 8 weeks ahead
        forecast_demo.seed_forecasts(today=today, manager=users["demo.manager"])
        return SeedResult(created_users, 0, skipped=True)
    partners = advice_demo.partner_actors()

    def after_case(case, caseworker):
        if case.assessment_decided_on and case.status != "assessment_declined":
            advice_demo.progress_advice(case, today=today, caseworker=caseworker, partners=partners)
        plans_demo.after_case(case, caseworker, today=today)

    hooks = case_demo.CaseSeedingHooks(
        agree_to_assess_details=lambda case, rng: advice_demo.advice_chosen(case, services, rng),
        after_case=after_case,
        before_step=plans_demo.before_step,
    )
    case_demo.seed_cases(users=users, cases=cases, today=today, seed=seed, hooks=hooks)
    review_demo.seed_review_of_issued_plan(users=users, today=today)
    record_demo.seed_casework_record(today=today)
    panel_demo.seed_panels(today=today)
    dispute_demo.seed_disputes(today=today, actor=users["demo.caseworker"])
    forecast_demo.seed_forecasts(today=today, manager=users["demo.manager"])
    return SeedResult(created_users, cases, skipped=False)
