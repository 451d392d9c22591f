"""/api/cases/<reference>/plan/... and /api/letters/..."""

from django.urls import path

from . import apis

P = "cases/<str:reference>/plan/"

urlpatterns = [
    path(P, apis.PlanDetailApi.as_view(), name="plan-detail"),
    # Needs, outcomes, provision and section K: add; change or remove one (plan-needs-item ...).
    *(
        route
        for segment, (items, item) in apis.ITEM_APIS.items()
        for route in (
            path(f"{P}{segment}/", items.as_view(), name=f"plan-{segment}"),
            path(f"{P}{segment}/<int:item_id>/", item.as_view(), name=f"plan-{segment}-item"),
        )
    ),
    path(f"{P}quality/", apis.PlanQualityApi.as_view(), name="plan-quality"),
    path(f"{P}versions/", apis.PlanVersionsApi.as_view(), name="plan-versions"),
    path(
        f"{P}versions/<int:number>/pdf/", apis.PlanVersionPdfApi.as_view(), name="plan-version-pdf"
    ),
    path(f"{P}diff/", apis.PlanDiffApi.as_view(), name="plan-diff"),
    path(f"{P}comments/", apis.PlanCommentsApi.as_view(), name="plan-comments"),
    path(
        f"{P}comments/<int:comment_id>/answer/",
        apis.PlanCommentAnswerApi.as_view(),
        name="plan-comment-answer",
    ),
    path(f"{P}consultations/", apis.PlanConsultationsApi.as_view(), name="plan-consultations"),
    path(
        f"{P}consultations/<int:consultation_id>/response/",
        apis.PlanConsultationResponseApi.as_view(),
        name="plan-consultation-response",
    ),
    path(
        f"{P}consultations/<int:consultation_id>/chase/",
        apis.PlanConsultationChaseApi.as_view(),
        name="plan-consultation-chase",
    ),
    path("cases/<str:reference>/letters/", apis.CaseLettersApi.as_view(), name="case-letters"),
    path("letters/unsent/", apis.UnsentLettersApi.as_view(), name="letter-unsent"),
    path("letters/<int:letter_id>/pdf/", apis.LetterPdfApi.as_view(), name="letter-pdf"),
    path("letters/<int:letter_id>/sent/", apis.LetterSentApi.as_view(), name="letter-sent"),
]
