"""The review API: a step over the API, errors in the one shape, lists in fixed queries."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.cases.factories import caseworker

from .factories import make_plan, review_in_status

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_step_over_the_api_and_the_error_shapes():
    worker = caseworker()
    review = review_in_status("report_received", actor=worker)
    client = _client(worker)
    url = reverse("api:review-transition", args=[review.pk])
    missing = client.post(url, {"transition": "decide_maintain"}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"] == {
        "decision_letter_sent_on": ["Enter the date the decision letter was sent to the family."]
    }
    body = {
        "transition": "decide_maintain",
        "effective_date": "2026-10-12",
        "decision_letter_sent_on": "2026-10-13",
        "expected_status": "report_received",
    }
    done = client.post(url, body, format="json")
    assert done.status_code == 200
    assert done.json()["status"] == "maintained"
    assert done.json()["available_transitions"] == []
    again = client.post(url, body, format="json")
    assert again.status_code == 409
    detail = client.get(reverse("api:review-plan-detail", args=[review.plan_id])).json()
    assert detail["last_review_outcome"] == "M"
    assert detail["review_due"] == "2027-10-01"


def test_schedule_over_the_api():
    worker = caseworker()
    plan = make_plan(caseworker=worker)
    response = _client(worker).post(
        reverse("api:review-plan-schedule", args=[plan.pk]),
        {"meeting_on": "2026-12-01", "outcomes": ["Reads aloud"]},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["invitations_due"] == "2026-11-17"
    assert [o["outcome_text"] for o in response.json()["outcomes"]] == ["Reads aloud"]


def test_plan_list_costs_fixed_queries(django_assert_max_num_queries):
    worker = caseworker()
    for day in range(1, 12):
        make_plan(caseworker=worker, start_date=datetime.date(2025, 10, day))
    with django_assert_max_num_queries(8):
        response = _client(worker).get(reverse("api:review-plan-list"))
    assert response.status_code == 200
    assert response.json()["count"] == 11
