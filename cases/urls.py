"""The caseworker's pages, under /cases/."""

from django.urls import path

from . import record_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/transitions/", views.case_transition, name="transition"),
    path("<str:reference>/exceptions/", views.case_exception_propose, name="exception-propose"),
    path(
        "<str:reference>/exceptions/<int:exception_id>/agree/",
        views.case_exception_agree,
        name="exception-agree",
    ),
    path("<str:reference>/notes/new/", record_views.note_new, name="note-new"),
    path(
        "<str:reference>/notes/<int:note_id>/correct/",
        record_views.note_correct,
        name="note-correct",
    ),
    path("<str:reference>/documents/new/", record_views.document_new, name="document-new"),
    path(
        "<str:reference>/documents/<int:document_id>/",
        record_views.document_download,
        name="document",
    ),
    path(
        "<str:reference>/documents/shares/<int:advice_request_id>/",
        record_views.document_shares,
        name="document-shares",
    ),
]
