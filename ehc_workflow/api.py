"""API plumbing every app shares: one error shape from one exception handler, and pagination.

Every error the API returns looks like:

    {"status": 409, "code": "transition_not_allowed", "message": "...", "errors": {...}}

`errors` maps a field name (or "non_field_errors") to its messages; it is empty when the error
is not about the input. Services raise Django's ValidationError (400), CaseForbiddenError (403)
and CaseConflictError (409); the handler maps them, so views never translate errors themselves.
"""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
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


@functools.lru_cache(maxsize=256)
def _filterset_of(filterset_class, names: frozenset):
    """`filterset_class` with only the named filters (one class per combination, kept)."""
    narrowed = type(
        filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__}
    )
    narrowed.base_filters = {
        name: filter_ for name, filter_ in filterset_class.base_filters.items() if name in names
    }
    return narrowed


class RequestedFiltersBackend(DjangoFilterBackend):
    """django-filter's backend, building only the filters the request names. A FilterSet copies
    every filter and every form field on each request (the case list has 16: a tenth of the
    app's own work on a list request, benchmark 4e); a filter the request does not name
    filters nothing, so leaving it out changes no answer. An invalid value is still a 400, and
    the OpenAPI schema still lists every filter (it reads the class)."""

    def get_filterset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"]
        # A parameter names a filter exactly, or with a widget's suffix (a range's `_after`):
        # naming one too many only builds it.
        keys = tuple(data)
        names = frozenset(
            name
            for name in filterset_class.base_filters
            if name in data or any(key.startswith(f"{name}_") for key in keys)
        )
        return _filterset_of(filterset_class, names)(**kwargs)


__all__ = [
    "RequestedFiltersBackend",
    "PageNumberPagination",
    "error_body",
    "error_responses",
    "exception_handler",
    "status",
]
