"""What the notifications API returns. Read-only: marking read is an explicit POST."""

from __future__ import annotations

from rest_framework import serializers

from .models import Kind


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    subject = serializers.CharField(help_text="What is due and when, by case reference.")
    body = serializers.CharField()
    link = serializers.CharField(help_text="A path on this site: the case, request or meeting.")
    due_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    is_read = serializers.BooleanField()


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many unread notifications were marked.")
