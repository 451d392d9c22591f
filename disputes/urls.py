"""The disagreement pages, under /cases/<reference>/disagreement/."""

from django.urls import path

from . import views

app_name = "disputes"

urlpatterns = [
    path("<str:reference>/disagreement/", views.case_disputes, name="case"),
    path("<str:reference>/disagreement/record/", views.case_disputes_record, name="record"),
]
