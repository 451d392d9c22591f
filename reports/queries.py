"""The query parameters the report API and the dashboard share, checked by DRF serializers
so a bad value is a 400 with field messages (ehc_workflow.api's one error shape)."""

from __future__ import annotations

import datetime

from rest_framework import serializers

from .advice import GROUPINGS

YEAR_RANGE = "Give a four-digit calendar year between 2000 and 2100."
RANGE_BACKWARDS = "requested_to must be on or after requested_from."


class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="Calendar year (default: this year).",
        error_messages={"min_value": YEAR_RANGE, "max_value": YEAR_RANGE, "invalid": YEAR_RANGE},
    )


class AdviceQuery(serializers.Serializer):
    requested_from = serializers.DateField(
        required=False, help_text="First requested date counted (default: 1 January this year)."
    )
    requested_to = serializers.DateField(
        required=False, help_text="Last requested date counted (default: today)."
    )
    by = serializers.ChoiceField(choices=GROUPINGS, required=False, default="service")

    def validate(self, attrs):
        start, end = attrs.get("requested_from"), attrs.get("requested_to")
        if start and end and end < start:
            raise serializers.ValidationError({"requested_to": [RANGE_BACKWARDS]})
        return attrs


def year_from(params, *, today: datetime.date) -> int:
    query = YearQuery(data=params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("year") or today.year


def advice_range_from(params, *, today: datetime.date) -> dict:
    query = AdviceQuery(data=params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    return {
        "requested_from": data.get("requested_from") or datetime.date(today.year, 1, 1),
        "requested_to": data.get("requested_to") or today,
        "by": data["by"],
    }
