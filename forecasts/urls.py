from django.urls import path

from . import views

app_name = "forecasts"

urlpatterns = [
    path("accuracy/", views.accuracy_page, name="accuracy"),
    path("services/<int:service_id>/", views.service_backlog_page, name="service"),
]
