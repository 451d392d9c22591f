"""/api/advice-requests/..."""

from django.urls import path

from . import apis

urlpatterns = [
    path("", apis.AdviceRequestListApi.as_view(), name="advice-request-list"),
    path(
        "<int:advice_request_id>/",
        apis.AdviceRequestDetailApi.as_view(),
        name="advice-request-detail",
    ),
    path(
        "<int:advice_request_id>/transitions/",
        apis.AdviceRequestTransitionApi.as_view(),
        name="advice-request-transition",
    ),
    path(
        "<int:advice_request_id>/submission/",
        apis.AdviceRequestSubmissionApi.as_view(),
        name="advice-request-submission",
    ),
    path(
        "<int:advice_request_id>/document/",
        apis.AdviceRequestDocumentApi.as_view(),
        name="advice-request-document",
    ),
    path(
        "<int:advice_request_id>/chase/",
        apis.AdviceRequestChaseApi.as_view(),
        name="advice-request-chase",
    ),
]
