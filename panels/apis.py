"""The panels API. Thin: parse, call one selector or service, render. A meeting or item outside
the user's panels is not found (404); what a user may do comes from the services (403/409)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ehc_workflow.api import error_responses

from . import agenda, errors, selectors, services
from .models import DeclineReason
from .selectors import may_use_panels
from .serializers import (
    AgendaItemAddSerializer,
    AgendaItemRemoveSerializer,
    AgendaReorderSerializer,
    AgendaSerializer,
    AttendanceRowSerializer,
    AttendanceSerializer,
    MeetingSerializer,
    OutcomeSerializer,
    PanelSerializer,
)

PANEL_AREA_FORBIDDEN = "Your role does not give access to panels."


class PanelAreaPermission(permissions.BasePermission):
    message = PANEL_AREA_FORBIDDEN

    def has_permission(self, request, view):
        return may_use_panels(request.user)


def agenda_body(meeting, today) -> dict:
    """The agenda as GET shows it (and every agenda change answers with)."""
    return AgendaSerializer(
        {
            "meeting": meeting,
            "panel": meeting.panel,
            "quorum_missing": sorted(services.quorum_missing(meeting)),
            "items": selectors.meeting_agenda(meeting=meeting, today=today),
        }
    ).data


class PanelsApi(APIView):
    permission_classes = [PanelAreaPermission]

    def today(self):
        return timezone.localdate()

    def get_meeting(self, meeting_id):
        return selectors.meeting_get(user=self.request.user, meeting_id=meeting_id)

    def agenda_response(self, meeting_id, status_code=status.HTTP_200_OK) -> Response:
        return Response(agenda_body(self.get_meeting(meeting_id), self.today()), status=status_code)


class PanelListApi(PanelsApi, generics.GenericAPIView):
    serializer_class = PanelSerializer

    @extend_schema(
        summary="The panels you sit on (caseworkers and managers: every panel)",
        responses={200: PanelSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request):
        panels = selectors.panels_visible_to(request.user).select_related("chair")
        page = self.paginate_queryset(panels.order_by("panel_type", "name"))
        return self.get_paginated_response(PanelSerializer(page, many=True).data)


class PanelMeetingListApi(PanelsApi, generics.GenericAPIView):
    serializer_class = MeetingSerializer

    @extend_schema(
        summary="A panel's meetings, from today (add ?all=true for past ones too)",
        responses={200: MeetingSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request, panel_id):
        panel = selectors.panel_get(user=request.user, panel_id=panel_id)
        meetings = panel.meetings.order_by("date")
        if request.query_params.get("all") != "true":
            meetings = meetings.filter(date__gte=self.today())
        page = self.paginate_queryset(meetings)
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)


class AgendaApi(PanelsApi):
    @extend_schema(
        summary="A meeting's agenda with due dates, days remaining, advice status and flags",
        responses={200: AgendaSerializer, **error_responses(403, 404)},
    )
    def get(self, request, meeting_id):
        return self.agenda_response(meeting_id)


class AgendaBuildApi(PanelsApi):
    @extend_schema(
        summary="Build (or top up) the agenda: the chair's edits are kept",
        request=None,
        responses={200: AgendaSerializer, **error_responses(403, 404, 409)},
    )
    def post(self, request, meeting_id):
        agenda.agenda_build(meeting=self.get_meeting(meeting_id), actor=request.user)
        return self.agenda_response(meeting_id)


class AgendaItemAddApi(PanelsApi):
    @extend_schema(
        summary="Add a case to the agenda by its reference",
        request=AgendaItemAddSerializer,
        responses={201: AgendaSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, meeting_id):
        meeting = self.get_meeting(meeting_id)
        serializer = AgendaItemAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agenda.agenda_item_add_by_reference(
            actor=request.user, meeting=meeting, reference=serializer.validated_data["case"]
        )
        return self.agenda_response(meeting_id, status.HTTP_201_CREATED)


class AgendaReorderApi(PanelsApi):
    @extend_schema(
        summary="Put the agenda in the chair's order",
        request=AgendaReorderSerializer,
        responses={200: AgendaSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, meeting_id):
        meeting = self.get_meeting(meeting_id)
        serializer = AgendaReorderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agenda.agenda_reorder(
            actor=request.user, meeting=meeting, item_ids=serializer.validated_data["items"]
        )
        return self.agenda_response(meeting_id)


class AgendaPublishApi(PanelsApi):
    @extend_schema(
        summary="Publish the agenda: it is frozen and members get their papers",
        request=None,
        responses={200: AgendaSerializer, **error_responses(403, 404, 409)},
    )
    def post(self, request, meeting_id):
        services.agenda_publish(actor=request.user, meeting=self.get_meeting(meeting_id))
        return self.agenda_response(meeting_id)


class AttendanceApi(PanelsApi):
    @extend_schema(
        summary="Record who was present and who sent apologies (the chair and each member)",
        request=AttendanceSerializer,
        responses={200: AttendanceRowSerializer(many=True), **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, meeting_id):
        meeting = self.get_meeting(meeting_id)
        serializer = AttendanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = services.attendance_record(
            actor=request.user,
            meeting=meeting,
            present_user_ids=serializer.validated_data["present"],
            apologies_user_ids=serializer.validated_data["apologies"],
        )
        return Response(AttendanceRowSerializer(rows, many=True).data)


class AgendaItemApi(PanelsApi):
    def get_item(self, item_id):
        return selectors.agenda_item_get(user=self.request.user, item_id=item_id)


class AgendaItemRemoveApi(AgendaItemApi):
    @extend_schema(
        summary="Take an item off the agenda (a rebuild will not put it back)",
        request=AgendaItemRemoveSerializer,
        responses={200: AgendaSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, item_id):
        item = self.get_item(item_id)
        serializer = AgendaItemRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agenda.agenda_item_remove(actor=request.user, item=item, **serializer.validated_data)
        return self.agenda_response(item.meeting_id)


class AgendaItemOutcomeApi(AgendaItemApi):
    @extend_schema(
        summary="Record the panel's decision with its reasons; it moves the case",
        request=OutcomeSerializer,
        responses={200: AgendaSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, item_id):
        item = self.get_item(item_id)
        serializer = OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.agenda_item_record_outcome(
            actor=request.user,
            item=item,
            outcome=data["outcome"],
            reasons=data["reasons"],
            decline_reason=_decline_reason(item, data.get("decline_reason")),
            details=data.get("details"),
            today=self.today(),
        )
        return self.agenda_response(item.meeting_id)


def _decline_reason(item, reason_id):
    if reason_id is None:
        return None
    reason = DeclineReason.objects.filter(
        pk=reason_id, panel_type=item.meeting.panel.panel_type, is_active=True
    ).first()
    if reason is None:
        raise ValidationError({"decline_reason": errors.NO_SUCH_DECLINE_REASON})
    return reason
