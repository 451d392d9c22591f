from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_lists, name="list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/import/", views.plan_import_page, name="import"),
    path("<int:pk>/", views.review_detail, name="review"),
    path("<int:pk>/step/", views.review_step, name="step"),
    path("<int:pk>/progress/", views.review_progress, name="progress"),
    path("measures/", views.measures_page, name="measures"),
    path("measures/<slug:key>/", views.measure_reviews_page, name="measure"),
    path("school/", views.school_inbox, name="school"),
    path("school/<int:pk>/", views.school_report, name="school-report"),
]
