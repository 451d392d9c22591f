"""The disputes API's shapes. Input serializers only parse: the services decide."""

from __future__ import annotations

from rest_framework import serializers

from .forms import ORDER_KIND_CHOICES
from .models import (
    Appeal,
    AppealOutcome,
    Decision,
    Dispute,
    Ground,
    Mediation,
    MediationOutcome,
    Order,
    OrderDeadline,
)


class OrderDeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderDeadline
        fields = ["id", "step", "label", "regulation", "due_on", "done_on", "not_needed"]


class OrderSerializer(serializers.ModelSerializer):
    deadlines = OrderDeadlineSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = ["id", "source", "kind", "made_on", "terms", "reopened_case", "deadlines"]


class MediationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mediation
        fields = [
            "status",
            "adviser_contacted_on",
            "mediation_requested_on",
            "mediation_due",
            "held_on",
            "outcome",
            "certificate_issued_on",
        ]


class AppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appeal
        fields = [
            "status",
            "registered_on",
            "grounds",
            "response_due",
            "response_sent_on",
            "hearing_on",
            "outcome",
            "outcome_on",
        ]


class DisputeSerializer(serializers.ModelSerializer):
    mediation = serializers.SerializerMethodField()
    appeal = serializers.SerializerMethodField()
    orders = OrderSerializer(many=True, read_only=True)
    title = serializers.CharField(read_only=True)
    review = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "decision",
            "title",
            "review",
            "decision_letter_sent_on",
            "appeal_deadline",
            "status",
            "mediation",
            "appeal",
            "orders",
        ]

    def _child(self, dispute, name, serializer):
        value = getattr(dispute, name, None)
        return serializer(value).data if value is not None else None

    def get_mediation(self, dispute) -> MediationSerializer(allow_null=True):
        return self._child(dispute, "mediation", MediationSerializer)

    def get_appeal(self, dispute) -> AppealSerializer(allow_null=True):
        return self._child(dispute, "appeal", AppealSerializer)


class AppealWindowSerializer(serializers.Serializer):
    decision = serializers.CharField()
    letter_sent_on = serializers.DateField()
    appeal_deadline = serializers.DateField()
    adviser_contact_due = serializers.DateField()


class CaseDisputesSerializer(serializers.Serializer):
    pending_window = AppealWindowSerializer(allow_null=True)
    disputes = DisputeSerializer(many=True)


class DisputeOpenSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    letter_sent_on = serializers.DateField(required=False, allow_null=True)


class MediationStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(
        choices=["start", "choose_mediation", "record_held", "issue_certificate"]
    )
    on = serializers.DateField()
    outcome = serializers.ChoiceField(
        choices=MediationOutcome.choices, required=False, allow_blank=True
    )


class AgreementActionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ORDER_KIND_CHOICES)
    terms = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class AppealStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["register", "response", "hearing", "outcome"])
    on = serializers.DateField()
    grounds = serializers.ListField(
        child=serializers.ChoiceField(choices=Ground.choices), required=False
    )
    outcome = serializers.ChoiceField(
        choices=AppealOutcome.choices, required=False, allow_blank=True
    )
    order_kind = serializers.ChoiceField(
        choices=ORDER_KIND_CHOICES, required=False, allow_blank=True
    )
    terms = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class StepDoneSerializer(serializers.Serializer):
    on = serializers.DateField()
