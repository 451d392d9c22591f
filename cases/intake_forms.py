"""Forms of the intake question pages and the family edit pages (section 10). Messages follow
the GOV.UK pattern: what went wrong and how to fix it, in the words of the field's label."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from .forms import GovukDateField
from .models import (
    EMAIL_INVALID,
    ContactMethod,
    PrimaryNeed,
    RequestSource,
    upn_validator,
    urn_validator,
    validate_phone,
)
from .roles import Role

YES_NO = [("yes", "Yes"), ("no", "No")]
DIFFERENT_CHILD_CHOICE = "different_child"
CHOOSE_MATCH = "Select the child this request is about, or that it is a different child"


def _required(message):
    return {"required": message}


def _yes_no(value) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class FindChildForm(forms.Form):
    first_name = forms.CharField(
        max_length=100, label="First name", error_messages=_required("Enter the child's first name")
    )
    last_name = forms.CharField(
        max_length=100, label="Last name", error_messages=_required("Enter the child's last name")
    )
    date_of_birth = GovukDateField(label="Date of birth")
    upn = forms.CharField(
        max_length=13, required=False, label="Unique pupil number (UPN)", validators=[upn_validator]
    )

    def clean_upn(self):
        return self.cleaned_data["upn"].strip().upper()

    def clean_date_of_birth(self):
        return self.cleaned_data["date_of_birth"]


class MatchForm(forms.Form):
    """Which of the possible matches is this child, or a different child."""

    choice = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_MATCH, "invalid_choice": CHOOSE_MATCH},
    )

    def __init__(self, *args, match_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(str(pk), str(pk)) for pk in match_ids] + [
            (DIFFERENT_CHILD_CHOICE, "A different child")
        ]


class ChildDetailsForm(forms.Form):
    first_name = forms.CharField(
        max_length=100, label="First name", error_messages=_required("Enter the child's first name")
    )
    last_name = forms.CharField(
        max_length=100, label="Last name", error_messages=_required("Enter the child's last name")
    )
    date_of_birth = GovukDateField(label="Date of birth")
    upn = forms.CharField(
        max_length=13, required=False, label="Unique pupil number (UPN)", validators=[upn_validator]
    )
    home_local_authority = forms.CharField(
        max_length=100, required=False, label="Home local authority"
    )
    current_setting = forms.CharField(max_length=200, required=False, label="Current setting")
    current_setting_urn = forms.CharField(
        max_length=6,
        required=False,
        label="Setting's unique reference number (URN)",
        validators=[urn_validator],
        error_messages={"max_length": "A unique reference number (URN) is 6 digits, like 100001."},
    )
    in_year_9_or_above = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label="Is the child in year 9 or above?",
        error_messages=_required("Select yes if the child is in year 9 or above"),
    )

    def clean_upn(self):
        return self.cleaned_data["upn"].strip().upper()

    def clean_current_setting_urn(self):
        return self.cleaned_data["current_setting_urn"].strip()

    def clean_in_year_9_or_above(self):
        return _yes_no(self.cleaned_data["in_year_9_or_above"])


class ParentCarerForm(forms.Form):
    name = forms.CharField(
        max_length=200, label="Full name", error_messages=_required("Enter the person's full name")
    )
    relationship = forms.CharField(
        max_length=100, required=False, label="Relationship to the child"
    )
    has_parental_responsibility = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label="Do they have parental responsibility?",
        error_messages=_required("Select yes if they have parental responsibility"),
    )
    address = forms.CharField(
        widget=forms.Textarea, required=False, max_length=2000, label="Address"
    )
    email = forms.EmailField(
        max_length=254,
        required=False,
        label="Email address",
        error_messages={"invalid": EMAIL_INVALID},
    )
    phone = forms.CharField(
        max_length=40, required=False, label="Telephone number", validators=[validate_phone]
    )
    preferred_contact_method = forms.ChoiceField(
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        label="How do they prefer to be contacted?",
        error_messages=_required("Select how they prefer to be contacted"),
    )
    communication_needs = forms.CharField(
        widget=forms.Textarea, required=False, max_length=2000, label="Communication needs"
    )
    interpreter_language = forms.CharField(
        max_length=100, required=False, label="Interpreter language"
    )

    def clean_has_parental_responsibility(self):
        return _yes_no(self.cleaned_data["has_parental_responsibility"])

    @classmethod
    def initial_from(cls, person: dict) -> dict:
        initial = dict(person)
        value = initial.get("has_parental_responsibility")
        if value is not None:
            initial["has_parental_responsibility"] = "yes" if value else "no"
        return initial


class AddAnotherForm(forms.Form):
    add_another = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=_required("Select yes if you need to add another person"),
    )


def caseworker_choices():
    User = get_user_model()
    people = (
        User.objects.filter(is_active=True, groups__name__in=[Role.CASEWORKER, Role.MANAGER])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return [("", "Not assigned yet")] + [
        (str(user.pk), user.get_full_name() or user.username) for user in people
    ]


class RequestDetailsForm(forms.Form):
    received_on = GovukDateField(label="Date the request was received")
    request_source = forms.TypedChoiceField(
        choices=RequestSource.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="Who made the request?",
        error_messages=_required("Select who made the request"),
    )
    primary_need = forms.ChoiceField(
        choices=[("", "Choose the primary need"), *PrimaryNeed.choices],
        label="Primary need",
        error_messages=_required("Select the child's primary need"),
    )
    secondary_needs = forms.MultipleChoiceField(
        choices=PrimaryNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Secondary needs",
    )
    evidence_deadline = GovukDateField(label="Evidence deadline", required=False)
    caseworker = forms.ChoiceField(required=False, label="Caseworker")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].choices = caseworker_choices()

    def clean(self):
        cleaned = super().clean()
        primary, secondary = cleaned.get("primary_need"), cleaned.get("secondary_needs") or []
        if primary and primary in secondary:
            self.add_error("secondary_needs", "A secondary need cannot be the primary need too")
        received, deadline = cleaned.get("received_on"), cleaned.get("evidence_deadline")
        if received and deadline and deadline < received:
            self.add_error(
                "evidence_deadline",
                "The evidence deadline must be on or after the date the request was received",
            )
        return cleaned


class ConsentForm(forms.Form):
    """A young person's consent to their parents seeing the case (section 10)."""

    consents = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Not recorded")],
        widget=forms.RadioSelect,
        label="Does the young person consent to their parents seeing the case?",
        error_messages=_required("Select whether the young person consents"),
    )
    recorded_on = GovukDateField(label="Date consent was given or refused", required=False)

    def clean(self):
        cleaned = super().clean()
        consents = cleaned.get("consents")
        if (
            consents in ("yes", "no")
            and not cleaned.get("recorded_on")
            and not self.has_error("recorded_on")
        ):
            self.add_error("recorded_on", "Enter the date consent was given or refused")
        return cleaned

    def data_for_service(self) -> dict:
        consents = {"yes": True, "no": False}.get(self.cleaned_data["consents"])
        return {
            "young_person_consents_to_parents": consents,
            "consent_recorded_on": self.cleaned_data["recorded_on"]
            if consents is not None
            else None,
        }
