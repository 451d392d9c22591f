"""/api/notifications/: a user's own notifications (every signed-in user has an inbox).
Another user's notification is not found (404): its existence is not disclosed."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from ehc_workflow.api import error_responses

from . import selectors, services
from .serializers import MarkedReadSerializer, NotificationSerializer


class NotificationListApi(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NotificationSerializer

    def get_queryset(self):
        return selectors.inbox(user=self.request.user)

    @extend_schema(
        summary="List my notifications (newest first)",
        responses={200: NotificationSerializer(many=True), **error_responses(404)},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationReadApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Mark one of my notifications as read",
        request=None,
        responses={200: NotificationSerializer, **error_responses(404)},
    )
    def post(self, request, notification_id: int):
        notification = selectors.own_notification(
            user=request.user, notification_id=notification_id
        )
        if notification is None:
            raise Http404
        notification = services.notification_mark_read(user=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Mark all my notifications as read",
        request=None,
        responses={200: MarkedReadSerializer, **error_responses()},
    )
    def post(self, request):
        count = services.notifications_mark_all_read(user=request.user)
        return Response(MarkedReadSerializer({"marked_read": count}).data)
