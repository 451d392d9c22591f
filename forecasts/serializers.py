"""What the forecasts API reads and writes. Shapes only."""

from __future__ import annotations

from rest_framework import serializers


class BacklogWeekSerializer(serializers.Serializer):
    starts_on = serializers.DateField()
    arriving = serializers.FloatField(help_text="New requests expected in the week.")
    done = serializers.FloatField(help_text="Advice the service gives in the week at capacity.")
    backlog = serializers.FloatField(help_text="Outstanding at the end of the week.")


class ServiceBacklogSerializer(serializers.Serializer):
    service_id = serializers.IntegerField(source="service.pk")
    service = serializers.CharField(source="service.name")
    today = serializers.DateField()
    outstanding = serializers.IntegerField()
    declared_per_week = serializers.DecimalField(
        source="declared", max_digits=6, decimal_places=1, allow_null=True
    )
    observed_per_week = serializers.FloatField()
    capacity_per_week = serializers.FloatField(source="capacity")
    capacity_source = serializers.ChoiceField(choices=["declared", "observed", "what if"])
    agree_rate = serializers.FloatField(allow_null=True)
    service_share = serializers.FloatField(allow_null=True)
    waiting_for_nap = serializers.IntegerField()
    weeks = BacklogWeekSerializer(many=True)
    basis = serializers.ListField(child=serializers.CharField())


class CapacitySerializer(serializers.Serializer):
    per_week = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0)
