"""Forms of the caseworker's pages. Dates use the GOV.UK date input pattern (day, month, year
as three fields), so they work without JavaScript and with any keyboard."""

from __future__ import annotations

import datetime

from django import forms

from .models import ExceptionGround
from .services import TRANSITIONS

DATE_INVALID = "{label} must be a real date, for example 27 3 2026."
DATE_REQUIRED = "Enter {label_lower}."


class GovukDateField(forms.MultiValueField):
    """Day, month and year in three inputs, cleaned into one date."""

    def __init__(self, *, label: str, required: bool = True, **kwargs):
        fields = (
            forms.CharField(max_length=2),
            forms.CharField(max_length=2),
            forms.CharField(max_length=4),
        )
        super().__init__(
            fields=fields,
            label=label,
            required=required,
            require_all_fields=False,
            widget=forms.MultiWidget(widgets=[forms.TextInput()] * 3),
            error_messages={
                "required": DATE_REQUIRED.format(label_lower=label.lower()),
                "incomplete": DATE_INVALID.format(label=label),
                "invalid": DATE_INVALID.format(label=label),
            },
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        try:
            day, month, year = (int(part) for part in data_list)
            if year < 1900:  # noqa: PLR2004
                raise ValueError(year)
            return datetime.date(year, month, day)
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"]) from exc


class TransitionForm(forms.Form):
    """One step on the case page; its prefix is the transition's name so ids stay unique."""

    transition = forms.ChoiceField(
        choices=[(name, rule.label) for name, rule in TRANSITIONS.items()]
    )
    expected_status = forms.CharField(max_length=32)
    effective_date = GovukDateField(label="Date it happened")
    reason = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)
    confirm_outstanding_advice = forms.BooleanField(required=False)
    confirm = forms.BooleanField(required=False)

    def clean(self):
        """Issue 13 item 7: a step that cannot be undone needs its "I confirm" box ticked."""
        cleaned = super().clean()
        message = IRREVERSIBLE.get(cleaned.get("transition", ""))
        if message and not cleaned.get("confirm"):
            self.add_error("confirm", message["error"])
        return cleaned


#: Steps that cannot be undone on this system, with what the "I confirm" box says.
IRREVERSIBLE = {
    "issue_final": {
        "label": (
            "I confirm the final plan was issued to the family on this date. The assessment "
            "then closes and this cannot be undone."
        ),
        "error": "Confirm that the final plan was issued: this cannot be undone.",
    },
    "withdraw": {
        "label": (
            "I confirm the request is withdrawn. The case closes, its outstanding advice "
            "requests are cancelled, and this cannot be undone."
        ),
        "error": "Confirm that the request is withdrawn: this cannot be undone.",
    },
}


class ExceptionProposeForm(forms.Form):
    ground = forms.ChoiceField(
        choices=ExceptionGround.choices, widget=forms.RadioSelect, label="Ground"
    )
    starts_on = GovukDateField(label="Start date")
    ends_on = GovukDateField(label="End date", required=False)
    notes = forms.CharField(widget=forms.Textarea, max_length=4000, label="Evidence")
