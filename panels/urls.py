"""The panel pages, under /panels/."""

from django.urls import path

from . import views

app_name = "panels"

urlpatterns = [
    path("", views.panel_list, name="list"),
    path("forward-plan/", views.forward_plan, name="forward-plan"),
    path("<int:panel_id>/next-meeting/", views.next_meeting, name="next-meeting"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/print/", views.meeting_print, name="meeting-print"),
    path("meetings/<int:meeting_id>/agenda.csv", views.meeting_csv, name="meeting-csv"),
    path("meetings/<int:meeting_id>/build/", views.meeting_build, name="meeting-build"),
    path("meetings/<int:meeting_id>/publish/", views.meeting_publish, name="meeting-publish"),
    path("meetings/<int:meeting_id>/add/", views.meeting_add, name="meeting-add"),
    path(
        "meetings/<int:meeting_id>/attendance/",
        views.meeting_attendance,
        name="meeting-attendance",
    ),
    path("meetings/<int:meeting_id>/items/<int:item_id>/move/", views.item_move, name="item-move"),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/remove/",
        views.item_remove,
        name="item-remove",
    ),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/outcome/",
        views.item_outcome,
        name="item-outcome",
    ),
]
