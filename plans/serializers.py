"""What the plan and letter API reads and writes. Thin: shapes only; the services decide."""

from __future__ import annotations

from rest_framework import serializers

from .letter_models import LetterKind, SentMethod
from .models import (
    CommentAnswer,
    CommentKind,
    CommentSource,
    ConsultationAnswer,
    FrequencyUnit,
    NeedArea,
    ProvisionSection,
    Section,
    VersionKind,
)
from .services import PLAN_TEXT_FIELDS, PROVISION_FIELDS, PROVISION_LIMITS


class PlanSectionsSerializer(serializers.Serializer):
    """The text sections (A, C, D, I, J); every field optional on PATCH."""

    child_views = serializers.CharField(required=False, allow_blank=True)
    family_views = serializers.CharField(required=False, allow_blank=True)
    aspirations = serializers.CharField(required=False, allow_blank=True)
    health_needs = serializers.CharField(required=False, allow_blank=True)
    social_care_needs = serializers.CharField(required=False, allow_blank=True)
    setting_type = serializers.CharField(required=False, allow_blank=True, max_length=200)
    setting_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    personal_budget = serializers.CharField(required=False, allow_blank=True)


assert set(PlanSectionsSerializer._declared_fields) == set(PLAN_TEXT_FIELDS)  # noqa: S101


SOURCE_HELP = "An advice submission of this case (null: not from a piece of advice)."


def _ids(help_text: str):
    return serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=help_text
    )


class NeedSerializer(serializers.Serializer):
    """Section B. On PATCH only the fields given change; links given replace the links."""

    area = serializers.ChoiceField(choices=NeedArea.choices)
    text = serializers.CharField()
    source = serializers.IntegerField(required=False, allow_null=True, help_text=SOURCE_HELP)
    outcomes = _ids("Outcome ids of this plan (section E) it works towards.")
    provision = _ids("Provision ids of this plan (sections F to H2) that meet it.")


class PlanOutcomeSerializer(serializers.Serializer):
    """Section E."""

    text = serializers.CharField()
    preparing_for_adulthood = serializers.BooleanField(required=False)
    source = serializers.IntegerField(required=False, allow_null=True, help_text=SOURCE_HELP)
    needs = _ids("Need ids of this plan (section B) it works towards.")


def _number(name: str):
    return serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=PROVISION_LIMITS[name]
    )


class ProvisionSerializer(serializers.Serializer):
    """Sections F to H2: a frequency needs its unit (and a unit its frequency)."""

    section = serializers.ChoiceField(choices=ProvisionSection.choices, required=False)
    what = serializers.CharField()
    delivered_by = serializers.CharField(required=False, allow_blank=True)
    qualification = serializers.CharField(required=False, allow_blank=True)
    frequency = _number("frequency")
    frequency_unit = serializers.ChoiceField(
        choices=FrequencyUnit.choices, required=False, allow_blank=True
    )
    session_minutes = _number("session_minutes")
    group_size = _number("group_size")
    starts_on = serializers.DateField(required=False, allow_null=True)
    source = serializers.IntegerField(required=False, allow_null=True, help_text=SOURCE_HELP)
    needs = _ids("Need ids of this plan (section B) it meets.")


class PlanAdviceListedSerializer(serializers.Serializer):
    """Section K: advice or information gathered."""

    description = serializers.CharField(max_length=200)
    provider = serializers.CharField(max_length=200, required=False, allow_blank=True)
    dated = serializers.DateField(required=False, allow_null=True)


class PlanSerializer(serializers.Serializer):
    """The working copy: the text sections, the rows with their ids and links, and the plan as
    the family would read it (`document`, the snapshot a version freezes)."""

    id = serializers.IntegerField()
    reference = serializers.CharField(source="case.reference")
    sections = serializers.SerializerMethodField()
    needs = serializers.SerializerMethodField()
    outcomes = serializers.SerializerMethodField()
    provision = serializers.SerializerMethodField()
    advice = serializers.SerializerMethodField(help_text="Section K, with ids.")
    document = serializers.SerializerMethodField()

    def get_sections(self, plan) -> dict:
        return {name: getattr(plan, name) for name in PLAN_TEXT_FIELDS}

    def get_needs(self, plan) -> list[dict]:
        return [
            {
                "id": n.pk,
                "area": n.area,
                "text": n.text,
                "source": n.source_id,
                "outcomes": [o.pk for o in n.outcomes.all()],
                "provision": [p.pk for p in n.provision.all()],
            }
            for n in plan.needs.prefetch_related("outcomes", "provision")
        ]

    def get_outcomes(self, plan) -> list[dict]:
        return [
            {
                "id": o.pk,
                "text": o.text,
                "preparing_for_adulthood": o.preparing_for_adulthood,
                "source": o.source_id,
                "needs": [n.pk for n in o.needs.all()],
            }
            for o in plan.outcomes.prefetch_related("needs")
        ]

    def get_provision(self, plan) -> list[dict]:
        return [
            {
                "id": p.pk,
                **{name: getattr(p, name) for name in PROVISION_FIELDS},
                "source": p.source_id,
                "needs": [n.pk for n in p.needs.all()],
            }
            for p in plan.provision.prefetch_related("needs")
        ]

    def get_advice(self, plan) -> list[dict]:
        return [
            {
                "id": a.pk,
                "description": a.description,
                "provider": a.provider,
                "dated": a.dated,
                "submission": a.submission_id,
            }
            for a in plan.advice_listed.all()
        ]

    def get_document(self, plan) -> dict:
        return self.context["document"]


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    section = serializers.CharField()
    message = serializers.CharField()


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=VersionKind.choices)
    issued_on = serializers.DateField()


class DiffSectionSerializer(serializers.Serializer):
    section = serializers.ChoiceField(choices=Section.choices)
    title = serializers.CharField()
    changed = serializers.BooleanField()
    removed = serializers.ListField(child=serializers.CharField())
    added = serializers.ListField(child=serializers.CharField())


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    kind = serializers.ChoiceField(choices=CommentKind.choices, default="comment")
    section = serializers.ChoiceField(choices=Section.choices)
    text = serializers.CharField()
    source = serializers.ChoiceField(choices=CommentSource.choices)
    received_on = serializers.DateField()
    answer = serializers.CharField(read_only=True)
    answer_text = serializers.CharField(read_only=True)
    answered_on = serializers.DateField(read_only=True)
    changed_in = serializers.IntegerField(
        source="changed_in.number", read_only=True, allow_null=True, default=None
    )


class CommentAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=CommentAnswer.choices)
    answer_text = serializers.CharField(required=False, allow_blank=True, default="")
    answered_on = serializers.DateField(required=False, allow_null=True, default=None)


class ConsultationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    setting_name = serializers.CharField(max_length=200)
    setting_type = serializers.CharField(required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    sent_on = serializers.DateField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField(read_only=True)
    last_chased_on = serializers.DateField(read_only=True)
    answer = serializers.CharField(read_only=True)
    reasons = serializers.CharField(read_only=True)
    evidence = serializers.CharField(read_only=True)
    responded_on = serializers.DateField(read_only=True)


class ConsultationResponseSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=ConsultationAnswer.choices)
    responded_on = serializers.DateField(allow_null=True, required=False, default=None)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class LetterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(source="case.reference")
    kind = serializers.ChoiceField(source="notice.kind", choices=LetterKind.choices)
    decided_on = serializers.DateField(source="notice.decided_on")
    send_by = serializers.DateField(source="notice.letter_due_on")
    recipient_name = serializers.CharField()
    to_young_person = serializers.BooleanField()
    subject = serializers.CharField()
    sent_on = serializers.DateField(allow_null=True)
    sent_method = serializers.CharField()
    family_notified_on = serializers.DateField(source="notice.family_notified_on", allow_null=True)


class LetterSentSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=SentMethod.choices)
    sent_on = serializers.DateField(required=False, allow_null=True, default=None)
