"""The advice request list's filters (`GET /api/advice-requests/`)."""

from __future__ import annotations

import django_filters

from .models import OUTSTANDING_STATUSES, AdviceRequest, AdviceStatus


class AdviceRequestFilter(django_filters.FilterSet):
    """`outstanding=true` is a partner's inbox: what their services still owe, soonest due first
    (the list's order); `status` narrows to one state."""

    status = django_filters.ChoiceFilter(choices=AdviceStatus.choices)
    outstanding = django_filters.BooleanFilter(
        method="filter_outstanding", label="Still owed (requested, accepted or returned)"
    )

    class Meta:
        model = AdviceRequest
        fields = ["status", "outstanding"]

    def filter_outstanding(self, queryset, name, value):
        if value:
            return queryset.outstanding()
        return queryset.exclude(status__in=OUTSTANDING_STATUSES)
