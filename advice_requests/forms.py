"""Forms of the advice pages, and the advice choice shown inside the case page's "Agree to
assess" step. Thin: they shape input for the services, which decide (ehc-process.md section 4)."""

from __future__ import annotations

from django import forms

from . import errors
from .hooks import required_kinds
from .models import AdviceKind, PartnerService, PartnerServiceKind

EP_SERVICE_REQUIRED = "Choose the educational psychology service to ask for advice."
PFA_SERVICE_REQUIRED = (
    "Choose the service to ask for preparing-for-adulthood advice: the child is in year 9 or above."
)
QUESTION_FOR_SERVICE_REQUIRED = "Say what {label} is asked to advise on."
SERVICE_FOR_QUESTION_REQUIRED = "Choose the service to ask for {label}, or clear its question."

#: The hidden status field is only missing from a tampered or stale form.
PAGE_OUT_OF_DATE = {
    "required": "This page is out of date: reload it and try again.",
    "max_length": "This page is out of date: reload it and try again.",
}

DEFAULT_QUESTIONS = {
    AdviceKind.EDUCATIONAL_PSYCHOLOGY: (
        "What are the child's special educational needs, the outcomes to aim for and the "
        "provision needed to meet them?"
    ),
    AdviceKind.PARENT_VIEWS: (
        "What are your views, wishes and feelings about your child's needs, and your child's own?"
    ),
    AdviceKind.PREPARING_FOR_ADULTHOOD: (
        "What support will the young person need to prepare for adulthood (employment, "
        "independent living, community and health)?"
    ),
}

EP_KINDS = (PartnerServiceKind.EP_SERVICE, PartnerServiceKind.COMMISSIONED_EP)

#: Optional advice the panel may add: (advice kind, label in messages).
EXTRA_KINDS = (
    (AdviceKind.HEALTH, "medical advice"),
    (AdviceKind.SOCIAL_CARE, "social care advice"),
    (AdviceKind.EDUCATION, "educational advice"),
    (AdviceKind.SENSORY, "hearing or vision advice"),
    (AdviceKind.OTHER, "other advice"),
)


def _services():
    return PartnerService.objects.filter(is_active=True).order_by("name")


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AdviceChoiceForm(forms.Form):
    """The advice the panel chose when agreeing to assess (reg 6(1)): educational psychology and
    the family's views always, preparing for adulthood from year 9, and any extra advice."""

    template_name = "advice_requests/includes/advice_choice.html"

    ep_service = ServiceChoiceField(
        queryset=PartnerService.objects.none(),
        label="Educational psychology service",
        error_messages={"required": EP_SERVICE_REQUIRED, "invalid_choice": EP_SERVICE_REQUIRED},
    )
    ep_question = forms.CharField(
        label="Question for the educational psychologist",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={
            "required": "Enter the question for the educational psychologist.",
            "max_length": "The question must be 4,000 characters or fewer.",
        },
    )
    parent_views_question = forms.CharField(
        label="Question for the family",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={
            "required": "Enter the question for the family.",
            "max_length": "The question must be 4,000 characters or fewer.",
        },
    )
    pfa_service = ServiceChoiceField(
        queryset=PartnerService.objects.none(),
        label="Preparing-for-adulthood service",
        required=False,
        error_messages={"invalid_choice": PFA_SERVICE_REQUIRED},
    )
    pfa_question = forms.CharField(
        label="Question about preparing for adulthood",
        widget=forms.Textarea,
        max_length=4000,
        required=False,
        error_messages={"max_length": "The question must be 4,000 characters or fewer."},
    )

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("prefix", "agree_to_assess-advice")
        kwargs.setdefault(
            "initial",
            {
                "ep_question": DEFAULT_QUESTIONS[AdviceKind.EDUCATIONAL_PSYCHOLOGY],
                "parent_views_question": DEFAULT_QUESTIONS[AdviceKind.PARENT_VIEWS],
                "pfa_question": DEFAULT_QUESTIONS[AdviceKind.PREPARING_FOR_ADULTHOOD],
            },
        )
        super().__init__(*args, **kwargs)
        self.case = case
        self.pfa_required = AdviceKind.PREPARING_FOR_ADULTHOOD in required_kinds(case)
        services = _services()
        self.fields["ep_service"].queryset = services.filter(kind__in=EP_KINDS)
        self.fields["pfa_service"].queryset = services
        for kind, label in EXTRA_KINDS:
            self.fields[f"{kind}_service"] = ServiceChoiceField(
                queryset=services,
                required=False,
                label="Service",
                error_messages={
                    "invalid_choice": SERVICE_FOR_QUESTION_REQUIRED.format(label=label)
                },
            )
            self.fields[f"{kind}_question"] = forms.CharField(
                label="Question",
                widget=forms.Textarea,
                max_length=4000,
                required=False,
                error_messages={"max_length": "The question must be 4,000 characters or fewer."},
            )

    def extra_rows(self):
        """The optional advice, for the template: (kind, label, service field, question field)."""
        return [
            {
                "kind": kind,
                "label": AdviceKind(kind).label,
                "service_label": f"Service for {label}",
                "question_label": f"Question for {label}",
                "service": self[f"{kind}_service"],
                "question": self[f"{kind}_question"],
            }
            for kind, label in EXTRA_KINDS
        ]

    def clean(self):
        data = super().clean()
        if self.pfa_required:
            if not data.get("pfa_service"):
                self.add_error("pfa_service", PFA_SERVICE_REQUIRED)
            if not (data.get("pfa_question") or "").strip():
                self.add_error(
                    "pfa_question",
                    QUESTION_FOR_SERVICE_REQUIRED.format(
                        label="the preparing-for-adulthood service"
                    ),
                )
        for kind, label in EXTRA_KINDS:
            service = data.get(f"{kind}_service")
            question = (data.get(f"{kind}_question") or "").strip()
            if service and not question:
                self.add_error(
                    f"{kind}_question", QUESTION_FOR_SERVICE_REQUIRED.format(label=service.name)
                )
            elif question and not service:
                self.add_error(f"{kind}_service", SERVICE_FOR_QUESTION_REQUIRED.format(label=label))
        return data

    def details(self) -> dict:
        """What the `agree_to_assess` hook takes (advice_requests.hooks)."""
        data = self.cleaned_data
        advice = [
            {
                "kind": AdviceKind.EDUCATIONAL_PSYCHOLOGY,
                "service": data["ep_service"].pk,
                "question": data["ep_question"],
            },
            {
                "kind": AdviceKind.PARENT_VIEWS,
                "service": None,
                "question": data["parent_views_question"],
            },
        ]
        if data.get("pfa_service"):
            advice.append(
                {
                    "kind": AdviceKind.PREPARING_FOR_ADULTHOOD,
                    "service": data["pfa_service"].pk,
                    "question": data["pfa_question"],
                }
            )
        for kind, _ in EXTRA_KINDS:
            if data.get(f"{kind}_service"):
                advice.append(
                    {
                        "kind": kind,
                        "service": data[f"{kind}_service"].pk,
                        "question": data[f"{kind}_question"],
                    }
                )
        return {"advice": advice, "reused": []}


def advice_choice_form(*, case, data=None) -> AdviceChoiceForm:
    return AdviceChoiceForm(data, case=case)


class ReasonForm(forms.Form):
    """Decline, cancel or return for quality: the services require a reason."""

    expected_status = forms.CharField(max_length=32, error_messages=PAGE_OUT_OF_DATE)
    reason = forms.CharField(
        widget=forms.Textarea,
        max_length=4000,
        required=False,
        label="Reason",
        error_messages={"max_length": errors.TEXT_TOO_LONG.format(label="The reason", limit=4000)},
    )


class SubmissionForm(forms.Form):
    """The provider's advice: a document and the structured summary (section 4). The document
    is checked by content in the service, not here, so the page and the API refuse alike."""

    expected_status = forms.CharField(max_length=32, error_messages=PAGE_OUT_OF_DATE)
    document = forms.FileField(
        label="Advice document",
        required=False,
        error_messages={
            "contradiction": errors.DOCUMENT_REQUIRED,
            "empty": errors.DOCUMENT_EMPTY,
            "invalid": errors.DOCUMENT_REQUIRED,
            "missing": errors.DOCUMENT_REQUIRED,
            "max_length": "The document's name is too long: rename it and attach it again.",
        },
    )
    needs = forms.CharField(
        label="The child's needs", widget=forms.Textarea, max_length=20000, required=False
    )
    outcomes_sought = forms.CharField(
        label="Outcomes sought", widget=forms.Textarea, max_length=20000, required=False
    )
    provision = forms.CharField(
        label="Provision needed", widget=forms.Textarea, max_length=20000, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("needs", "outcomes_sought", "provision"):
            field = self.fields[name]
            field.error_messages["max_length"] = errors.TEXT_TOO_LONG.format(
                label=field.label, limit=field.max_length
            )
