"""The review API. Thin: visibility from the selectors (404 outside it), what a user may do
from the services (403/409), every error in the one shape (ehc_workflow.api)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ehc_workflow.api import error_responses

from . import selectors, services
from .models import ActivePlan, Review
from .roles import may_use_review_area
from .serializers import (
    ActivePlanSerializer,
    ReviewListQuerySerializer,
    ReviewScheduleSerializer,
    ReviewSerializer,
    ReviewTransitionSerializer,
)

REVIEW_AREA_FORBIDDEN = "Your role does not give access to plans and reviews."


class ReviewAreaPermission(permissions.BasePermission):
    """Section 8: caseworkers and managers; partners use the school's report page."""

    message = REVIEW_AREA_FORBIDDEN

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated) and may_use_review_area(
            request.user
        )


class ReviewApi(APIView):
    permission_classes = [ReviewAreaPermission]

    def get_plan(self, pk) -> ActivePlan:
        return generics.get_object_or_404(selectors.plans_visible_to(self.request.user), pk=pk)

    def get_review(self, pk) -> Review:
        return generics.get_object_or_404(
            selectors.reviews_visible_to(self.request.user)
            .select_related("plan__child")
            .prefetch_related("outcomes"),
            pk=pk,
        )

    def review_response(self, review, code=status.HTTP_200_OK) -> Response:
        context = {
            "available_transitions": services.available_transitions(review, self.request.user)
        }
        return Response(ReviewSerializer(review, context=context).data, status=code)


class PlanListApi(ReviewApi, generics.GenericAPIView):
    serializer_class = ActivePlanSerializer

    def get_queryset(self):
        return (
            selectors.plans_visible_to(self.request.user)
            .select_related("child", "case")
            .order_by("review_due", "pk")
        )

    @extend_schema(
        summary="Active plans, by review date",
        responses={200: ActivePlanSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ActivePlanSerializer(page, many=True).data)


class PlanDetailApi(ReviewApi):
    @extend_schema(
        summary="An active plan and its clock",
        responses={200: ActivePlanSerializer, **error_responses(403, 404)},
    )
    def get(self, request, plan_id):
        plan = self.get_plan(plan_id)
        return Response(ActivePlanSerializer(plan).data)


class PlanScheduleReviewApi(ReviewApi):
    @extend_schema(
        summary="Arrange a review meeting for a plan",
        request=ReviewScheduleSerializer,
        responses={201: ReviewSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, plan_id):
        plan = self.get_plan(plan_id)
        serializer = ReviewScheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_schedule(
            actor=request.user, plan=plan, **serializer.validated_data
        )
        return self.review_response(self.get_review(review.pk), status.HTTP_201_CREATED)


class ReviewListApi(ReviewApi, generics.GenericAPIView):
    serializer_class = ReviewSerializer

    @extend_schema(
        summary="Reviews with a decision or an amended plan due (list=decisions|amended)",
        parameters=[ReviewListQuerySerializer],
        responses={200: ReviewSerializer(many=True), **error_responses(400, 403, 404)},
    )
    def get(self, request):
        query = ReviewListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        name = query.validated_data["list"]
        if name not in ("decisions", "amended"):
            name = "decisions"
        rows = selectors.review_list(name=name, today=timezone.localdate()).prefetch_related(
            "outcomes"
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ReviewSerializer(page, many=True).data)


class ReviewDetailApi(ReviewApi):
    @extend_schema(
        summary="A review, its due dates and what you may do next",
        responses={200: ReviewSerializer, **error_responses(403, 404)},
    )
    def get(self, request, review_id):
        return self.review_response(self.get_review(review_id))


class ReviewTransitionApi(ReviewApi):
    @extend_schema(
        summary="Move a review one step",
        request=ReviewTransitionSerializer,
        responses={200: ReviewSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, review_id):
        review = self.get_review(review_id)
        serializer = ReviewTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.review_transition(
            actor=request.user,
            review=review,
            transition=data["transition"],
            effective_date=data.get("effective_date"),
            expected_status=data.get("expected_status"),
            details=serializer.details(),
        )
        return self.review_response(self.get_review(review_id))
