"""The bench-only URLconf of the bare views (bench/bare.py): mounted by the api_cost benchmark
with `override_settings(ROOT_URLCONF=...)`, never by ehc_workflow/urls.py."""

from django.urls import path

from . import bare

urlpatterns = [
    path("bare/cases/", bare.BareCaseList.as_view()),
    path("bare/cases/<str:reference>/", bare.BareCaseDetail.as_view()),
    path("bare/advice-requests/", bare.BarePartnerInbox.as_view()),
]
