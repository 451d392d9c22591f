"""The disagreement page: GOV.UK forms with an error summary, nothing half-saved, object-scoped."""

import datetime

import pytest
from django.urls import reverse

from disputes.models import Dispute, Mediation
from tests.cases.factories import UserFactory, case_in_status

from .factories import RECEIVED, appealed

pytestmark = pytest.mark.django_db


def _date(prefix, day: datetime.date) -> dict:
    return {f"{prefix}-on_0": day.day, f"{prefix}-on_1": day.month, f"{prefix}-on_2": day.year}


def test_a_declined_case_shows_its_appeal_deadline_on_the_case_page(client):
    case = case_in_status("assessment_declined", family_told=True, received_on=RECEIVED)
    client.force_login(case.caseworker)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Disagreement and appeals" in page
    assert "14 April 2026" in page  # 2 months from the letter of 14 February


def test_recording_the_mediation_adviser_contact_opens_the_dispute(client):
    case = case_in_status("assessment_declined", family_told=True, received_on=RECEIVED)
    client.force_login(case.caseworker)
    prefix = "mediation_start-newdecline_to_assess"
    response = client.post(
        reverse("disputes:record", args=[case.reference]),
        {
            "step": "mediation_start",
            "target": "newdecline_to_assess",
            **_date(prefix, datetime.date(2026, 3, 2)),
        },
    )
    assert response.status_code == 302
    assert Mediation.objects.get().dispute.case == case
    page = client.get(reverse("disputes:case", args=[case.reference])).content.decode()
    assert "Mediation certificate due from the adviser" in page
    assert "5 March 2026" in page  # 3 working days after Monday 2 March


def test_a_bad_date_shows_an_error_summary_and_saves_nothing(client):
    case = case_in_status("assessment_declined", family_told=True, received_on=RECEIVED)
    client.force_login(case.caseworker)
    prefix = "mediation_start-newdecline_to_assess"
    response = client.post(
        reverse("disputes:record", args=[case.reference]),
        {
            "step": "mediation_start",
            "target": "newdecline_to_assess",
            **_date(prefix, datetime.date(2026, 1, 1)),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "cannot be before the decision letter" in page
    assert not Dispute.objects.exists()


def test_another_cases_dispute_is_not_found(client):
    actor, _, dispute, _ = appealed()
    other = case_in_status(
        "assessment_declined", family_told=True, received_on=RECEIVED, actor=actor
    )
    client.force_login(actor)
    response = client.post(
        reverse("disputes:record", args=[other.reference]),
        {
            "step": "appeal_response",
            "target": str(dispute.pk),
            **_date(f"appeal_response-{dispute.pk}", datetime.date(2026, 3, 10)),
        },
    )
    assert response.status_code == 404


def test_a_user_without_a_case_role_is_refused(client):
    case = case_in_status("assessment_declined", family_told=True, received_on=RECEIVED)
    client.force_login(UserFactory())
    assert client.get(reverse("disputes:case", args=[case.reference])).status_code == 403


def test_the_dashboard_counts_appeals_and_orders(client):
    from tests.cases.factories import manager  # noqa: PLC0415

    appealed(registered_on=datetime.date.today() - datetime.timedelta(days=10))  # noqa: DTZ011
    client.force_login(manager())
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Appeals and tribunal orders" in page
    assert "Appeals registered" in page
