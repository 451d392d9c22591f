"""The caseworker's pages, under /cases/."""

from django.urls import path

from . import list_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("reassign/", list_views.cases_reassign_page, name="reassign"),
    path("export.csv", list_views.cases_export, name="export"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/transitions/", views.case_transition, name="transition"),
    path("<str:reference>/exceptions/", views.case_exception_propose, name="exception-propose"),
    path(
        "<str:reference>/exceptions/<int:exception_id>/agree/",
        views.case_exception_agree,
        name="exception-agree",
    ),
    path(
        "<str:reference>/exceptions/<int:exception_id>/refuse/",
        views.case_exception_refuse,
        name="exception-refuse",
    ),
]
