from django.urls import path

from . import apis

urlpatterns = [
    path("", apis.ReviewListApi.as_view(), name="review-list"),
    path("<int:pk>/", apis.ReviewDetailApi.as_view(), name="review-detail"),
    path("<int:pk>/transition/", apis.ReviewTransitionApi.as_view(), name="review-transition"),
    path("plans/", apis.PlanListApi.as_view(), name="review-plan-list"),
    path("plans/<int:pk>/", apis.PlanDetailApi.as_view(), name="review-plan-detail"),
    path(
        "plans/<int:pk>/reviews/",
        apis.PlanScheduleReviewApi.as_view(),
        name="review-plan-schedule",
    ),
]
