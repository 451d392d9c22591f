"""The caseworker's pages, under /cases/."""

from django.urls import path

from . import family_views, intake_views, list_views, record_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    # Log a request (section 10): before "<reference>/", which would otherwise take "new".
    path("new/", intake_views.intake_start, name="intake-start"),
    path("new/find/", intake_views.intake_find, name="intake-find"),
    path("new/matches/", intake_views.intake_matches, name="intake-matches"),
    path("new/child/", intake_views.intake_child, name="intake-child"),
    path("new/family/", intake_views.intake_family, name="intake-family"),
    path("new/family/add/", intake_views.intake_family_person, name="intake-family-add"),
    path(
        "new/family/<int:index>/change/",
        intake_views.intake_family_person,
        name="intake-family-change",
    ),
    path(
        "new/family/<int:index>/remove/",
        intake_views.intake_family_remove,
        name="intake-family-remove",
    ),
    path("new/request/", intake_views.intake_request, name="intake-request"),
    path("new/check/", intake_views.intake_check, name="intake-check"),
    path("new/confirmation/", intake_views.intake_confirmation, name="intake-confirmation"),
    path("reassign/", list_views.cases_reassign_page, name="reassign"),
    path("export.csv", list_views.cases_export, name="export"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/transitions/", views.case_transition, name="transition"),
    path("<str:reference>/child/", family_views.case_child_edit, name="child-edit"),
    path("<str:reference>/child/consent/", family_views.case_consent_edit, name="consent-edit"),
    path("<str:reference>/family/add/", family_views.case_parent_carer_edit, name="family-add"),
    path(
        "<str:reference>/family/<int:parent_carer_id>/",
        family_views.case_parent_carer_edit,
        name="family-edit",
    ),
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
    path(
        "<str:reference>/exceptions/<int:exception_id>/refuse/",
        views.case_exception_refuse,
        name="exception-refuse",
    ),
]
