"""The demo's forecasts: computed at the end of seed_demo (as the nightly task would), an EP
capacity declared, and the backtest of the demo's own history stored for the dashboard."""

from __future__ import annotations

import datetime
from decimal import Decimal

from advice_requests.models import PartnerService, PartnerServiceKind

from .backtest import backtest_database, backtest_store
from .durations import window_days
from .models import BacktestResult, ServiceCapacity
from .services import forecasts_recompute

#: The demo EP service says it can do 3 assessments a week (fewer than it is asked for).
DEMO_EP_CAPACITY = Decimal("3.0")


def seed_forecasts(*, today: datetime.date, manager=None) -> None:
    ep = PartnerService.objects.filter(kind=PartnerServiceKind.EP_SERVICE).order_by("pk").first()
    if ep is not None and manager is not None:
        ServiceCapacity.objects.get_or_create(
            service=ep, defaults={"per_week": DEMO_EP_CAPACITY, "updated_by": manager}
        )
    forecasts_recompute(today=today)
    if not BacktestResult.objects.exists():
        figures = backtest_database(today=today, window=window_days())
        backtest_store(figures, source="the demo borough's history")
