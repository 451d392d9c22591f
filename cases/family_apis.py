"""The child and the people with parental responsibility, under their case (section 10).
Object-scoped: a case the user may not see is 404 (cases.selectors.case_get), and so is a
person who is not the case's child's. Caseworkers and managers only: panel members see case
summaries, not the family's contact details (section 8)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from ehc_workflow.api import error_responses

from . import errors, intake
from .apis import CaseApi
from .family_serializers import FamilyChildSerializer, ParentCarerSerializer
from .models import ParentCarer
from .roles import may_change_case

FAMILY_FORBIDDEN = "Only a caseworker or a manager can see and change the family's details."


class FamilyApi(CaseApi):
    def get_family_case(self, reference):
        case = self.get_case(reference)
        if not may_change_case(case, self.request.user):
            raise errors.CaseForbiddenError(FAMILY_FORBIDDEN)
        return case

    def child_response(self, child):
        return Response(FamilyChildSerializer(child, context={"today": self.today()}).data)


class CaseChildApi(FamilyApi):
    @extend_schema(
        summary="The case's child, whether a young person, and their consent",
        responses={200: FamilyChildSerializer, **error_responses(403, 404)},
    )
    def get(self, request, reference):
        return self.child_response(self.get_family_case(reference).child)

    @extend_schema(
        summary="Correct the child's details or record a young person's consent",
        request=FamilyChildSerializer(partial=True),
        responses={200: FamilyChildSerializer, **error_responses(400, 403, 404)},
    )
    def patch(self, request, reference):
        case = self.get_family_case(reference)
        serializer = FamilyChildSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        child = intake.child_update(
            actor=request.user, child=case.child, data=serializer.validated_data, case=case
        )
        return self.child_response(child)


class CaseParentCarerListApi(FamilyApi):
    @extend_schema(
        summary="The people with parental responsibility for the case's child",
        responses={200: ParentCarerSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request, reference):
        case = self.get_family_case(reference)
        people = case.child.parent_carers.order_by("-has_parental_responsibility", "name", "pk")
        return Response(ParentCarerSerializer(people, many=True).data)

    @extend_schema(
        summary="Add a person to the child's family",
        request=ParentCarerSerializer,
        responses={201: ParentCarerSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, reference):
        case = self.get_family_case(reference)
        serializer = ParentCarerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = intake.parent_carer_create(
            actor=request.user, child=case.child, data=serializer.validated_data, case=case
        )
        return Response(ParentCarerSerializer(person).data, status=status.HTTP_201_CREATED)


class CaseParentCarerDetailApi(FamilyApi):
    def get_person(self, case, parent_carer_id):
        try:
            return ParentCarer.objects.get(pk=parent_carer_id, child_id=case.child_id)
        except ParentCarer.DoesNotExist as exc:
            raise Http404("No such person.") from exc

    @extend_schema(
        summary="One person of the child's family",
        responses={200: ParentCarerSerializer, **error_responses(403, 404)},
    )
    def get(self, request, reference, parent_carer_id):
        case = self.get_family_case(reference)
        return Response(ParentCarerSerializer(self.get_person(case, parent_carer_id)).data)

    @extend_schema(
        summary="Correct a person's details",
        request=ParentCarerSerializer(partial=True),
        responses={200: ParentCarerSerializer, **error_responses(400, 403, 404)},
    )
    def patch(self, request, reference, parent_carer_id):
        case = self.get_family_case(reference)
        person = self.get_person(case, parent_carer_id)
        serializer = ParentCarerSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        person = intake.parent_carer_update(
            actor=request.user, parent_carer=person, data=serializer.validated_data, case=case
        )
        return Response(ParentCarerSerializer(person).data)
