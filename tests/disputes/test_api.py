"""The disputes API: every route in the OpenAPI schema with its body and error responses (as
docs/api.md lists them), and a panel member who sees a case for its panel does not see (or
record) the family's disagreement."""

from pathlib import Path

import pytest
from django.db.models import Q
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from cases import visibility
from cases.roles import Role
from disputes import errors
from disputes.api_urls import urlpatterns
from tests.cases.factories import UserFactory

from .factories import declined_dispute

pytestmark = pytest.mark.django_db

WRITE_ERRORS = {"400", "403", "404", "409"}
#: path in the schema -> method -> (the body's fields, as docs/api.md lists them; the error
#: statuses documented).
DOCUMENTED = {
    "/api/cases/{reference}/disputes/": {
        "get": (None, {"403", "404"}),
        "post": ({"decision", "letter_sent_on"}, WRITE_ERRORS),
    },
    "/api/cases/{reference}/disputes/{dispute_id}/mediation/": {
        "post": ({"step", "on", "outcome"}, WRITE_ERRORS),
    },
    "/api/cases/{reference}/disputes/{dispute_id}/agreement-actions/": {
        "post": ({"kind", "terms"}, WRITE_ERRORS),
    },
    "/api/cases/{reference}/disputes/{dispute_id}/appeal/": {
        "post": ({"step", "on", "grounds", "outcome", "order_kind", "terms"}, WRITE_ERRORS),
    },
    "/api/cases/{reference}/dispute-deadlines/{deadline_id}/done/": {
        "post": ({"on"}, WRITE_ERRORS),
    },
}


def test_every_disputes_route_is_in_the_schema_with_its_body_and_errors():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert len(DOCUMENTED) == len(urlpatterns)
    for path, methods in DOCUMENTED.items():
        assert path in schema["paths"], path
        for method, (body, error_statuses) in methods.items():
            operation = schema["paths"][path][method]
            assert error_statuses <= set(operation["responses"]), (path, method)
            if body:
                ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
                assert set(component["properties"]) == body, (path, method)


def test_every_disputes_route_is_in_docs_api_md():
    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    for path, methods in DOCUMENTED.items():
        for method in methods:
            assert f"`{method.upper()} {path}`" in text, (method, path)


def test_a_panel_member_who_sees_the_case_does_not_see_its_disagreement(monkeypatch):
    actor, case, dispute = declined_dispute()
    chair = UserFactory(roles=[Role.PANEL_CHAIR])
    monkeypatch.setattr(visibility, "CASE_VISIBILITY_RULES", [])
    visibility.register_case_visibility_rule(
        lambda user: Q(pk=case.pk) if user.pk == chair.pk else None
    )
    api = APIClient()
    api.force_authenticate(chair)
    assert api.get(reverse("api:case-detail", args=[case.reference])).status_code == 200
    answer = api.get(reverse("api:case-disputes", args=[case.reference]))
    assert answer.status_code == 403
    assert answer.json()["message"] == errors.READ_FORBIDDEN
    refused = api.post(
        reverse("api:dispute-mediation", args=[case.reference, dispute.pk]),
        {"step": "start", "on": dispute.decision_letter_sent_on.isoformat()},
        format="json",
    )
    assert refused.status_code == 403
