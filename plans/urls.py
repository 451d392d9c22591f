"""The plan and letter pages, under /plans/."""

from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("letters/", views.letter_queue, name="letter-queue"),
    path("letters/print-batch.pdf", views.letter_print_batch, name="letter-print-batch"),
    path("letters/<int:letter_id>/pdf/", views.letter_pdf, name="letter-pdf"),
    path("letters/<int:letter_id>/sent/", views.letter_sent, name="letter-sent"),
    path("<str:reference>/", views.plan_page, name="plan"),
    path("<str:reference>/start/", views.plan_start, name="start"),
    path("<str:reference>/sections/", views.plan_sections, name="sections"),
    path("<str:reference>/from-advice/", views.plan_from_advice, name="from-advice"),
    path("<str:reference>/quality/", views.plan_quality, name="quality"),
    path("<str:reference>/advice-listed/", views.plan_advice_listed, name="advice-listed"),
    path("<str:reference>/compare/", views.versions_compare, name="compare"),
    path("<str:reference>/versions/<int:number>/", views.version_page, name="version"),
    path("<str:reference>/versions/<int:number>/pdf/", views.version_pdf, name="version-pdf"),
    path("<str:reference>/comments/new/", views.comment_new, name="comment-new"),
    path(
        "<str:reference>/comments/<int:comment_id>/answer/",
        views.comment_answer,
        name="comment-answer",
    ),
    path("<str:reference>/consultations/new/", views.consultation_new, name="consultation-new"),
    path(
        "<str:reference>/consultations/<int:consultation_id>/response/",
        views.consultation_response,
        name="consultation-response",
    ),
    path(
        "<str:reference>/consultations/<int:consultation_id>/chase/",
        views.consultation_chase,
        name="consultation-chase",
    ),
    path("<str:reference>/<str:kind>/new/", views.plan_item, name="item-new"),
    path("<str:reference>/<str:kind>/<int:item_id>/", views.plan_item, name="item"),
    path(
        "<str:reference>/<str:kind>/<int:item_id>/delete/",
        views.plan_item_delete,
        name="item-delete",
    ),
]
