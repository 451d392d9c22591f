"""/api/cases/<reference>/disputes/...: a case's disagreements. Object-scoped: the case comes
from the case API's visibility (404 outside it), each dispute and deadline from that case."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from cases.apis import CaseApi
from cases.errors import CaseForbiddenError
from cases.roles import may_change_case
from ehc_workflow.api import error_responses

from . import errors, selectors, services
from .serializers import (
    AgreementActionSerializer,
    AppealStepSerializer,
    CaseDisputesSerializer,
    DisputeOpenSerializer,
    DisputeSerializer,
    MediationStepSerializer,
    OrderDeadlineSerializer,
    OrderSerializer,
    StepDoneSerializer,
)


class DisputeApi(CaseApi):
    def dispute(self, reference, dispute_id):
        return selectors.dispute_get(case=self.get_case(reference), dispute_id=dispute_id)

    def dispute_response(self, dispute, status_code=status.HTTP_200_OK) -> Response:
        fresh = next(d for d in selectors.case_disputes(case=dispute.case) if d.pk == dispute.pk)
        return Response(DisputeSerializer(fresh).data, status=status_code)


class CaseDisputesApi(DisputeApi):
    @extend_schema(
        summary="A case's disagreements: appeal windows, mediation, appeals, orders",
        responses={200: CaseDisputesSerializer, **error_responses(403, 404)},
    )
    def get(self, request, reference):
        case = self.get_case(reference)
        if not may_change_case(None, request.user):
            # As on the case page: a panel member who sees the case for its panel does not
            # see the family's disagreement.
            raise CaseForbiddenError(errors.READ_FORBIDDEN)
        disputes = selectors.case_disputes(case=case)
        body = {
            "pending_window": selectors.pending_window(case=case, disputes=disputes),
            "disputes": disputes,
        }
        return Response(CaseDisputesSerializer(body).data)

    @extend_schema(
        summary="Open the appeal window of a decision (from its letter's date)",
        request=DisputeOpenSerializer,
        responses={201: DisputeSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, reference):
        case = self.get_case(reference)
        serializer = DisputeOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dispute = services.dispute_open(actor=request.user, case=case, **serializer.validated_data)
        return self.dispute_response(dispute, status.HTTP_201_CREATED)


class DisputeMediationApi(DisputeApi):
    @extend_schema(
        summary="Record a step of mediation",
        request=MediationStepSerializer,
        responses={200: DisputeSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, reference, dispute_id):
        dispute = self.dispute(reference, dispute_id)
        serializer = MediationStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["step"] == "start":
            services.mediation_start(
                actor=request.user, dispute=dispute, adviser_contacted_on=data["on"]
            )
        else:
            mediation = selectors.dispute_mediation(dispute=dispute)
            services.mediation_transition(
                actor=request.user,
                mediation=mediation,
                transition=data["step"],
                effective_date=data["on"],
                outcome=data.get("outcome", ""),
            )
        return self.dispute_response(dispute)


class DisputeAgreementActionApi(DisputeApi):
    @extend_schema(
        summary="Add an action of a mediation agreement (reg 42 deadlines)",
        request=AgreementActionSerializer,
        responses={201: OrderSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, reference, dispute_id):
        dispute = self.dispute(reference, dispute_id)
        serializer = AgreementActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = services.mediation_agreement_action_add(
            actor=request.user,
            mediation=selectors.dispute_mediation(dispute=dispute),
            **serializer.validated_data,
        )
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class DisputeAppealApi(DisputeApi):
    @extend_schema(
        summary="Record a step of the appeal: registered, response, hearing, outcome",
        request=AppealStepSerializer,
        responses={200: DisputeSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, reference, dispute_id):
        dispute = self.dispute(reference, dispute_id)
        serializer = AppealStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        if data["step"] == "register":
            services.appeal_register(
                actor=user, dispute=dispute, registered_on=data["on"], grounds=data.get("grounds")
            )
            return self.dispute_response(dispute)
        appeal = selectors.dispute_appeal(dispute=dispute)
        if data["step"] == "response":
            services.appeal_response_sent(actor=user, appeal=appeal, sent_on=data["on"])
        elif data["step"] == "hearing":
            services.appeal_hearing_set(actor=user, appeal=appeal, hearing_on=data["on"])
        else:
            services.appeal_outcome_record(
                actor=user,
                appeal=appeal,
                outcome=data.get("outcome", ""),
                decided_on=data["on"],
                order_kind=data.get("order_kind", ""),
                terms=data.get("terms", ""),
            )
        return self.dispute_response(dispute)


class DisputeDeadlineDoneApi(DisputeApi):
    @extend_schema(
        summary="Record an order's step as done",
        request=StepDoneSerializer,
        responses={200: OrderDeadlineSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, reference, deadline_id):
        deadline = selectors.deadline_get(case=self.get_case(reference), deadline_id=deadline_id)
        serializer = StepDoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deadline = services.order_step_complete(
            actor=request.user, deadline=deadline, done_on=serializer.validated_data["on"]
        )
        return Response(OrderDeadlineSerializer(deadline).data)
