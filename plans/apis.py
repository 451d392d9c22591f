"""The plan and letter API (docs/api.md, "Plans and letters"). Thin: parse, call one selector
or service, render. Caseworkers and managers only (403 for other roles); the case by reference
(404 outside the user's cases, or a child restricted for retention)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors as case_selectors
from ehc_workflow.api import error_responses

from . import documents, letters, selectors, services
from .access import may_work_on_plans
from .errors import PLAN_FORBIDDEN
from .quality import quality_check
from .render import plan_snapshot, versions_diff
from .serializers import (
    CommentAnswerSerializer,
    CommentSerializer,
    ConsultationResponseSerializer,
    ConsultationSerializer,
    DiffSectionSerializer,
    FindingSerializer,
    LetterSentSerializer,
    LetterSerializer,
    NeedSerializer,
    PlanAdviceListedSerializer,
    PlanOutcomeSerializer,
    PlanSectionsSerializer,
    PlanSerializer,
    ProvisionSerializer,
    VersionSerializer,
)


class PlanAreaPermission(permissions.BasePermission):
    message = PLAN_FORBIDDEN

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated) and may_work_on_plans(
            request.user
        )


class PlanApi(APIView):
    permission_classes = [PlanAreaPermission]

    def get_case(self, reference):
        return case_selectors.case_get(
            user=self.request.user, reference=reference, today=timezone.localdate()
        )

    def get_plan(self, reference):
        return selectors.plan_or_404(self.get_case(reference))

    def plan_response(self, plan, status_code=status.HTTP_200_OK):
        document = plan_snapshot(
            plan, kind="working", number=services.next_version_number(plan), issued_on=None
        )
        return Response(
            PlanSerializer(plan, context={"document": document}).data, status=status_code
        )


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PlanDetailApi(PlanApi):
    @extend_schema(
        summary="The case's plan (working copy) and how it reads",
        responses={200: PlanSerializer, **error_responses(403, 404)},
    )
    def get(self, request, reference):
        return self.plan_response(self.get_plan(reference))

    @extend_schema(
        summary="Start the plan (section K filled in from the advice)",
        request=None,
        responses={201: PlanSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, reference):
        case = self.get_case(reference)
        if case.status not in services.EDITABLE_STATUSES:
            from django.core.exceptions import ValidationError  # noqa: PLC0415

            from .errors import PLAN_NOT_EDITABLE  # noqa: PLC0415

            raise ValidationError({"plan": PLAN_NOT_EDITABLE})
        plan = services.plan_start(actor=request.user, case=case)
        return self.plan_response(plan, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change the text sections (A, C, D, I, J)",
        request=PlanSectionsSerializer,
        responses={200: PlanSerializer, **error_responses(400, 403, 404)},
    )
    def patch(self, request, reference):
        plan = self.get_plan(reference)
        serializer = PlanSectionsSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_update(actor=request.user, plan=plan, data=serializer.validated_data)
        return self.plan_response(plan)


class PlanItemKindApi(PlanApi):
    """One shape for needs, outcomes, provision and section K (`kind`, `serializer_class`),
    each saved by its own service through services.plan_item_save."""

    kind = ""
    serializer_class = None


class PlanItemsApi(PlanItemKindApi):
    """Add an item."""

    def post(self, request, reference):
        plan = self.get_plan(reference)
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.plan_item_save(
            actor=request.user, plan=plan, kind=self.kind, data=serializer.validated_data
        )
        return self.plan_response(plan, status.HTTP_201_CREATED)


class PlanItemApi(PlanItemKindApi):
    """Change (only the fields given) or remove one item of this plan; another plan's is 404."""

    def patch(self, request, reference, item_id):
        plan = self.get_plan(reference)
        selectors.plan_item_or_404(plan, self.kind, item_id)
        serializer = self.serializer_class(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.plan_item_save(
            actor=request.user,
            plan=plan,
            kind=self.kind,
            data=serializer.validated_data,
            item_id=item_id,
            partial=True,
        )
        return self.plan_response(plan)

    def delete(self, request, reference, item_id):
        plan = self.get_plan(reference)
        selectors.plan_item_or_404(plan, self.kind, item_id)
        services.plan_item_delete(actor=request.user, plan=plan, kind=self.kind, item_id=item_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


def item_apis(kind: str, serializer, what: str, note: str = ""):
    """The two views for one kind of item, with their OpenAPI descriptions."""
    attrs = {"kind": kind, "serializer_class": serializer}
    name = kind.capitalize()
    items = extend_schema_view(
        post=extend_schema(
            summary=f"Add {what}{note}",
            request=serializer,
            responses={201: PlanSerializer, **error_responses(400, 403, 404)},
        ),
    )(type(f"Plan{name}AddApi", (PlanItemsApi,), attrs))
    item = extend_schema_view(
        patch=extend_schema(
            summary=f"Change {what} (only the fields given){note}",
            request=serializer,
            responses={200: PlanSerializer, **error_responses(400, 403, 404)},
        ),
        delete=extend_schema(
            summary=f"Remove {what}",
            request=None,
            responses={204: None, **error_responses(400, 403, 404)},
        ),
    )(type(f"Plan{name}Api", (PlanItemApi,), attrs))
    return items, item


#: URL segment -> (list view, item view), in the order of the plan's sections.
ITEM_APIS = {
    "needs": item_apis("need", NeedSerializer, "a need (section B)"),
    "outcomes": item_apis("outcome", PlanOutcomeSerializer, "an outcome (section E)"),
    "provision": item_apis(
        "provision",
        ProvisionSerializer,
        "provision (sections F to H2)",
        ": a frequency needs its unit",
    ),
    "advice": item_apis("advice", PlanAdviceListedSerializer, "advice listed (section K)"),
}


class PlanQualityApi(PlanApi):
    @extend_schema(
        summary="The quality check's findings (never blocking)",
        responses={200: FindingSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request, reference):
        case = self.get_case(reference)
        plan = selectors.plan_or_404(case)
        findings = quality_check(plan, draft=case.status != "draft_issued")
        return Response(FindingSerializer(findings, many=True).data)


class PlanVersionsApi(PlanApi):
    @extend_schema(
        summary="The versions issued",
        responses={200: VersionSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request, reference):
        return Response(
            VersionSerializer(selectors.plan_versions(self.get_plan(reference)), many=True).data
        )


class PlanVersionPdfApi(PlanApi):
    @extend_schema(
        summary="A version's PDF, as issued",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **error_responses(403, 404)},
    )
    def get(self, request, reference, number):
        version = selectors.version_get(self.get_plan(reference), number)
        return pdf_response(documents.version_pdf(version), f"{reference}-plan-v{number}.pdf")


class PlanDiffApi(PlanApi):
    @extend_schema(
        summary="What changed between two versions, section by section",
        parameters=[
            OpenApiParameter("from", int, required=True),
            OpenApiParameter("to", int, required=True),
        ],
        responses={200: DiffSectionSerializer(many=True), **error_responses(400, 403, 404)},
    )
    def get(self, request, reference):
        plan = self.get_plan(reference)
        try:
            before_n, after_n = int(request.query_params["from"]), int(request.query_params["to"])
        except (KeyError, ValueError):
            from rest_framework.exceptions import ValidationError  # noqa: PLC0415

            raise ValidationError({"from": ["Give two version numbers: from and to."]}) from None
        before = selectors.version_get(plan, before_n)
        after = selectors.version_get(plan, after_n)
        return Response(
            DiffSectionSerializer(versions_diff(before.snapshot, after.snapshot), many=True).data
        )


class PlanCommentsApi(PlanApi):
    @extend_schema(
        summary="What the family said about the drafts, and the answers",
        responses={200: CommentSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request, reference):
        return Response(
            CommentSerializer(selectors.plan_comments(self.get_plan(reference)), many=True).data
        )

    @extend_schema(
        summary="Record a comment, meeting request or school asked for (s38)",
        request=CommentSerializer,
        responses={201: CommentSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, reference):
        plan = self.get_plan(reference)
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_record(
            actor=request.user, plan=plan, **serializer.validated_data
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class PlanCommentAnswerApi(PlanApi):
    @extend_schema(
        summary="Answer a comment: accepted, or not accepted with the reason",
        request=CommentAnswerSerializer,
        responses={200: CommentSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, reference, comment_id):
        comment = selectors.comment_get(self.get_plan(reference), comment_id)
        serializer = CommentAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_answer(
            actor=request.user, comment=comment, **serializer.validated_data
        )
        return Response(CommentSerializer(comment).data)


class PlanConsultationsApi(PlanApi):
    @extend_schema(
        summary="Schools and colleges consulted (s39)",
        responses={200: ConsultationSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request, reference):
        return Response(
            ConsultationSerializer(
                selectors.plan_consultations(self.get_plan(reference)), many=True
            ).data
        )

    @extend_schema(
        summary="Consult a school or college with the draft (15 days to respond)",
        request=ConsultationSerializer,
        responses={201: ConsultationSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, reference):
        plan = self.get_plan(reference)
        serializer = ConsultationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consultation = services.consultation_send(
            actor=request.user, plan=plan, **serializer.validated_data
        )
        return Response(ConsultationSerializer(consultation).data, status=status.HTTP_201_CREATED)


class PlanConsultationResponseApi(PlanApi):
    @extend_schema(
        summary="Record the school's or college's answer",
        request=ConsultationResponseSerializer,
        responses={200: ConsultationSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, reference, consultation_id):
        consultation = selectors.consultation_get(self.get_plan(reference), consultation_id)
        serializer = ConsultationResponseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consultation = services.consultation_respond(
            actor=request.user, consultation=consultation, **serializer.validated_data
        )
        return Response(ConsultationSerializer(consultation).data)


class PlanConsultationChaseApi(PlanApi):
    @extend_schema(
        summary="Record a chase of a school or college that has not answered",
        request=None,
        responses={200: ConsultationSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, reference, consultation_id):
        consultation = selectors.consultation_get(self.get_plan(reference), consultation_id)
        consultation = services.consultation_chase(actor=request.user, consultation=consultation)
        return Response(ConsultationSerializer(consultation).data)


class CaseLettersApi(PlanApi):
    @extend_schema(
        summary="The case's letters to the family",
        responses={200: LetterSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request, reference):
        return Response(
            LetterSerializer(selectors.case_letters(self.get_case(reference)), many=True).data
        )


class UnsentLettersApi(PlanApi):
    @extend_schema(
        summary="Letters not yet sent, the oldest due first",
        responses={200: LetterSerializer(many=True), **error_responses(403)},
    )
    def get(self, request):
        return Response(
            LetterSerializer(
                selectors.unsent_letters().select_related("case")[:500], many=True
            ).data
        )


class LetterPdfApi(PlanApi):
    @extend_schema(
        summary="A letter's PDF, as written",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **error_responses(403, 404)},
    )
    def get(self, request, letter_id):
        letter = selectors.letter_get(letter_id)
        return pdf_response(
            documents.letter_pdf(letter), f"{letter.case.reference}-letter-{letter.pk}.pdf"
        )


class LetterSentApi(PlanApi):
    @extend_schema(
        summary="Mark a letter sent (its date is the family-notified date)",
        request=LetterSentSerializer,
        responses={200: LetterSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, letter_id):
        letter = selectors.letter_get(letter_id)
        serializer = LetterSentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        letter = letters.letter_mark_sent(
            actor=request.user, letter=letter, **serializer.validated_data
        )
        return Response(
            LetterSerializer(selectors.case_letters(letter.case).get(pk=letter.pk)).data
        )
