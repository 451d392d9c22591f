"""/api/forecasts/..."""

from django.urls import path

from . import apis

urlpatterns = [
    path(
        "services/<int:service_id>/backlog/",
        apis.ServiceBacklogApi.as_view(),
        name="forecast-service-backlog",
    ),
    path(
        "services/<int:service_id>/capacity/",
        apis.ServiceCapacityApi.as_view(),
        name="forecast-service-capacity",
    ),
]
