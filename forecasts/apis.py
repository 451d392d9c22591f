"""/api/forecasts/...: a service's backlog forecast and its declared capacity. A case's
forecast is part of the case API (cases.serializers). Partners see only their own services'
backlog; any other service is a 404 (forecasts.access)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ehc_workflow.api import error_responses

from .access import services_visible
from .backlog import parse_what_if, service_backlog
from .serializers import CapacitySerializer, ServiceBacklogSerializer
from .services import service_capacity_set

WHAT_IF = OpenApiParameter(
    "what_if", OpenApiTypes.NUMBER, description="A capacity (advice a week) to try instead."
)


class ServiceApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def get_service(self, service_id):
        service = services_visible(self.request.user).filter(pk=service_id).first()
        if service is None:
            raise Http404("No such service.")
        return service


class ServiceBacklogApi(ServiceApi):
    @extend_schema(
        summary="A partner service's backlog, now and 12 weeks ahead",
        parameters=[WHAT_IF],
        responses={200: ServiceBacklogSerializer, **error_responses(400, 404)},
    )
    def get(self, request, service_id):
        service = self.get_service(service_id)
        what_if, error = parse_what_if(request.query_params.get("what_if"))
        if error:
            raise ValidationError({"what_if": [error]})
        backlog = service_backlog(service=service, today=timezone.localdate(), what_if=what_if)
        return Response(ServiceBacklogSerializer(backlog).data)


class ServiceCapacityApi(ServiceApi):
    @extend_schema(
        summary="Declare the advice a service can give a week (its members or a manager)",
        request=CapacitySerializer,
        responses={200: CapacitySerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, service_id):
        service = self.get_service(service_id)
        serializer = CapacitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        capacity = service_capacity_set(
            actor=request.user, service=service, per_week=serializer.validated_data["per_week"]
        )
        return Response(CapacitySerializer(capacity).data)
