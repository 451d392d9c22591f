"""The bench-only URLconf of the bare views (bench/bare.py): mounted by the api_cost benchmark
with `override_settings(ROOT_URLCONF=...)` and served by bench/bare_wsgi.py, never by
ehc_workflow/urls.py. /bare-logged/: the case detail and the partner inbox that also write the
app's access rows (the case list writes none)."""

from django.urls import path

from . import bare

urlpatterns = [
    path("bare/cases/", bare.BareCaseList.as_view()),
    path("bare/cases/<str:reference>/", bare.BareCaseDetail.as_view()),
    path("bare/advice-requests/", bare.BarePartnerInbox.as_view()),
    path("bare-logged/cases/<str:reference>/", bare.LoggedBareCaseDetail.as_view()),
    path("bare-logged/advice-requests/", bare.LoggedBarePartnerInbox.as_view()),
]
