"""/api/cases/<reference>/disputes/..."""

from django.urls import path

from . import apis

urlpatterns = [
    path("<str:reference>/disputes/", apis.CaseDisputesApi.as_view(), name="case-disputes"),
    path(
        "<str:reference>/disputes/<int:dispute_id>/mediation/",
        apis.DisputeMediationApi.as_view(),
        name="dispute-mediation",
    ),
    path(
        "<str:reference>/disputes/<int:dispute_id>/agreement-actions/",
        apis.DisputeAgreementActionApi.as_view(),
        name="dispute-agreement-action",
    ),
    path(
        "<str:reference>/disputes/<int:dispute_id>/appeal/",
        apis.DisputeAppealApi.as_view(),
        name="dispute-appeal",
    ),
    path(
        "<str:reference>/dispute-deadlines/<int:deadline_id>/done/",
        apis.DisputeDeadlineDoneApi.as_view(),
        name="dispute-deadline-done",
    ),
]
