"""The capacity a service declares, and the page's "what if"."""

from __future__ import annotations

from django import forms

from .backlog import WHAT_IF_INVALID
from .services import CAPACITY_INVALID


class CapacityForm(forms.Form):
    per_week = forms.DecimalField(
        label="Advice this service can give a week",
        min_value=0,
        max_value=9999,
        decimal_places=1,
        error_messages={
            "required": CAPACITY_INVALID,
            "invalid": CAPACITY_INVALID,
            "min_value": CAPACITY_INVALID,
            "max_value": CAPACITY_INVALID,
            "max_decimal_places": CAPACITY_INVALID,
            "max_digits": CAPACITY_INVALID,
        },
    )


class WhatIfForm(forms.Form):
    what_if = forms.DecimalField(
        label="What if the service could give this much advice a week?",
        required=False,
        min_value=0,
        max_value=9999,
        decimal_places=1,
        error_messages={
            "invalid": WHAT_IF_INVALID,
            "min_value": WHAT_IF_INVALID,
            "max_value": WHAT_IF_INVALID,
            "max_decimal_places": WHAT_IF_INVALID,
            "max_digits": WHAT_IF_INVALID,
        },
    )

    def value(self) -> float | None:
        if self.is_valid() and self.cleaned_data.get("what_if") is not None:
            return float(self.cleaned_data["what_if"])
        return None


def error_items(form, prefix="id_") -> list[dict]:
    return [
        {"text": message, "href": f"#{prefix}{name}"}
        for name, errors in form.errors.items()
        for message in errors
    ]
