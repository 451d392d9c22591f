"""Forecast sections for pages other apps own (the dashboard, the advice follow-up), so those
templates gain one line each rather than new view code."""

from __future__ import annotations

from django import template
from django.utils import timezone

from advice_requests.models import PartnerServiceKind
from cases.roles import Role, has_role

from .. import selectors
from ..access import services_visible
from ..backlog import service_backlog
from ..chart import backlog_chart
from ..forms import WhatIfForm

register = template.Library()


def _default_service(services):
    """The educational psychology service first (its advice is what most often holds a case)."""
    listed = list(services)
    for service in listed:
        if service.kind == PartnerServiceKind.EP_SERVICE:
            return service, listed
    return (listed[0] if listed else None), listed


@register.inclusion_tag("forecasts/includes/dashboard_forecasts.html", takes_context=True)
def forecast_dashboard(context):
    """The dashboard's "forecast to miss 20 weeks", the forecasts' accuracy and the EP backlog."""
    request = context["request"]
    service, _ = _default_service(services_visible(request.user))
    today = timezone.localdate()
    backlog = service_backlog(service=service, today=today) if service else None
    return {
        "to_miss": selectors.cases_forecast_to_miss(today=today),
        "counts": selectors.forecast_to_miss_counts(today=today),
        "backtest": selectors.latest_backtest(),
        "backlog": backlog,
        "chart": backlog_chart(backlog) if backlog else None,
        "chart_id": "dashboard-backlog",
    }


@register.inclusion_tag("forecasts/includes/follow_up_backlog.html", takes_context=True)
def forecast_follow_up(context):
    """The follow-up page's backlog chart: one service at a time (GET `backlog_service`), with
    a "what if" capacity (GET `what_if`), recomputed when the page is read."""
    request = context["request"]
    default, services = _default_service(services_visible(request.user))
    chosen = request.GET.get("backlog_service", "")
    service = next((s for s in services if str(s.pk) == chosen), default)
    what_if = WhatIfForm(request.GET or None)
    backlog = (
        service_backlog(service=service, today=timezone.localdate(), what_if=what_if.value())
        if service
        else None
    )
    return {
        "services": services,
        "service": service,
        "what_if_form": what_if,
        "backlog": backlog,
        "chart": backlog_chart(backlog) if backlog else None,
        "chart_id": "follow-up-backlog",
    }


@register.inclusion_tag("forecasts/includes/partner_links.html", takes_context=True)
def forecast_partner_links(context):
    """On a partner's inbox: a link to each of their services' backlog forecast."""
    request = context["request"]
    if not has_role(request.user, Role.PARTNER):
        return {"services": []}
    return {"services": list(services_visible(request.user))}
