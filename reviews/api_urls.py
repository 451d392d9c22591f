from django.urls import path

from . import apis

urlpatterns = [
    path("", apis.ReviewListApi.as_view(), name="review-list"),
    path("<int:review_id>/", apis.ReviewDetailApi.as_view(), name="review-detail"),
    path(
        "<int:review_id>/transition/", apis.ReviewTransitionApi.as_view(), name="review-transition"
    ),
    path("plans/", apis.PlanListApi.as_view(), name="review-plan-list"),
    path("plans/<int:plan_id>/", apis.PlanDetailApi.as_view(), name="review-plan-detail"),
    path(
        "plans/<int:plan_id>/reviews/",
        apis.PlanScheduleReviewApi.as_view(),
        name="review-plan-schedule",
    ),
]
