"""/api/cases/..."""

from django.urls import path

from . import apis, family_apis, record_apis

urlpatterns = [
    path("", apis.CaseListCreateApi.as_view(), name="case-list"),
    path("reassign/", apis.CaseReassignApi.as_view(), name="case-reassign"),
    path("<str:reference>/", apis.CaseDetailApi.as_view(), name="case-detail"),
    path("<str:reference>/transitions/", apis.CaseTransitionApi.as_view(), name="case-transition"),
    path("<str:reference>/history/", apis.CaseHistoryApi.as_view(), name="case-history"),
    path("<str:reference>/notes/", record_apis.CaseNoteListCreateApi.as_view(), name="case-notes"),
    path(
        "<str:reference>/exceptions/",
        apis.CaseExceptionProposeApi.as_view(),
        name="case-exception-propose",
    ),
    path(
        "<str:reference>/exceptions/<int:exception_id>/agree/",
        apis.CaseExceptionAgreeApi.as_view(),
        name="case-exception-agree",
    ),
    path("<str:reference>/child/", family_apis.CaseChildApi.as_view(), name="case-child"),
    path(
        "<str:reference>/parent-carers/",
        family_apis.CaseParentCarerListApi.as_view(),
        name="case-parent-carers",
    ),
    path(
        "<str:reference>/parent-carers/<int:parent_carer_id>/",
        family_apis.CaseParentCarerDetailApi.as_view(),
        name="case-parent-carer",
    ),
    path(
        "<str:reference>/exceptions/<int:exception_id>/refuse/",
        apis.CaseExceptionRefuseApi.as_view(),
        name="case-exception-refuse",
    ),
]
