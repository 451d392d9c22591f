"""The everyday record in the API (section 10): a case's notes and contacts, listed and added
under the case. Visibility is the case's (404 outside it); only caseworkers and managers read or
write notes (403 for the other roles that see a case)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from ehc_workflow.api import error_responses

from . import record_selectors, record_services
from .apis import CaseApi
from .models import CaseNote, ContactKind
from .roles import Role, has_role

NOTES_FORBIDDEN = "Only caseworkers and managers read and write case notes."
UNKNOWN_ON_CASE = "There is no such {what} on this case."


class CaseNoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    occurred_on = serializers.DateField()
    with_whom = serializers.CharField(source="with_label", allow_blank=True)
    with_parent_carer = serializers.IntegerField(source="with_parent_carer_id", allow_null=True)
    with_service = serializers.IntegerField(source="with_service_id", allow_null=True)
    advice_request = serializers.IntegerField(source="advice_request_id", allow_null=True)
    is_chase = serializers.BooleanField()
    summary = serializers.CharField()
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True)
    recorded_by = serializers.SerializerMethodField()
    recorded_at = serializers.DateTimeField()

    def get_recorded_by(self, note) -> str:
        return note.recorded_by.get_full_name() or note.recorded_by.get_username()


class CaseNoteCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    occurred_on = serializers.DateField()
    summary = serializers.CharField(max_length=10000)
    with_whom = serializers.CharField(max_length=200, required=False, allow_blank=True)
    with_parent_carer = serializers.IntegerField(required=False, allow_null=True)
    with_service = serializers.IntegerField(required=False, allow_null=True)
    corrects = serializers.IntegerField(required=False, allow_null=True)
    submission_token = serializers.CharField(max_length=64, required=False, allow_blank=True)


def _on_case(case, data: dict) -> dict:
    """Turn the ids into this case's own rows; an id from elsewhere is a 400 on its field."""
    found, problems = {}, {}
    lookups = {
        "with_parent_carer": ("person of the family", case.child.parent_carers.all()),
        "with_service": (
            "partner service",
            [a.service for a in case.advice_requests.select_related("service") if a.service],
        ),
        "corrects": ("note", case.notes.all()),
    }
    for name, (what, rows) in lookups.items():
        pk = data.get(name)
        if pk is None:
            continue
        match = next((row for row in rows if row.pk == pk), None)
        if match is None:
            problems[name] = [UNKNOWN_ON_CASE.format(what=what)]
        found[name] = match
    if problems:
        raise serializers.ValidationError(problems)
    return found


class CaseNoteListCreateApi(CaseApi):
    def get_case(self, reference: str):
        case = super().get_case(reference)
        if not has_role(self.request.user, Role.CASEWORKER, Role.MANAGER):
            raise PermissionDenied(NOTES_FORBIDDEN)
        return case

    @extend_schema(
        summary="A case's notes and contacts, oldest first (corrections after their original)",
        responses={200: CaseNoteSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request, reference):
        case = self.get_case(reference)
        notes = []
        for note in record_selectors.case_notes(case=case):
            notes += [note, *note.correction_list]
        return Response(CaseNoteSerializer(notes, many=True).data)

    @extend_schema(
        summary="Record a note or contact (a correction names the entry it corrects)",
        request=CaseNoteCreateSerializer,
        responses={
            201: CaseNoteSerializer,
            200: CaseNoteSerializer,
            **error_responses(400, 403, 404, 409),
        },
    )
    def post(self, request, reference):
        case = self.get_case(reference)
        serializer = CaseNoteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        note, created = record_services.case_note_record(
            actor=request.user,
            case=case,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            summary=data["summary"],
            with_whom=data.get("with_whom", ""),
            submission_token=data.get("submission_token", ""),
            **_on_case(case, data),
        )
        note = CaseNote.objects.select_related("recorded_by").get(pk=note.pk)
        return Response(
            CaseNoteSerializer(note).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
