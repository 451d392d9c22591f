"""What the intake and family API reads and writes (section 10). Shapes only: cases.intake
decides."""

from __future__ import annotations

from rest_framework import serializers

from .intake import DIFFERENT_CHILD
from .models import EMAIL_INVALID, ContactMethod


class ParentCarerSerializer(serializers.Serializer):
    """A person with (or without) parental responsibility and how to reach them."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    relationship = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        max_length=254,
        error_messages={"invalid": EMAIL_INVALID},
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    preferred_contact_method = serializers.ChoiceField(
        choices=ContactMethod.choices, required=False
    )
    communication_needs = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    interpreter_language = serializers.CharField(required=False, allow_blank=True, max_length=100)
    has_parental_responsibility = serializers.BooleanField(
        required=False, help_text="Only people with parental responsibility receive decisions."
    )


class FamilyChildSerializer(serializers.Serializer):
    """The child as the family section shows and corrects it."""

    id = serializers.IntegerField(read_only=True)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    upn = serializers.CharField(max_length=13, required=False, allow_blank=True)
    home_local_authority = serializers.CharField(max_length=100, required=False, allow_blank=True)
    current_setting = serializers.CharField(max_length=200, required=False, allow_blank=True)
    current_setting_urn = serializers.CharField(max_length=6, required=False, allow_blank=True)
    in_year_9_or_above = serializers.BooleanField(required=False)
    is_young_person = serializers.SerializerMethodField(
        help_text="Over compulsory school age today (CFA 2014 s83(2)): decisions go to them."
    )
    young_person_consents_to_parents = serializers.BooleanField(required=False, allow_null=True)
    consent_recorded_on = serializers.DateField(required=False, allow_null=True)

    def get_is_young_person(self, child) -> bool:
        return child.is_young_person(self.context["today"])

    def validate_upn(self, value):
        return value.strip().upper()


class PossibleMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="child.pk")
    first_name = serializers.CharField(source="child.first_name")
    last_name = serializers.CharField(source="child.last_name")
    date_of_birth = serializers.DateField(source="child.date_of_birth")
    upn = serializers.CharField(source="child.upn")
    current_setting = serializers.CharField(source="child.current_setting")
    reasons = serializers.ListField(child=serializers.CharField())


def duplicate_decision_field():
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=(
            f"When the new child looks like a child we know: that child's id, or "
            f"'{DIFFERENT_CHILD}' (every possible match is someone else). Without it, a new "
            f"child with possible matches is refused (400) with `possible_matches` listed."
        ),
    )
