"""The advice pages, under /advice/."""

from django.urls import path

from . import casework_views, views

app_name = "advice"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("follow-up/", views.follow_up, name="follow-up"),
    path("follow-up/<str:show>/", casework_views.follow_up_list, name="follow-up-list"),
    path("<int:advice_request_id>/", views.request_detail, name="detail"),
    path("<int:advice_request_id>/transitions/", views.request_transition, name="transition"),
    path("<int:advice_request_id>/submission/", views.request_submit, name="submit"),
    path("<int:advice_request_id>/document/", views.request_document, name="document"),
    path("<int:advice_request_id>/chase/", casework_views.request_chase, name="chase"),
    path(
        "<int:advice_request_id>/papers/<int:document_id>/",
        casework_views.request_paper,
        name="paper",
    ),
]
