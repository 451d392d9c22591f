"""The chair's forms: a case reference to add, and a decision with its reasons."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone

from advice_requests.forms import EP_KINDS
from advice_requests.models import AdviceKind, PartnerService

from .models import OUTCOMES_BY_PANEL_TYPE, DeclineReason, Outcome

ADVICE_QUESTION = "What are the child's special educational needs, and what provision do they need?"
#: The advice offered on the decision form (reg 6(1)); "other" needs more than a tick.
ADVICE_KINDS = [kind for kind in AdviceKind if kind != AdviceKind.OTHER]
CHOOSE_SERVICE = "Choose the service to ask for {kind}."


CASE_REFERENCE_REQUIRED = "Enter the case reference, like {example}."
CASE_REFERENCE_TOO_LONG = "A case reference is at most 40 characters, like {example}."


def reference_example() -> str:
    """A case reference in the real format (cases.services: prefix, year, 5-digit number)."""
    return f"{settings.EHC_REFERENCE_PREFIX}-{timezone.localdate().year}-00142"


class AddCaseForm(forms.Form):
    case = forms.CharField(label="Case reference", max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        example = reference_example()
        self.fields["case"].error_messages.update(
            {
                "required": CASE_REFERENCE_REQUIRED.format(example=example),
                "max_length": CASE_REFERENCE_TOO_LONG.format(example=example),
            }
        )


class OutcomeForm(forms.Form):
    """Section 5: an outcome with reasons; declines also need the council's reason; agreeing
    to assess needs the advice chosen (passed to the case transition as `details`)."""

    outcome = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the panel's decision.",
            "invalid_choice": "Choose the panel's decision.",
        },
    )
    decline_reason = forms.TypedChoiceField(
        label="Reason for declining",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose the reason for declining from the list."},
    )
    reasons = forms.CharField(
        label="The panel's reasons",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "The panel's reasons must be 5,000 characters or fewer."},
    )
    advice = forms.MultipleChoiceField(
        label="Advice to ask for",
        choices=[(kind.value, kind.label) for kind in ADVICE_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Choose advice from the list.",
            "invalid_list": "Choose advice from the list.",
        },
    )

    def __init__(self, *args, panel_type: str, choices: dict | None = None, **kwargs):
        """`choices` (from outcome_form_choices) is loaded once per page, not once per item."""
        super().__init__(*args, **kwargs)
        self.panel_type = panel_type
        choices = choices or outcome_form_choices(panel_type)
        self.reasons_by_id = {reason.pk: reason for reason in choices["decline_reasons"]}
        self.fields["outcome"].choices = [
            (value, Outcome(value).label) for value in OUTCOMES_BY_PANEL_TYPE[panel_type]
        ]
        self.fields["decline_reason"].choices = [("", "Choose a reason")] + [
            (reason.pk, reason.text) for reason in choices["decline_reasons"]
        ]
        for kind in ADVICE_KINDS:
            if kind == AdviceKind.PARENT_VIEWS:
                continue
            services = choices["services"]
            if kind == AdviceKind.EDUCATIONAL_PSYCHOLOGY:
                # As on the caseworker's form: EP advice comes from an EP service only.
                services = [service for service in services if service.kind in EP_KINDS]
            self.fields[f"service_{kind.value}"] = forms.TypedChoiceField(
                label=f"Service for {kind.label.lower()}",
                choices=[("", "Choose a service")] + [(s.pk, s.name) for s in services],
                coerce=int,
                required=False,
                empty_value=None,
                error_messages={
                    "invalid_choice": CHOOSE_SERVICE.format(kind=kind.label.lower()),
                },
            )

    @property
    def asks_advice(self) -> bool:
        return Outcome.AGREE_TO_ASSESS in OUTCOMES_BY_PANEL_TYPE[self.panel_type]

    def advice_rows(self):
        """Each advice kind's tick box with its service select, for the template."""
        rows = []
        for kind in ADVICE_KINDS:
            service = self[f"service_{kind.value}"] if kind != AdviceKind.PARENT_VIEWS else None
            rows.append({"kind": kind, "service": service})
        return rows

    def clean(self):
        data = super().clean()
        data["decline_reason"] = self.reasons_by_id.get(data.get("decline_reason"))
        if data.get("outcome") != Outcome.AGREE_TO_ASSESS:
            return data
        for kind in data.get("advice") or []:
            if kind != AdviceKind.PARENT_VIEWS and not data.get(f"service_{kind}"):
                self.add_error(
                    f"service_{kind}", CHOOSE_SERVICE.format(kind=AdviceKind(kind).label.lower())
                )
        return data

    def details(self) -> dict | None:
        """The advice chosen, in the shape the case transition takes (as the case API)."""
        data = self.cleaned_data
        if data.get("outcome") != Outcome.AGREE_TO_ASSESS:
            return None
        advice = []
        for kind in data.get("advice") or []:
            service = data.get(f"service_{kind}")
            advice.append(
                {
                    "kind": kind,
                    "service": service,
                    "question": ADVICE_QUESTION,
                }
            )
        return {"advice": advice, "reused": []}


def outcome_form_choices(panel_type: str) -> dict:
    """The council's decline reasons for this panel type and the active partner services."""
    return {
        "decline_reasons": list(
            DeclineReason.objects.filter(panel_type=panel_type, is_active=True)
        ),
        "services": list(PartnerService.objects.filter(is_active=True).order_by("name")),
    }
