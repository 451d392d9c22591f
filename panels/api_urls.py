"""/api/panels/..., /api/meetings/..., /api/agenda-items/..."""

from django.urls import path

from . import apis

urlpatterns = [
    path("panels/", apis.PanelListApi.as_view(), name="panel-list"),
    path(
        "panels/<int:panel_id>/meetings/",
        apis.PanelMeetingListApi.as_view(),
        name="panel-meetings",
    ),
    path("meetings/<int:meeting_id>/agenda/", apis.AgendaApi.as_view(), name="meeting-agenda"),
    path(
        "meetings/<int:meeting_id>/agenda/build/",
        apis.AgendaBuildApi.as_view(),
        name="meeting-agenda-build",
    ),
    path(
        "meetings/<int:meeting_id>/agenda/items/",
        apis.AgendaItemAddApi.as_view(),
        name="meeting-agenda-add",
    ),
    path(
        "meetings/<int:meeting_id>/agenda/reorder/",
        apis.AgendaReorderApi.as_view(),
        name="meeting-agenda-reorder",
    ),
    path(
        "meetings/<int:meeting_id>/publish/",
        apis.AgendaPublishApi.as_view(),
        name="meeting-publish",
    ),
    path(
        "meetings/<int:meeting_id>/attendance/",
        apis.AttendanceApi.as_view(),
        name="meeting-attendance",
    ),
    path(
        "agenda-items/<int:item_id>/remove/",
        apis.AgendaItemRemoveApi.as_view(),
        name="agenda-item-remove",
    ),
    path(
        "agenda-items/<int:item_id>/outcome/",
        apis.AgendaItemOutcomeApi.as_view(),
        name="agenda-item-outcome",
    ),
]
