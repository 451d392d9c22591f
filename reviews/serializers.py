"""The review API's shapes. Status is never writable: a step is an explicit POST."""

from __future__ import annotations

from rest_framework import serializers

from advice_requests.models import PartnerService, PartnerServiceKind
from reports.sen2_codes import CeaseReason

from .models import ActivePlan, Review, ReviewOutcomeProgress
from .selectors import LISTS
from .services import TRANSITIONS


class ActivePlanSerializer(serializers.ModelSerializer):
    # Codes that may be blank (or null) are plain text here, documented in docs/sen2.md.
    last_review_outcome = serializers.CharField(read_only=True)
    sen_setting = serializers.CharField(read_only=True)
    phase_transfer = serializers.CharField(read_only=True)
    cease_reason = serializers.IntegerField(read_only=True, allow_null=True)
    child_name = serializers.CharField(source="child.full_name")
    child_date_of_birth = serializers.DateField(source="child.date_of_birth")
    case_reference = serializers.CharField(source="case.reference", default=None, allow_null=True)

    class Meta:
        model = ActivePlan
        fields = (
            "id",
            "reference",
            "child_name",
            "child_date_of_birth",
            "case_reference",
            "start_date",
            "last_review_meeting_on",
            "last_review_decision_on",
            "last_review_outcome",
            "review_due",
            "setting_name",
            "setting_urn",
            "sen_setting",
            "primary_need",
            "secondary_needs",
            "phase_transfer",
            "phase_transfer_year",
            "phase_transfer_due",
            "phase_transfer_named_on",
            "transferred_in_from_la",
            "transferred_in_on",
            "ceased_on",
            "cease_reason",
        )
        read_only_fields = fields


class OutcomeProgressSerializer(serializers.ModelSerializer):
    progress = serializers.CharField(read_only=True, help_text="Blank until reviewed.")

    class Meta:
        model = ReviewOutcomeProgress
        fields = (
            "id",
            "outcome_label",
            "outcome_text",
            "plan_outcome",
            "plan_version",
            "progress",
            "evidence",
        )
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    decision = serializers.CharField(read_only=True, help_text="A, C, M, or blank until decided.")
    cease_reason = serializers.IntegerField(read_only=True, allow_null=True)
    plan_reference = serializers.CharField(source="plan.reference")
    child_name = serializers.CharField(source="plan.child.full_name")
    outcomes = OutcomeProgressSerializer(many=True)
    available_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = (
            "id",
            "plan",
            "plan_reference",
            "child_name",
            "status",
            "meeting_on",
            "school",
            "invitations_due",
            "report_due",
            "decision_due",
            "amended_plan_due",
            "next_milestone",
            "next_milestone_due",
            "invitations_sent_on",
            "meeting_held_on",
            "report_received_on",
            "report_text",
            "report_by",
            "decision",
            "decided_on",
            "decision_letter_sent_on",
            "decision_notice",
            "amendments_proposed_on",
            "proposed_version",
            "amended_plan_issued_on",
            "amended_version",
            "amended_plan_notice",
            "amended_plan_letter_sent_on",
            "cease_notice_on",
            "cease_consulted_on",
            "ceased_on",
            "cease_reason",
            "ceased_notice",
            "ceased_letter_sent_on",
            "child_views_given",
            "child_attended",
            "outcomes",
            "available_transitions",
        )
        read_only_fields = fields

    def get_available_transitions(self, review) -> list[str]:
        return self.context.get("available_transitions", [])


class ReviewScheduleSerializer(serializers.Serializer):
    meeting_on = serializers.DateField()
    school = serializers.PrimaryKeyRelatedField(
        queryset=PartnerService.objects.filter(kind=PartnerServiceKind.SCHOOL),
        required=False,
        allow_null=True,
    )
    outcomes = serializers.ListField(
        child=serializers.CharField(max_length=2000), required=False, default=list
    )


class ReviewTransitionSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=list(TRANSITIONS))
    effective_date = serializers.DateField(required=False)
    expected_status = serializers.CharField(required=False)
    decision_letter_sent_on = serializers.DateField(
        required=False,
        help_text="Only for a plan with no case here: otherwise the letters are written here "
        "and the date is recorded when they are marked sent.",
    )
    reason = serializers.CharField(
        required=False, max_length=4000, help_text="Why: said in the decision's letter."
    )
    report_text = serializers.CharField(required=False, max_length=8000)
    report_by = serializers.CharField(required=False, max_length=200)
    child_views_given = serializers.BooleanField(required=False)
    child_attended = serializers.BooleanField(required=False)
    cease_reason = serializers.ChoiceField(choices=CeaseReason.choices, required=False)
    setting_name = serializers.CharField(required=False, max_length=200)
    setting_urn = serializers.RegexField(r"^\d{6}$", required=False)

    def details(self) -> dict:
        data = dict(self.validated_data)
        for name in ("transition", "effective_date", "expected_status"):
            data.pop(name, None)
        return data


class ReviewListQuerySerializer(serializers.Serializer):
    list = serializers.ChoiceField(choices=list(LISTS), default="due_this_month")
