"""The plan API: bad input is 400 naming the field, nothing saved; the final plan through the
case transitions API waits for every answer."""

import datetime

import pytest
from django.urls import reverse

from plans import errors, services
from plans.models import Provision
from tests.api.conftest import client_for
from tests.cases.factories import case_in_status, caseworker

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    actor = caseworker()
    case = case_in_status("draft_issued", actor=actor)
    return case, actor, client_for(actor)


def test_provision_with_a_frequency_but_no_unit_is_400(draft):
    case, _actor, client = draft
    before = Provision.objects.count()
    response = client.post(
        reverse("api:plan-provision", args=[case.reference]),
        {"what": "Therapy", "frequency": 2},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"frequency_unit": [errors.FREQUENCY_NEEDS_UNIT]}
    assert Provision.objects.count() == before


def test_the_final_plan_waits_for_the_answer_and_then_goes(draft):
    case, actor, client = draft
    comment = services.comment_record(
        actor=actor,
        plan=case.plan,
        section="F",
        text="More therapy.",
        source="letter",
        received_on=case.draft_issued_on,
    )
    services.plan_update(
        actor=actor, plan=case.plan, data={"setting_name": "Willowbrook (synthetic)"}
    )
    final_day = (case.draft_issued_on + datetime.timedelta(days=15)).isoformat()
    body = {"transition": "issue_final", "effective_date": final_day}
    response = client.post(
        reverse("api:case-transition", args=[case.reference]), body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["plan"] == [
        errors.COMMENTS_UNANSWERED.format(count=1, verb="has")
    ]
    answer_url = reverse("api:plan-comment-answer", args=[case.reference, comment.pk])
    refused = client.post(answer_url, {"answer": "not_accepted"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"answer_text": [errors.NOT_ACCEPTED_NEEDS_REASON]}
    client.post(
        answer_url, {"answer": "not_accepted", "answer_text": "Already weekly."}, format="json"
    )
    response = client.post(
        reverse("api:case-transition", args=[case.reference]), body, format="json"
    )
    assert response.status_code == 200, response.json()
    versions = client.get(reverse("api:plan-versions", args=[case.reference])).json()
    assert [(v["number"], v["kind"]) for v in versions] == [(1, "draft"), (2, "final")]
    diff = client.get(reverse("api:plan-diff", args=[case.reference]) + "?from=1&to=2").json()
    assert [row["section"] for row in diff if row["changed"]] == ["I"]


def test_a_consultation_answer_without_its_date_is_400(draft):
    case, actor, client = draft
    consultation = services.consultation_send(actor=actor, plan=case.plan, setting_name="X School")
    response = client.post(
        reverse("api:plan-consultation-response", args=[case.reference, consultation.pk]),
        {"answer": "cannot_meet", "reasons": "No places."},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"responded_on": [errors.RESPONSE_DATE_REQUIRED]}
