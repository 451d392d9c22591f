"""What the advice API reads and writes. Thin: shapes only; the services decide.

Section 8: a partner gets the request and only the minimum case facts (the child's name, date
of birth and setting, the question and the due date); caseworkers and managers also get the
case reference and who the request is assigned to. The field sets are asserted in the tests."""

from __future__ import annotations

from rest_framework import serializers

from .models import AdviceKind, AdviceStatus
from .services import TRANSITIONS

TRANSITION_CHOICES = [(name, rule.label) for name, rule in TRANSITIONS.items()]
AVAILABLE_CHOICES = [*TRANSITION_CHOICES, ("submit", "Submit advice")]


class SubmissionSerializer(serializers.Serializer):
    """The latest advice sent: its document's details and the structured summary."""

    id = serializers.IntegerField()
    filename = serializers.CharField(source="original_filename")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    submitted_on = serializers.DateField()
    needs = serializers.CharField()
    outcomes_sought = serializers.CharField()
    provision = serializers.CharField()


class PartnerAdviceRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AdviceKind.choices)
    status = serializers.ChoiceField(choices=AdviceStatus.choices)
    service = serializers.CharField(source="service.name", allow_null=True, default=None)
    child_name = serializers.CharField(source="case.child.full_name")
    date_of_birth = serializers.DateField(source="case.child.date_of_birth")
    setting = serializers.CharField(source="case.child.current_setting", allow_blank=True)
    question = serializers.CharField()
    requested_on = serializers.DateField()
    due_on = serializers.DateField()
    overdue = serializers.SerializerMethodField()
    last_reason = serializers.CharField(
        allow_blank=True, help_text="Why it was last declined, cancelled or returned."
    )
    submission = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()

    def get_overdue(self, advice) -> bool:
        return advice.is_overdue(self.context["today"])

    def get_submission(self, advice) -> SubmissionSerializer(allow_null=True):
        submissions = list(advice.submissions.all())
        return SubmissionSerializer(submissions[-1]).data if submissions else None

    def get_available_transitions(self, advice) -> serializers.ListField(
        child=serializers.ChoiceField(choices=AVAILABLE_CHOICES)
    ):
        return self.context["available_transitions"](advice)


class StaffAdviceRequestSerializer(PartnerAdviceRequestSerializer):
    case_reference = serializers.CharField(source="case.reference")
    professional = serializers.CharField(
        source="professional.username", allow_null=True, default=None
    )
    status_changed_on = serializers.DateField()


PARTNER_FIELDS = frozenset(PartnerAdviceRequestSerializer().fields)
STAFF_FIELDS = frozenset(StaffAdviceRequestSerializer().fields)


class AdviceTransitionSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=TRANSITION_CHOICES)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    expected_status = serializers.ChoiceField(
        choices=AdviceStatus.choices,
        required=False,
        help_text="The status you saw: if the request has moved since, it is refused (409).",
    )


class AdviceSubmissionSerializer(serializers.Serializer):
    """multipart/form-data. The document is checked by its content (PDF or DOCX, size limit)
    by the service, so this accepts any file and lets the service refuse it (400)."""

    document = serializers.FileField(
        required=False, allow_empty_file=True, help_text="PDF or DOCX, at most 20 MB."
    )
    needs = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    outcomes_sought = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    provision = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    expected_status = serializers.ChoiceField(choices=AdviceStatus.choices, required=False)


class AdviceChaseSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, required=False, allow_blank=True)


class ChaseResultSerializer(serializers.Serializer):
    contact = serializers.IntegerField(help_text="The contact entry recorded on the case.")
    chased_on = serializers.DateField()
    last_chased_at = serializers.DateTimeField()
