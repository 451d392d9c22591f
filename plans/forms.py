"""Forms of the plan pages. Thin: they parse; the services decide (and their messages, in the
words of each field's label, come back onto the fields)."""

from __future__ import annotations

from django import forms

from cases.forms import GovukDateField

from .letter_models import SentMethod
from .models import (
    RECORDED_SOURCES,
    CommentAnswer,
    CommentKind,
    ConsultationAnswer,
    FrequencyUnit,
    NeedArea,
    ProvisionSection,
    Section,
)
from .services import PROVISION_LIMITS

REQUIRED = "Enter {label}."


def _required(label: str) -> dict:
    return {"required": REQUIRED.format(label=label.lower())}


class SectionsForm(forms.Form):
    child_views = forms.CharField(
        label="The child's or young person's own views (section A)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=(
            "In their own words where possible: what they like, what is hard, what they hope for."
        ),
    )
    family_views = forms.CharField(
        label="The parents' views (section A)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    aspirations = forms.CharField(
        label="Interests and aspirations (section A)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    health_needs = forms.CharField(
        label="Health care needs related to the special educational needs (section C)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    social_care_needs = forms.CharField(
        label="Social care needs (section D)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    setting_type = forms.CharField(
        label="Type of school or setting (section I)",
        max_length=200,
        required=False,
        help_text="For example, mainstream primary school. A draft shows the type only.",
    )
    setting_name = forms.CharField(
        label="School or setting to be named in the final plan (section I)",
        max_length=200,
        required=False,
        help_text="Never shown in a draft plan.",
    )
    personal_budget = forms.CharField(
        label="Personal budget (section J)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class SourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        advice = obj.advice_request
        provider = advice.service.name if advice.service_id else "the family"
        return f"{advice.get_kind_display()} from {provider}, {obj.submitted_on:%-d %B %Y}"


class LinkChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj.text if hasattr(obj, "text") else obj.what)[:120]


def _source_field(submissions):
    return SourceChoiceField(
        queryset=submissions,
        required=False,
        label="Advice it comes from",
        empty_label="Not from a piece of advice",
    )


class NeedForm(forms.Form):
    area = forms.ChoiceField(
        choices=NeedArea.choices,
        widget=forms.RadioSelect,
        label="Area of need",
        error_messages={"required": "Choose the area of need."},
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Description of the need",
        error_messages=_required("the description of the need"),
    )

    def __init__(self, *args, plan, submissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcomes"] = LinkChoiceField(
            queryset=plan.outcomes.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Outcomes it works towards (section E)",
        )
        self.fields["provision"] = LinkChoiceField(
            queryset=plan.provision.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Provision that meets it (sections F to H2)",
        )
        self.fields["source"] = _source_field(submissions)


class OutcomeForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Outcome",
        help_text="What the child will be able to do, and by when.",
        error_messages=_required("the outcome"),
    )
    preparing_for_adulthood = forms.BooleanField(
        required=False, label="A preparing-for-adulthood outcome"
    )

    def __init__(self, *args, plan, submissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"] = LinkChoiceField(
            queryset=plan.needs.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Needs it works towards (section B)",
        )
        self.fields["source"] = _source_field(submissions)


class ProvisionForm(forms.Form):
    section = forms.ChoiceField(choices=ProvisionSection.choices, label="Section", initial="F")
    what = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What is provided",
        error_messages=_required("what is provided"),
    )
    delivered_by = forms.CharField(max_length=200, required=False, label="Who delivers it")
    qualification = forms.CharField(max_length=200, required=False, label="Their qualification")
    frequency = forms.IntegerField(
        min_value=1,
        max_value=PROVISION_LIMITS["frequency"],
        required=False,
        label="How often: number of times",
        error_messages={
            "invalid": "How often must be a whole number, like 2.",
            "min_value": "How often must be 1 or more.",
        },
    )
    frequency_unit = forms.ChoiceField(
        choices=[("", "Choose")] + FrequencyUnit.choices, required=False, label="How often: per"
    )
    session_minutes = forms.IntegerField(
        min_value=1,
        max_value=PROVISION_LIMITS["session_minutes"],
        required=False,
        label="How long each time, in minutes",
        error_messages={"invalid": "How long must be a number of minutes, like 30."},
    )
    group_size = forms.IntegerField(
        min_value=1,
        max_value=PROVISION_LIMITS["group_size"],
        required=False,
        label="Group size (1 for one to one)",
        error_messages={"invalid": "Group size must be a whole number, like 1."},
    )
    starts_on = GovukDateField(label="From", required=False)

    def __init__(self, *args, plan, submissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"] = LinkChoiceField(
            queryset=plan.needs.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Needs it meets (section B)",
        )
        self.fields["source"] = _source_field(submissions)


class AdviceListedForm(forms.Form):
    description = forms.CharField(
        max_length=200,
        label="Advice or information",
        error_messages=_required("the advice or information"),
    )
    provider = forms.CharField(max_length=200, required=False, label="From")
    dated = GovukDateField(label="Dated", required=False)


class CommentForm(forms.Form):
    kind = forms.ChoiceField(
        choices=CommentKind.choices,
        widget=forms.RadioSelect,
        label="What the family asked",
        initial="comment",
    )
    section = forms.ChoiceField(
        choices=[("", "Choose a section")] + Section.choices,
        label="Section of the plan",
        error_messages={"required": "Choose the section of the plan the comment is about."},
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What the family said",
        error_messages=_required("what the family said"),
    )
    source = forms.ChoiceField(
        choices=RECORDED_SOURCES,
        widget=forms.RadioSelect,
        label="How it reached you",
        error_messages={"required": "Say how the comment reached you: letter, email or meeting."},
    )
    received_on = GovukDateField(label="Date received")


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=CommentAnswer.choices,
        widget=forms.RadioSelect,
        label="Answer",
        error_messages={"required": "Choose accepted or not accepted."},
    )
    answer_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="What will change, or why it is not accepted",
    )


class ConsultationForm(forms.Form):
    setting_name = forms.CharField(
        max_length=200,
        label="School or college",
        error_messages=_required("the name of the school or college"),
    )
    setting_type = forms.CharField(
        max_length=200, required=False, label="Type of school or college"
    )
    contact_email = forms.EmailField(
        required=False,
        label="Email address to send the consultation to",
        error_messages={"invalid": "Enter an email address like name@example.org."},
    )
    sent_on = GovukDateField(label="Date sent")


class ResponseForm(forms.Form):
    answer = forms.ChoiceField(
        choices=ConsultationAnswer.choices,
        widget=forms.RadioSelect,
        label="The school's or college's answer",
        error_messages={"required": "Choose whether the school or college can meet the needs."},
    )
    responded_on = GovukDateField(label="Date of the response", required=False)
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Reasons given"
    )
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Evidence given"
    )


class LetterSentForm(forms.Form):
    method = forms.ChoiceField(
        choices=SentMethod.choices,
        widget=forms.RadioSelect,
        label="How it was sent",
        error_messages={"required": "Say how the letter was sent: email, post or by hand."},
    )
    sent_on = GovukDateField(label="Date sent")
