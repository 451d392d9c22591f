"""Issue 19: a case at risk because it is forecast to miss week 20 says so, with the forecast's
own reason, among the case page's risk reasons (registered in ForecastsConfig.ready through
cases.risk_reasons)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist


def forecast_reason(*, case, today) -> list[str]:
    """The stored forecast's reason when it misses week 20: no query when the case page has
    selected the forecast with the case, one otherwise."""
    try:
        forecast = case.forecast
    except ObjectDoesNotExist:
        return []
    if not forecast.misses_final_plan:
        return []
    return [f"Forecast to miss the 20-week deadline: {forecast.reason}".strip()]
