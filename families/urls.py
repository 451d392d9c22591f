"""The family portal, under /family/ (issue 16)."""

from django.urls import path

from . import views, views_all_about_me, views_plan

app_name = "families"

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/<str:reference>/", views.request_detail, name="request"),
    path("requests/<str:reference>/your-views/", views_all_about_me.views_questions, name="views"),
    path(
        "requests/<str:reference>/your-views/check/",
        views_all_about_me.views_check,
        name="views-check",
    ),
    path(
        "requests/<str:reference>/your-views/sent/",
        views_all_about_me.views_sent,
        name="views-sent",
    ),
    path(
        "requests/<str:reference>/your-views/<int:views_pk>/document/",
        views_all_about_me.views_document,
        name="views-document",
    ),
    path(
        "requests/<str:reference>/letters/<int:letter_id>/",
        views_plan.letter_pdf,
        name="letter",
    ),
    path("requests/<str:reference>/plan/", views_plan.plan_page, name="plan"),
    path(
        "requests/<str:reference>/plan/versions/<int:number>/",
        views_plan.version_page,
        name="plan-version",
    ),
    path(
        "requests/<str:reference>/plan/versions/<int:number>/pdf/",
        views_plan.version_pdf,
        name="plan-version-pdf",
    ),
    path(
        "requests/<str:reference>/plan/advice/<int:submission_id>/",
        views_plan.advice_document,
        name="plan-advice",
    ),
    path("invitation/<str:token>/", views.accept_invitation, name="accept"),
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    # The caseworker's side: invite and revoke, from the case page's "Family portal" section.
    path("staff/cases/<str:reference>/invite/", views.invite, name="invite"),
    path(
        "staff/cases/<str:reference>/access/<int:link_pk>/revoke/",
        views.revoke,
        name="revoke",
    ),
]
