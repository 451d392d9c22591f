"""/api/notifications/..."""

from django.urls import path

from . import apis

urlpatterns = [
    path("", apis.NotificationListApi.as_view(), name="notification-list"),
    path("read-all/", apis.NotificationReadAllApi.as_view(), name="notification-read-all"),
    path(
        "<int:notification_id>/read/",
        apis.NotificationReadApi.as_view(),
        name="notification-read",
    ),
]
