"""Thin serializers for the panels API: input parsing and the agenda as the chair sees it."""

from __future__ import annotations

from rest_framework import serializers

from .models import ATTENDANCE_CAPACITIES, Outcome, Panel, PanelMeeting


class PanelSerializer(serializers.ModelSerializer):
    chair = serializers.CharField(source="chair.get_full_name", read_only=True)
    starts_at = serializers.CharField(
        read_only=True, help_text="Local time in England (HH:MM:SS), without an offset."
    )

    class Meta:
        model = Panel
        fields = [
            "id",
            "name",
            "panel_type",
            "chair",
            "weekday",
            "starts_at",
            "capacity",
            "agenda_lead_days",
            "location",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    panel = serializers.IntegerField(source="panel_id", read_only=True)
    starts_at = serializers.CharField(
        read_only=True, help_text="Local time in England (HH:MM:SS), without an offset."
    )

    class Meta:
        model = PanelMeeting
        fields = [
            "id",
            "panel",
            "date",
            "starts_at",
            "status",
            "moved_from",
            "agenda_built_at",
            "published_at",
        ]


class AgendaLineSerializer(serializers.Serializer):
    """One agenda item with the case summary members see (no names: initials and age)."""

    id = serializers.IntegerField(source="item.pk")
    position = serializers.IntegerField(source="item.position")
    status = serializers.CharField(source="item.status")
    source = serializers.CharField(source="item.source")
    case = serializers.CharField(source="case.reference")
    case_status = serializers.CharField(source="case.status")
    child_initials = serializers.CharField()
    age = serializers.IntegerField()
    primary_need = serializers.CharField(source="case.primary_need")
    due_on = serializers.DateField()
    days_remaining = serializers.IntegerField()
    advice_status = serializers.CharField()
    flags = serializers.ListField(child=serializers.CharField())
    outcome = serializers.CharField(source="item.outcome")
    reasons = serializers.CharField(source="item.reasons")
    decline_reason = serializers.CharField(
        source="item.decline_reason.text", default=None, allow_null=True
    )


class AgendaSerializer(serializers.Serializer):
    meeting = MeetingSerializer()
    panel = PanelSerializer()
    quorum_missing = serializers.ListField(child=serializers.CharField())
    items = AgendaLineSerializer(many=True)


class AgendaItemAddSerializer(serializers.Serializer):
    case = serializers.CharField(max_length=40, help_text="The case reference.")


class AgendaItemRemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class AgendaReorderSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        help_text="Every listed item's id, first to last.",
    )


class AttendanceSerializer(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        help_text="User ids of the chair and members present (at least one); every other "
        "person is recorded absent.",
    )
    apologies = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text="User ids of the chair and members who sent apologies.",
    )


class AttendanceRowSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id")
    agency = serializers.ChoiceField(choices=ATTENDANCE_CAPACITIES)
    present = serializers.BooleanField()
    apologies = serializers.BooleanField()


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reasons = serializers.CharField(allow_blank=True, max_length=5000)
    decline_reason = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of the council's reason."
    )
    details = serializers.DictField(
        required=False,
        allow_null=True,
        help_text='For agree_to_assess: {"advice": [...], "reused": [...]}, as for the case '
        "transition.",
    )
