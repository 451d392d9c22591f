"""API plumbing every app shares: one error shape from one exception handler, and pagination.

Every error the API returns looks like:

    {"status": 409, "code": "transition_not_allowed", "message": "...", "errors": {...}}

`errors` maps a field name (or "non_field_errors") to its messages; it is empty when the error
is not about the input. Services raise Django's ValidationError (400), CaseForbiddenError (403)
and CaseConflictError (409); the handler maps them, so views never translate errors themselves.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.errors import (
    CaseConflictError,
    CaseForbiddenError,
    ConcurrentChangeError,
    TransitionNotAllowedError,
)

NOT_FOUND = "Not found."
INVALID_INPUT = "The request has errors: see `errors`."


def error_body(*, status_code: int, code: str, message: str, errors: dict | None = None) -> dict:
    return {"status": status_code, "code": code, "message": message, "errors": errors or {}}


def _as_lists(detail) -> dict:
    """DRF's nested error detail, flattened to field -> [messages] (nested fields dotted)."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list):
            if all(not isinstance(item, dict | list) for item in value):
                flat.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
            else:
                for index, item in enumerate(value):
                    walk(f"{prefix}.{index}", item)
        else:
            flat.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", detail)
    return flat


def _django_validation_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): list(messages)
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": list(exc.messages)}


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every error in one shape."""
    if isinstance(exc, DjangoValidationError):
        return Response(
            error_body(
                status_code=400,
                code="invalid",
                message=INVALID_INPUT,
                errors=_django_validation_errors(exc),
            ),
            status=400,
        )
    if isinstance(exc, CaseForbiddenError):
        return Response(
            error_body(status_code=403, code="forbidden", message=exc.message), status=403
        )
    if isinstance(exc, CaseConflictError):
        code = "conflict"
        if isinstance(exc, TransitionNotAllowedError):
            code = "transition_not_allowed"
        elif isinstance(exc, ConcurrentChangeError):
            code = "concurrent_change"
        return Response(error_body(status_code=409, code=code, message=exc.message), status=409)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django report it as a 500
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            status_code=response.status_code,
            code="invalid",
            message=INVALID_INPUT,
            errors=_as_lists(exc.detail),
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = error_body(
            status_code=response.status_code,
            code=codes if isinstance(codes, str) else "error",
            message=str(detail),
        )
    return response


class ErrorSerializer(serializers.Serializer):
    """The one error shape (documentation only)."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field name (or non_field_errors) to its messages.",
    )


_ERROR_DESCRIPTIONS = {
    400: "Invalid input: `errors` names each field and what is wrong with it.",
    401: "Not signed in (no session, no valid token).",
    403: "Your role may not do this.",
    404: "No such record, or not one you may see.",
    409: "The record's state does not allow this (or it changed concurrently).",
}


def error_responses(*codes: int) -> dict:
    """The documented error responses of an operation, for @extend_schema(responses=...)."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[code])
        for code in (401, *codes)
    }


class PageNumberPagination(pagination.PageNumberPagination):
    """Page numbers with a capped page size, so no request loads an unbounded list."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


__all__ = ["PageNumberPagination", "error_body", "error_responses", "exception_handler", "status"]
