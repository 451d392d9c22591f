"""The case list's filters, shared by the API (`GET /api/cases/`) and the case list page."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, Subquery

from .deadlines import Risk
from .models import OPEN_STATUSES, Case, CaseException, CaseStatus, PrimaryNeed

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
    ("forecast__final_plan_likely_on", "forecast_final"),
)
ORDERING_LABELS = {
    "next_due": "Next due date",
    "decision_to_assess_due": "Decision to assess due",
    "statutory_panel_decision_due": "Statutory panel decision due",
    "draft_plan_due": "Draft plan due",
    "final_plan_due": "Final plan due",
    "received_on": "Date received",
    "forecast_final": "Forecast final plan date",
}
MAX_SEARCH_TERMS = 5


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Cases with no date (closed cases have no forecast) sort last either way, as PostgreSQL
    and SQLite otherwise disagree on where NULLs go."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map.get(param.lstrip("-"), param.lstrip("-")))
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)


class CaseFilter(django_filters.FilterSet):
    """Expects a queryset annotated with `risk` (Case.objects.with_risk(today))."""

    status = django_filters.ChoiceFilter(choices=CaseStatus.choices)
    # Labelled here: `risk` is an annotation, so django-filter finds no model field to name it
    # and the page's error summary would say "[invalid name]".
    risk = django_filters.ChoiceFilter(choices=RISK_CHOICES, field_name="risk", label="Risk")
    caseworker = django_filters.CharFilter(
        method="filter_caseworker", label="Caseworker (username)"
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
    open = django_filters.BooleanFilter(method="filter_open", label="Open cases only")
    unassigned = django_filters.BooleanFilter(
        field_name="caseworker", lookup_expr="isnull", label="No caseworker assigned"
    )
    final_issued_from = django_filters.DateFilter(
        field_name="final_issued_on", lookup_expr="gte", label="Final plan issued on or after"
    )
    final_issued_to = django_filters.DateFilter(
        field_name="final_issued_on", lookup_expr="lte", label="Final plan issued on or before"
    )
    final_issued_on_time = django_filters.BooleanFilter(
        method="filter_final_issued_on_time", label="Final plan issued within 20 weeks"
    )
    agreed_exception = django_filters.BooleanFilter(
        method="filter_agreed_exception", label="Has an agreed exception"
    )
    search = django_filters.CharFilter(
        method="filter_search", max_length=100, label="Case reference or child's name"
    )
    ordering = NullsLastOrderingFilter(
        fields=ORDERING_FIELDS, field_labels=ORDERING_LABELS, label="Sort by"
    )

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
            "open",
            "unassigned",
            "final_issued_from",
            "final_issued_to",
            "final_issued_on_time",
            "agreed_exception",
        ]

    def get_form_class(self):
        """Built once per class, not on every request: django-filter makes a new form class
        each time (about a tenth of a case list request's time). Safe because every filter
        here has fixed choices; Django copies the fields into each form instance."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_caseworker(self, queryset, name, value):
        """By the caseworker's id, looked up in a subquery: PostgreSQL then reads that
        caseworker's cases from the (caseworker, next due) index already in list order, instead
        of walking every case in due-date order to find theirs (benchmark 4a)."""
        caseworker_id = get_user_model().objects.filter(username=value).values("pk")[:1]
        return queryset.filter(caseworker_id=Subquery(caseworker_id))

    def filter_open(self, queryset, name, value):
        """The dashboard's figures count open cases; `open=false` lists the closed ones."""
        condition = Q(status__in=OPEN_STATUSES)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_final_issued_on_time(self, queryset, name, value):
        """Reg 13(2): issued on or before the final plan's due date (received + 140 days)."""
        on_time = Q(final_issued_on__lte=F("final_plan_due"))
        return queryset.filter(final_issued_on__isnull=False).filter(on_time if value else ~on_time)

    def filter_agreed_exception(self, queryset, name, value):
        """Section 2: only an agreed exception counts (SEN2 `Week20`)."""
        agreed = Exists(CaseException.objects.agreed().filter(case=OuterRef("pk")))
        return queryset.filter(agreed if value else ~agreed)

    def filter_search(self, queryset, name, value):
        """Every word must match the reference or the child's first or last name."""
        for term in value.split()[:MAX_SEARCH_TERMS]:
            queryset = queryset.filter(
                Q(reference__icontains=term)
                | Q(child__first_name__icontains=term)
                | Q(child__last_name__icontains=term)
            )
        return queryset
