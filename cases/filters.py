"""The case list's filters, shared by the API (`GET /api/cases/`) and the case list page."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from .deadlines import Risk
from .models import Case, CaseStatus, PrimaryNeed

RISK_CHOICES = [
    (Risk.OVERDUE.value, "Overdue"),
    (Risk.AT_RISK.value, "At risk"),
    (Risk.ON_TRACK.value, "On track"),
]

#: Sort keys: every due date (earliest first; prefix "-" for latest first) and the received date.
ORDERING_FIELDS = (
    ("next_milestone_due", "next_due"),
    ("decision_to_assess_due", "decision_to_assess_due"),
    ("statutory_panel_decision_due", "statutory_panel_decision_due"),
    ("draft_plan_due", "draft_plan_due"),
    ("final_plan_due", "final_plan_due"),
    ("received_on", "received_on"),
)
ORDERING_LABELS = {
    "next_due": "Next due date",
    "decision_to_assess_due": "Decision to assess due",
    "statutory_panel_decision_due": "Statutory panel decision due",
    "draft_plan_due": "Draft plan due",
    "final_plan_due": "Final plan due",
    "received_on": "Date received",
}
MAX_SEARCH_TERMS = 5


class CaseFilter(django_filters.FilterSet):
    """Expects a queryset annotated with `risk` (Case.objects.with_risk(today))."""

    status = django_filters.ChoiceFilter(choices=CaseStatus.choices)
    risk = django_filters.ChoiceFilter(choices=RISK_CHOICES, field_name="risk")
    caseworker = django_filters.CharFilter(
        field_name="caseworker__username", label="Caseworker (username)"
    )
    primary_need = django_filters.ChoiceFilter(choices=PrimaryNeed.choices)
    final_plan_due_before = django_filters.DateFilter(
        field_name="final_plan_due", lookup_expr="lte", label="Final plan due on or before"
    )
    received_from = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label="Received on or after"
    )
    received_to = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label="Received on or before"
    )
    search = django_filters.CharFilter(
        method="filter_search", max_length=100, label="Case reference or child's name"
    )
    ordering = django_filters.OrderingFilter(fields=ORDERING_FIELDS, field_labels=ORDERING_LABELS)

    class Meta:
        model = Case
        fields = [
            "status",
            "risk",
            "caseworker",
            "primary_need",
            "final_plan_due_before",
            "received_from",
            "received_to",
            "search",
        ]

    def filter_search(self, queryset, name, value):
        """Every word must match the reference or the child's first or last name."""
        for term in value.split()[:MAX_SEARCH_TERMS]:
            queryset = queryset.filter(
                Q(reference__icontains=term)
                | Q(child__first_name__icontains=term)
                | Q(child__last_name__icontains=term)
            )
        return queryset
