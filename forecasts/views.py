"""Forecast pages: a service's backlog (with its capacity and a "what if"), and how accurate
the forecasts have been. Thin: each calls one selector or service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from . import selectors
from .access import is_staff, may_set_capacity, services_visible
from .backlog import service_backlog
from .chart import backlog_chart
from .forms import CapacityForm, WhatIfForm, error_items
from .services import service_capacity_set

CAPACITY_SAVED = "Capacity saved: {value} a week."


def _service(request, service_id):
    service = services_visible(request.user).filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service.")
    return service


@login_required
def service_backlog_page(request, service_id):
    """Section 15: the service's backlog 12 weeks ahead; its members or a manager set its
    capacity (POST); anyone who may see it tries a "what if" (GET, nothing saved)."""
    service = _service(request, service_id)
    may_edit = may_set_capacity(request.user, service)
    capacity_form = CapacityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if capacity_form.is_valid():
            try:
                saved = service_capacity_set(
                    actor=request.user,
                    service=service,
                    per_week=capacity_form.cleaned_data["per_week"],
                )
            except ValidationError as exc:
                capacity_form.add_error("per_week", exc.message_dict.get("per_week"))
            else:
                messages.success(request, CAPACITY_SAVED.format(value=f"{saved.per_week:g}"))
                return redirect("forecasts:service", service_id=service.pk)
    what_if = WhatIfForm(request.GET or None)
    backlog = service_backlog(service=service, today=timezone.localdate(), what_if=what_if.value())
    errors = error_items(capacity_form) + error_items(what_if)
    return render(
        request,
        "forecasts/service_backlog.html",
        {
            "service": service,
            "backlog": backlog,
            "chart": backlog_chart(backlog),
            "chart_id": f"backlog-{service.pk}",
            "capacity_form": capacity_form,
            "what_if_form": what_if,
            "may_edit": may_edit,
            "error_items": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def accuracy_page(request):
    """How the forecasts are made and how accurate they were (the latest backtest)."""
    if not is_staff(request.user):
        raise PermissionDenied
    return render(
        request,
        "forecasts/accuracy.html",
        {
            "backtest": selectors.latest_backtest(),
            "durations": selectors.stage_durations_for_page(),
        },
    )
