"""What the case API reads and writes. Thin: shapes only; the services decide."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from .deadlines import Risk
from .errors import CHILD_BOTH, CHILD_REQUIRED
from .extensions import case_readiness
from .family_serializers import ParentCarerSerializer, duplicate_decision_field
from .models import CaseStatus, Child, ExceptionGround, PrimaryNeed, RequestSource
from .selectors import case_deadlines
from .services import TRANSITIONS

User = get_user_model()

RISK_CHOICES = [(risk.value, risk.value) for risk in Risk]
TRANSITION_CHOICES = [(name, rule.label) for name, rule in TRANSITIONS.items()]


class MilestoneSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    due = serializers.DateField()


class DeadlineSerializer(serializers.Serializer):
    due = serializers.DateField()
    actual = serializers.DateField(allow_null=True, help_text="When the milestone was met.")
    on_time = serializers.BooleanField(
        allow_null=True, help_text="Met on or before its due date; null until met."
    )


class DeadlinesSerializer(serializers.Serializer):
    decision_to_assess_due = DeadlineSerializer(help_text="Reg 5(1): 6 weeks.")
    statutory_panel_decision_due = DeadlineSerializer(help_text="Operational: week 16.")
    draft_plan_due = DeadlineSerializer(help_text="Operational: final plan due - 15 days.")
    final_plan_due = DeadlineSerializer(help_text="Reg 13(2): 20 weeks.")


class ChildSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    upn = serializers.CharField(max_length=13, required=False, allow_blank=True)
    home_local_authority = serializers.CharField(max_length=100, required=False, allow_blank=True)
    current_setting = serializers.CharField(max_length=200, required=False, allow_blank=True)
    current_setting_urn = serializers.CharField(max_length=6, required=False, allow_blank=True)
    in_year_9_or_above = serializers.BooleanField(required=False, default=False)

    def validate_upn(self, value):
        return value.strip().upper()


def _next_milestone(case):
    if not case.next_milestone:
        return None
    return {
        "name": case.next_milestone,
        "label": case.get_next_milestone_display(),
        "due": case.next_milestone_due,
    }


class CaseForecastSerializer(serializers.Serializer):
    """Section 15: the stored forecast (worked out nightly); null dates mean no forecast."""

    computed_on = serializers.DateField()
    decision_to_assess_likely_on = serializers.DateField(allow_null=True)
    decision_to_assess_pessimistic_on = serializers.DateField(allow_null=True)
    statutory_panel_decision_likely_on = serializers.DateField(allow_null=True)
    statutory_panel_decision_pessimistic_on = serializers.DateField(allow_null=True)
    draft_plan_likely_on = serializers.DateField(allow_null=True)
    draft_plan_pessimistic_on = serializers.DateField(allow_null=True)
    final_plan_likely_on = serializers.DateField(allow_null=True)
    final_plan_pessimistic_on = serializers.DateField(allow_null=True)
    final_plan_likely_week = serializers.IntegerField(allow_null=True)
    misses_final_plan = serializers.BooleanField()
    reason = serializers.CharField()
    basis = serializers.ListField(child=serializers.CharField())
    no_history = serializers.CharField(help_text="The stage with no history to forecast from.")


class CaseListSerializer(serializers.Serializer):
    reference = serializers.CharField()
    child_name = serializers.CharField(source="child.full_name")
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    received_on = serializers.DateField()
    primary_need = serializers.ChoiceField(choices=PrimaryNeed.choices)
    caseworker = serializers.CharField(source="caseworker.username", allow_null=True)
    next_milestone = serializers.SerializerMethodField()
    risk = serializers.SerializerMethodField()
    final_plan_due = serializers.DateField()
    forecast_final_plan_likely_on = serializers.DateField(
        allow_null=True, default=None, help_text="Section 15: the likely final plan date."
    )
    forecast_misses_final_plan = serializers.BooleanField(
        allow_null=True, default=None, help_text="Forecast to miss 20 weeks."
    )

    def get_next_milestone(self, case) -> MilestoneSerializer(allow_null=True):
        return _next_milestone(case)

    def get_risk(self, case) -> serializers.ChoiceField(choices=RISK_CHOICES, allow_null=True):
        return case.risk or None


class CaseExceptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ground = serializers.ChoiceField(choices=ExceptionGround.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    notes = serializers.CharField()
    proposed_by = serializers.CharField(source="proposed_by.username")
    proposed_at = serializers.DateTimeField()
    agreed = serializers.BooleanField(source="is_agreed")
    agreed_by = serializers.CharField(source="agreed_by.username", allow_null=True)
    agreed_at = serializers.DateTimeField(allow_null=True)
    agreement_comment = serializers.CharField()
    refused = serializers.BooleanField(source="is_refused")
    refused_by = serializers.CharField(source="refused_by.username", allow_null=True)
    refused_at = serializers.DateTimeField(allow_null=True)
    refusal_reason = serializers.CharField()
    family_notified_on = serializers.DateField(allow_null=True)


class OutstandingAdviceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    service = serializers.CharField()
    status = serializers.CharField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()


class PanelReadinessSerializer(serializers.Serializer):
    """Section 4: ready for the statutory panel when no advice is outstanding."""

    ready = serializers.BooleanField()
    outstanding = OutstandingAdviceSerializer(many=True)


class CaseDetailSerializer(CaseListSerializer):
    child = ChildSerializer()
    request_source = serializers.ChoiceField(choices=RequestSource.choices)
    secondary_needs = serializers.ListField(child=serializers.CharField())
    status_changed_on = serializers.DateField()
    deadlines = serializers.SerializerMethodField()
    exceptions = CaseExceptionSerializer(many=True)
    available_transitions = serializers.SerializerMethodField()
    panel_readiness = serializers.SerializerMethodField()
    forecast = serializers.SerializerMethodField()

    def get_forecast(self, case) -> CaseForecastSerializer(allow_null=True):
        """Null for a closed case or before the first nightly forecast."""
        try:
            forecast = case.forecast
        except ObjectDoesNotExist:
            return None
        return CaseForecastSerializer(forecast).data

    def get_panel_readiness(self, case) -> PanelReadinessSerializer(allow_null=True):
        """Null when no app provides readiness (the advice app does)."""
        return case_readiness(case=case, today=self.context.get("today"))

    def get_deadlines(self, case) -> DeadlinesSerializer:
        return {
            deadline.key: {
                "due": deadline.due,
                "actual": deadline.actual,
                "on_time": deadline.on_time,
            }
            for deadline in case_deadlines(case)
        }

    def get_available_transitions(self, case) -> serializers.ListField(
        child=serializers.ChoiceField(choices=TRANSITION_CHOICES)
    ):
        return self.context["available_transitions"]


class CaseCreateSerializer(serializers.Serializer):
    """Section 10: a known child (`child_id`) or a new one (`child`), the people with parental
    responsibility, and the request."""

    child = ChildSerializer(required=False, help_text="A new child's details.")
    child_id = serializers.PrimaryKeyRelatedField(
        queryset=Child.objects.not_restricted(),
        required=False,
        help_text="A child we already know (instead of `child`).",
    )
    parent_carers = ParentCarerSerializer(many=True, required=False, max_length=10)
    duplicate_decision = duplicate_decision_field()
    received_on = serializers.DateField()
    request_source = serializers.ChoiceField(choices=RequestSource.choices)
    primary_need = serializers.ChoiceField(choices=PrimaryNeed.choices)
    secondary_needs = serializers.ListField(
        child=serializers.ChoiceField(choices=PrimaryNeed.choices), required=False, max_length=12
    )
    caseworker = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    evidence_deadline = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs):
        if ("child" in attrs) == ("child_id" in attrs):
            message = CHILD_BOTH if "child" in attrs else CHILD_REQUIRED
            raise serializers.ValidationError({"child": [message]})
        return attrs

    def service_arguments(self) -> dict:
        """The validated data as cases.intake.request_log takes it."""
        data = dict(self.validated_data)
        data["new_child"] = data.pop("child", None)
        data["child"] = data.pop("child_id", None)
        data["duplicate_decision"] = data.get("duplicate_decision") or None
        return data


class _CaseCreateFields(serializers.Serializer):
    """The request's own fields, shared by the two documented shapes below."""

    parent_carers = ParentCarerSerializer(many=True, required=False, max_length=10)
    received_on = serializers.DateField()
    request_source = serializers.ChoiceField(choices=RequestSource.choices)
    primary_need = serializers.ChoiceField(choices=PrimaryNeed.choices)
    secondary_needs = serializers.ListField(
        child=serializers.ChoiceField(choices=PrimaryNeed.choices), required=False, max_length=12
    )
    caseworker = serializers.CharField(required=False, allow_null=True, help_text="A username.")
    evidence_deadline = serializers.DateField(required=False, allow_null=True)


class CaseCreateNewChildSerializer(_CaseCreateFields):
    """Documentation only: a request for a new child."""

    child = ChildSerializer()
    duplicate_decision = duplicate_decision_field()


class CaseCreateKnownChildSerializer(_CaseCreateFields):
    """Documentation only: a request for a child we know."""

    child_id = serializers.IntegerField(help_text="A child we already know.")


#: POST /api/cases/ is one of two shapes (CaseCreateSerializer parses both).
CASE_CREATE_REQUEST = PolymorphicProxySerializer(
    component_name="CaseCreateRequest",
    serializers=[CaseCreateNewChildSerializer, CaseCreateKnownChildSerializer],
    resource_type_field_name=None,
)


class CaseTransitionSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=TRANSITION_CHOICES)
    effective_date = serializers.DateField(
        required=False, help_text="When it happened: defaults to today; never in the future."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    expected_status = serializers.ChoiceField(
        choices=CaseStatus.choices,
        required=False,
        help_text="The status you saw: if the case has moved since, the change is refused (409).",
    )
    details = serializers.DictField(
        required=False, help_text="Passed to the apps that act on this step."
    )
    confirm_outstanding_advice = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Agreeing or declining to issue a plan outside a panel while advice is outstanding "
            "is refused (400) unless this is true: you confirm you decide knowing it is missing."
        ),
    )


class CaseExceptionProposeSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=ExceptionGround.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=4000)


class CaseExceptionAgreeSerializer(serializers.Serializer):
    family_notified_on = serializers.DateField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class CaseExceptionRefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class HistoryEntrySerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_username", allow_blank=True)
    verb = serializers.CharField()
    from_state = serializers.CharField(allow_blank=True)
    to_state = serializers.CharField(allow_blank=True)
    effective_date = serializers.DateField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)


class CaseReassignSerializer(serializers.Serializer):
    cases = serializers.ListField(
        child=serializers.CharField(max_length=20),
        allow_empty=False,
        max_length=500,
        help_text="The references of the cases to reassign.",
    )
    caseworker = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        help_text="The username of the caseworker to give them to.",
    )
    reason = serializers.CharField(max_length=4000)


class CaseReassignResultSerializer(serializers.Serializer):
    reassigned = serializers.ListField(
        child=serializers.CharField(), help_text="The cases that moved (not those already theirs)."
    )
