"""The case API. Thin: parse, call one selector or service, render. Visibility comes from
Case.objects.visible_to (404 outside it); what a user may do from the services (403/409)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ehc_workflow.api import INVALID_INPUT, RequestedFiltersBackend, error_body, error_responses
from security.access_log import viewed_case_note

from . import errors, exception_services, intake, selectors, services
from .assignment import cases_reassign
from .family_serializers import PossibleMatchSerializer
from .filters import CaseFilter
from .roles import may_agree_exception, may_reassign
from .serializers import (
    CASE_CREATE_REQUEST,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseExceptionAgreeSerializer,
    CaseExceptionProposeSerializer,
    CaseExceptionRefuseSerializer,
    CaseExceptionSerializer,
    CaseListSerializer,
    CaseReassignResultSerializer,
    CaseReassignSerializer,
    CaseTransitionSerializer,
    HistoryEntrySerializer,
)
from .visibility import may_use_case_area

CASE_AREA_FORBIDDEN = "Your role does not give access to cases."


class CaseAreaPermission(permissions.BasePermission):
    """Section 8: partners (and users without a role) get nothing from the case API."""

    message = CASE_AREA_FORBIDDEN

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated) and may_use_case_area(
            request.user
        )


class CaseApi(APIView):
    permission_classes = [CaseAreaPermission]

    def today(self):
        return timezone.localdate()

    def get_case(self, reference: str):
        case = selectors.case_get(user=self.request.user, reference=reference, today=self.today())
        # A GET of a case record is logged (section 8): the log reuses this case, no re-read.
        viewed_case_note(self.request, case)
        return case

    def case_response(self, case, status_code=status.HTTP_200_OK) -> Response:
        """The case as GET shows it: `case` comes from get_case (risk and exceptions loaded)."""
        context = {
            "available_transitions": services.available_transitions(case, self.request.user),
            "today": self.today(),
        }
        return Response(CaseDetailSerializer(case, context=context).data, status=status_code)


class CaseListCreateApi(CaseApi, generics.GenericAPIView):
    filter_backends = [RequestedFiltersBackend]
    filterset_class = CaseFilter
    serializer_class = CaseListSerializer

    def get_queryset(self):
        return selectors.case_list_rows(user=self.request.user, today=self.today())

    @extend_schema(
        summary="List cases",
        responses={200: CaseListSerializer(many=True), **error_responses(400, 403, 404)},
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(CaseListSerializer(page, many=True).data)

    @extend_schema(
        summary="Log a new request for an EHC needs assessment",
        request=CASE_CREATE_REQUEST,
        responses={201: CaseDetailSerializer, **error_responses(400, 403)},
    )
    def post(self, request):
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            case = intake.request_log(actor=request.user, **serializer.service_arguments())
        except errors.DuplicateDecisionRequired as exc:
            return possible_matches_response(exc)
        return self.case_response(self.get_case(case.reference), status.HTTP_201_CREATED)


def possible_matches_response(exc: errors.DuplicateDecisionRequired) -> Response:
    """400 in the one error shape, plus the children we may already know (section 10), so
    the caller can answer with `duplicate_decision`."""
    body = error_body(
        status_code=400, code="invalid", message=INVALID_INPUT, errors=exc.message_dict
    )
    body["possible_matches"] = PossibleMatchSerializer(exc.matches, many=True).data
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class CaseDetailApi(CaseApi):
    @extend_schema(
        summary="A case, its deadlines and what you may do next",
        responses={200: CaseDetailSerializer, **error_responses(403, 404)},
    )
    def get(self, request, reference):
        return self.case_response(self.get_case(reference))


class CaseTransitionApi(CaseApi):
    @extend_schema(
        summary="Move a case one step",
        request=CaseTransitionSerializer,
        responses={200: CaseDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, reference):
        case = self.get_case(reference)
        serializer = CaseTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.case_transition(actor=request.user, case=case, **serializer.validated_data)
        return self.case_response(self.get_case(reference))


class CaseHistoryApi(CaseApi):
    @extend_schema(
        summary="The case's audit trail, oldest first",
        responses={200: HistoryEntrySerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request, reference):
        case = self.get_case(reference)
        entries = selectors.case_audit_trail(case=case)
        return Response(HistoryEntrySerializer(entries, many=True).data)


class CaseExceptionProposeApi(CaseApi):
    @extend_schema(
        summary="Propose an exception to a time limit",
        request=CaseExceptionProposeSerializer,
        responses={201: CaseExceptionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, reference):
        case = self.get_case(reference)
        serializer = CaseExceptionProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        exception = exception_services.exception_propose(
            actor=request.user, case=case, **serializer.validated_data
        )
        return Response(CaseExceptionSerializer(exception).data, status=status.HTTP_201_CREATED)


class CaseExceptionAgreeApi(CaseApi):
    @extend_schema(
        summary="Agree a proposed exception (managers only)",
        request=CaseExceptionAgreeSerializer,
        responses={200: CaseExceptionSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, reference, exception_id):
        case = self.get_case(reference)
        exception = selectors.case_exception_get(case=case, exception_id=exception_id)
        serializer = CaseExceptionAgreeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        exception = exception_services.exception_agree(
            actor=request.user, exception=exception, **serializer.validated_data
        )
        return Response(CaseExceptionSerializer(exception).data)


class CaseExceptionRefuseApi(CaseApi):
    @extend_schema(
        summary="Refuse a proposed exception, with a reason (managers only)",
        request=CaseExceptionRefuseSerializer,
        responses={200: CaseExceptionSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, reference, exception_id):
        case = self.get_case(reference)
        exception = selectors.case_exception_get(case=case, exception_id=exception_id)
        if not may_agree_exception(request.user):
            raise errors.CaseForbiddenError(errors.EXCEPTION_AGREE_FORBIDDEN)
        serializer = CaseExceptionRefuseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        exception = exception_services.exception_refuse(
            actor=request.user, exception=exception, **serializer.validated_data
        )
        return Response(CaseExceptionSerializer(exception).data)


class CaseReassignApi(CaseApi):
    @extend_schema(
        summary="Reassign cases to another caseworker (managers only)",
        request=CaseReassignSerializer,
        responses={200: CaseReassignResultSerializer, **error_responses(400, 403)},
    )
    def post(self, request):
        if not may_reassign(request.user):  # before the body: a caseworker learns nothing
            raise errors.CaseForbiddenError(errors.REASSIGN_FORBIDDEN)
        serializer = CaseReassignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        moved = cases_reassign(
            actor=request.user,
            references=serializer.validated_data["cases"],
            caseworker=serializer.validated_data["caseworker"],
            reason=serializer.validated_data["reason"],
        )
        return Response({"reassigned": [case.reference for case in moved]})
