"""The review pages' forms. Thin: parse what a person typed; the services decide."""

from __future__ import annotations

from django import forms

from advice_requests.models import PartnerService, PartnerServiceKind
from cases.forms import GovukDateField
from reports.sen2_codes import CeaseReason

from .models import OutcomeProgress
from .services import TRANSITIONS


class ScheduleForm(forms.Form):
    meeting_on = GovukDateField(label="Date of the review meeting")
    school = forms.ModelChoiceField(
        queryset=PartnerService.objects.filter(kind=PartnerServiceKind.SCHOOL, is_active=True),
        required=False,
        label="School or setting asked for the review report",
        empty_label="None: the SEN team writes the report",
    )
    outcomes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=8000,
        label="Outcomes to review (section E)",
        help_text="One outcome a line, as the plan words it.",
    )

    def outcome_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["outcomes"].splitlines() if line.strip()]


class StepForm(forms.Form):
    """One review step; its prefix is the step's name so ids stay unique on the page. Which of
    the optional fields a step shows is decided by STEP_FIELDS."""

    transition = forms.ChoiceField(choices=[(n, r.label) for n, r in TRANSITIONS.items()])
    expected_status = forms.CharField(max_length=32)
    effective_date = GovukDateField(label="Date it happened")
    decision_letter_sent_on = GovukDateField(
        label="Date the decision letter was sent", required=False
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        label="Why (this goes in the letter to the family)",
    )
    report_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=8000,
        label="Summary of the review report",
    )
    report_by = forms.CharField(required=False, max_length=200, label="Report written by")
    child_views_given = forms.BooleanField(
        required=False, label="The child or young person gave their views"
    )
    child_attended = forms.BooleanField(required=False, label="The child or young person attended")
    cease_reason = forms.TypedChoiceField(
        choices=[("", "Choose a reason"), *CeaseReason.choices],
        coerce=int,
        required=False,
        label="Reason the plan is ceasing",
    )
    setting_name = forms.CharField(
        required=False, max_length=200, label="Setting named in the amended plan (if it changed)"
    )
    setting_urn = forms.RegexField(
        regex=r"^\d{6}$",
        required=False,
        label="Its URN",
        error_messages={"invalid": "Enter the URN as 6 digits."},
    )

    def details(self) -> dict:
        names = STEP_FIELDS.get(self.cleaned_data["transition"], ())
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


#: The fields each step asks for, besides its date.
STEP_FIELDS = {
    "hold_meeting": ("child_views_given", "child_attended"),
    "receive_report": ("report_text", "report_by"),
    "decide_maintain": ("reason", "decision_letter_sent_on"),
    "decide_amend": ("reason", "decision_letter_sent_on"),
    "decide_cease": ("reason", "decision_letter_sent_on"),
    "keep_plan": ("reason", "decision_letter_sent_on"),
    "cease_plan": ("cease_reason", "reason"),
    "issue_amended_plan": ("setting_name", "setting_urn"),
}
#: Asked only where the plan's letters and versions are not held here (no case here): the
#: date the letter went, and the setting named (else taken from the amended plan's section I).
BY_HAND_ONLY = ("decision_letter_sent_on", "setting_name", "setting_urn")


def step_fields(name: str, *, letters_here: bool) -> tuple[str, ...]:
    names = STEP_FIELDS.get(name, ())
    if letters_here:
        return tuple(n for n in names if n not in BY_HAND_ONLY or n == "setting_urn")
    return names


class ReportForm(forms.Form):
    """The school's review report (reg 20(7))."""

    report_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=8000,
        label="Review report",
        help_text="The progress made, the views given at the meeting and what you recommend.",
        error_messages={"required": "Enter the review report."},
    )
    report_by = forms.CharField(
        max_length=200,
        label="Your name and role",
        error_messages={"required": "Enter your name and role."},
    )


def progress_form(review, data=None):
    """The outcomes of a review, each with its progress and evidence, and the child's part."""
    fields = {}
    for outcome in review.outcomes.all():
        fields[f"progress_{outcome.pk}"] = forms.ChoiceField(
            choices=[("", "Not yet reviewed"), *OutcomeProgress.choices],
            required=False,
            label=outcome.outcome_text,
            initial=outcome.progress,
        )
        fields[f"evidence_{outcome.pk}"] = forms.CharField(
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 2}),
            label="Evidence",
            initial=outcome.evidence,
        )
    fields["child_views_given"] = forms.BooleanField(
        required=False,
        label="The child or young person gave their views",
        initial=review.child_views_given,
    )
    fields["child_attended"] = forms.BooleanField(
        required=False, label="The child or young person attended", initial=review.child_attended
    )
    fields["preparing_for_adulthood_considered"] = forms.BooleanField(
        required=False,
        label="Preparing for adulthood was considered (from year 9)",
        initial=review.preparing_for_adulthood_considered,
    )
    form_class = type("ProgressForm", (forms.Form,), fields)
    form = form_class(data=data)
    form.outcome_rows = [
        (o, form[f"progress_{o.pk}"], form[f"evidence_{o.pk}"]) for o in review.outcomes.all()
    ]
    return form


class PlanImportForm(forms.Form):
    plans = forms.FileField(
        label="Active plans CSV file",
        error_messages={"required": "Choose the CSV file of active plans to import."},
    )
    dry_run = forms.BooleanField(required=False, label="Check the file only (import nothing)")
