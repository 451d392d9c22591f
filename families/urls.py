"""The family portal, under /family/ (issue 16)."""

from django.urls import path

from . import views

app_name = "families"

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/<str:reference>/", views.request_detail, name="request"),
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
