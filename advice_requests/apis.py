"""The advice API (ehc-process.md sections 4 and 8). Thin: parse, call one selector or service,
render. Errors are shaped by ehc_workflow.api's exception handler.

Who may call it: caseworkers and managers (every request), partners (requests addressed to a
service they are a current member of). Anyone else is refused the whole area (403); a request
outside the caller's visibility is not found (404), so nothing leaks about other services."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.roles import Role, has_role
from ehc_workflow.api import RequestedFiltersBackend, error_responses
from security.uploads import attachment_response

from . import access, chase, selectors, services
from .documents import DOCX, PDF
from .filters import AdviceRequestFilter
from .models import AdviceRequest, AdviceSubmission, ServiceMembership
from .roles import viewer_memberships_attr
from .serializers import (
    AdviceChaseSerializer,
    AdviceSubmissionSerializer,
    AdviceTransitionSerializer,
    ChaseResultSerializer,
    PartnerAdviceRequestSerializer,
    StaffAdviceRequestSerializer,
)

ADVICE_AREA_FORBIDDEN = "Your role does not give access to advice requests."
NO_DOCUMENT = "No advice document has been submitted for this request."


def may_use_advice_area(user) -> bool:
    return has_role(user, Role.CASEWORKER, Role.MANAGER, Role.PARTNER)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class AdviceAreaPermission(permissions.BasePermission):
    message = ADVICE_AREA_FORBIDDEN

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated) and may_use_advice_area(user)


class AdviceApi(APIView):
    permission_classes = [AdviceAreaPermission]

    def today(self):
        return timezone.localdate()

    def serializer_class_for(self, user):
        if has_role(user, Role.CASEWORKER, Role.MANAGER):
            return StaffAdviceRequestSerializer
        return PartnerAdviceRequestSerializer

    def context(self):
        user = self.request.user
        return {
            "today": self.today(),
            "available_transitions": lambda advice: services.available_transitions(advice, user),
        }

    def open_request(self, advice_request_id: int) -> AdviceRequest:
        """Load and log the read (section 8); outside the user's visibility: 404."""
        try:
            return access.advice_request_open(
                actor=self.request.user,
                advice_request_id=advice_request_id,
                ip_address=client_ip(self.request),
            )
        except AdviceRequest.DoesNotExist as exc:
            raise Http404 from exc

    def get_request(self, advice_request_id: int) -> AdviceRequest:
        """Load without logging (a write logs its read when it answers); 404 outside."""
        try:
            return selectors.advice_request_get(
                user=self.request.user, advice_request_id=advice_request_id
            )
        except AdviceRequest.DoesNotExist as exc:
            raise Http404 from exc

    def advice_response(self, advice_request_id: int, status_code=status.HTTP_200_OK):
        advice = AdviceRequest.objects.prefetch_related("submissions").get(
            pk=self.open_request(advice_request_id).pk
        )
        serializer = self.serializer_class_for(self.request.user)
        return Response(serializer(advice, context=self.context()).data, status=status_code)


class AdviceRequestListApi(AdviceApi, generics.GenericAPIView):
    serializer_class = StaffAdviceRequestSerializer
    filter_backends = [RequestedFiltersBackend]
    filterset_class = AdviceRequestFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema: no user to ask about
            return AdviceRequest.objects.none()
        return (
            AdviceRequest.objects.visible_to(self.request.user)
            .select_related("case__child", "service", "professional")
            .prefetch_related(
                "submissions",
                # The viewer's memberships of the listed services, for the actions each row
                # offers: one query for the page instead of one per row.
                Prefetch(
                    "service__memberships",
                    queryset=ServiceMembership.objects.filter(user=self.request.user),
                    to_attr=viewer_memberships_attr(self.request.user),
                ),
            )
            .order_by("due_on", "id")
        )

    @extend_schema(
        summary="List advice requests (a partner: only their services')",
        description="Partners receive the partner field set (see docs/api.md).",
        responses={200: StaffAdviceRequestSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        if not has_role(request.user, Role.CASEWORKER, Role.MANAGER):
            access.access_log_record_list(
                actor=request.user,
                advice_request_ids=[advice.pk for advice in page],
                ip_address=client_ip(request),
            )
        serializer = self.serializer_class_for(request.user)
        return self.get_paginated_response(serializer(page, many=True, context=self.context()).data)


class AdviceRequestDetailApi(AdviceApi):
    @extend_schema(
        summary="One advice request (the read is logged)",
        description="Partners receive the partner field set (see docs/api.md).",
        responses={200: StaffAdviceRequestSerializer, **error_responses(403, 404)},
    )
    def get(self, request, advice_request_id):
        return self.advice_response(advice_request_id)


class AdviceRequestTransitionApi(AdviceApi):
    @extend_schema(
        summary="Accept, decline, cancel or return an advice request",
        request=AdviceTransitionSerializer,
        responses={200: StaffAdviceRequestSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, advice_request_id):
        advice = self.get_request(advice_request_id)
        serializer = AdviceTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.advice_request_transition(
            actor=request.user, advice=advice, **serializer.validated_data
        )
        return self.advice_response(advice_request_id)


class AdviceRequestSubmissionApi(AdviceApi):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Submit advice: a PDF or DOCX document and the summary (multipart)",
        request={"multipart/form-data": AdviceSubmissionSerializer},
        responses={201: StaffAdviceRequestSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, advice_request_id):
        advice = self.get_request(advice_request_id)
        serializer = AdviceSubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.advice_request_submit(
            actor=request.user,
            advice=advice,
            document=data.get("document"),
            needs=data.get("needs", ""),
            outcomes_sought=data.get("outcomes_sought", ""),
            provision=data.get("provision", ""),
            expected_status=data.get("expected_status"),
        )
        return self.advice_response(advice_request_id, status.HTTP_201_CREATED)


def document_response(download) -> FileResponse:
    """Always an attachment, never sniffed or rendered: the browser must save it."""
    return attachment_response(download)


def latest_submission_id(*, user, advice_request_id: int) -> int:
    """The latest submission of a request the user may see; Http404 otherwise."""
    submission = (
        AdviceSubmission.objects.filter(
            advice_request_id=advice_request_id,
            advice_request__in=AdviceRequest.objects.visible_to(user).values("pk"),
        )
        .order_by("-submitted_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if submission is None:
        raise Http404(NO_DOCUMENT)
    return submission


class AdviceRequestDocumentApi(AdviceApi):
    @extend_schema(
        summary="Download the latest advice document (attachment; the download is logged)",
        responses={
            (200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            (200, DOCX): OpenApiResponse(OpenApiTypes.BINARY, description="The DOCX."),
            **error_responses(403, 404),
        },
    )
    def get(self, request, advice_request_id):
        submission_id = latest_submission_id(user=request.user, advice_request_id=advice_request_id)
        download = access.advice_document_open(
            actor=request.user, submission_id=submission_id, ip_address=client_ip(request)
        )
        return document_response(download)


class AdviceRequestChaseApi(AdviceApi):
    @extend_schema(
        summary="Chase outstanding advice: record the contact and remind the service",
        description=(
            "Give a `token` (any unique string) to make a retry safe: the same token gives "
            "back the first chase (200) instead of a second one. Another chase of the same "
            "request within a minute is refused (409)."
        ),
        request=AdviceChaseSerializer,
        responses={
            201: ChaseResultSerializer,
            200: ChaseResultSerializer,
            **error_responses(400, 403, 404, 409),
        },
    )
    def post(self, request, advice_request_id):
        advice = self.get_request(advice_request_id)
        serializer = AdviceChaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note, created = chase.advice_request_chase(
            actor=request.user, advice=advice, token=serializer.validated_data.get("token", "")
        )
        advice.refresh_from_db(fields=["last_chased_at"])
        body = {
            "contact": note.pk,
            "chased_on": note.occurred_on,
            "last_chased_at": advice.last_chased_at,
        }
        return Response(
            ChaseResultSerializer(body).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
