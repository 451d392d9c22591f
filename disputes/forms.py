"""The forms of the disagreement page: one small form per step, each with its own prefix."""

from __future__ import annotations

from django import forms

from cases.forms import GovukDateField

from .models import ORDER_KIND_LABELS, AppealOutcome, Decision, Ground, MediationOutcome

ORDER_KIND_CHOICES = [(kind.value, label) for kind, label in ORDER_KIND_LABELS.items()]


class OpenForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices, label="Decision disagreed with")
    letter_sent_on = GovukDateField(label="Date the decision letter was sent", required=False)


class DateForm(forms.Form):
    """A step that needs only the date it happened."""

    on = GovukDateField(label="Date")


class MediationHeldForm(forms.Form):
    on = GovukDateField(label="Date the mediation took place")
    outcome = forms.ChoiceField(
        choices=MediationOutcome.choices, widget=forms.RadioSelect, label="Outcome"
    )


class AgreementActionForm(forms.Form):
    kind = forms.ChoiceField(choices=ORDER_KIND_CHOICES, label="What the council agreed to do")
    terms = forms.CharField(widget=forms.Textarea, required=False, max_length=4000, label="Terms")


class AppealRegisterForm(forms.Form):
    on = GovukDateField(label="Date the council received the appeal")
    grounds = forms.MultipleChoiceField(
        choices=Ground.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Grounds of appeal",
        error_messages={"required": "Choose at least one ground of appeal."},
    )


class AppealOutcomeForm(forms.Form):
    on = GovukDateField(label="Date of the decision (or of telling the tribunal)")
    outcome = forms.ChoiceField(
        choices=AppealOutcome.choices, widget=forms.RadioSelect, label="How the appeal ended"
    )
    order_kind = forms.ChoiceField(
        choices=[("", "Not an order"), *ORDER_KIND_CHOICES],
        required=False,
        label="What the council must do",
    )
    terms = forms.CharField(
        widget=forms.Textarea, required=False, max_length=4000, label="Terms of the order"
    )


#: step -> (form class, button, legend of its date)
STEPS = {
    "open": (OpenForm, "Record the decision letter"),
    "mediation_start": (DateForm, "Record contact with the mediation adviser"),
    "choose_mediation": (DateForm, "Record that the family chose mediation"),
    "record_held": (MediationHeldForm, "Record the mediation"),
    "issue_certificate": (DateForm, "Record the mediation certificate"),
    "agreement_action": (AgreementActionForm, "Add what was agreed"),
    "appeal_register": (AppealRegisterForm, "Record the appeal"),
    "appeal_response": (DateForm, "Record the council's response"),
    "appeal_hearing": (DateForm, "Record the hearing date"),
    "appeal_outcome": (AppealOutcomeForm, "Record the outcome"),
    "close_without_appeal": (DateForm, "Close: no appeal was made"),
    "step_done": (DateForm, "Record as done"),
}

DATE_LEGENDS = {
    "mediation_start": "Date the family contacted the mediation adviser",
    "choose_mediation": "Date the council was told the family wants mediation",
    "issue_certificate": "Date the certificate was issued",
    "appeal_response": "Date the response was sent to the tribunal",
    "appeal_hearing": "Date of the hearing",
    "close_without_appeal": "Date the window closed or the matter was settled",
    "step_done": "Date it was done",
}
