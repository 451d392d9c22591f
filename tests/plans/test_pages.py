"""The plan pages: every page opens for a caseworker, partners are refused, bad input is a
GOV.UK error summary with nothing saved, and the letter queue costs a fixed number of queries."""

import pytest
from django.urls import reverse

from cases.roles import Role
from plans import errors, services
from plans.models import Provision
from tests.cases.factories import UserFactory, case_in_status, caseworker

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_case():
    actor = caseworker()
    case = case_in_status("draft_issued", actor=actor)
    plan = case.plan
    comment = services.comment_record(
        actor=actor,
        plan=plan,
        section="F",
        text="More therapy.",
        source="email",
        received_on=case.draft_issued_on,
    )
    consultation = services.consultation_send(actor=actor, plan=plan, setting_name="X School")
    return case, actor, comment, consultation


def _urls(case, comment, consultation):
    r = case.reference
    letter = case.letters.first()
    return [
        reverse("plans:plan", args=[r]),
        reverse("plans:sections", args=[r]),
        reverse("plans:from-advice", args=[r]),
        reverse("plans:quality", args=[r]),
        reverse("plans:compare", args=[r]),
        reverse("plans:version", args=[r, 1]),
        reverse("plans:comment-new", args=[r]),
        reverse("plans:comment-answer", args=[r, comment.pk]),
        reverse("plans:consultation-new", args=[r]),
        reverse("plans:consultation-response", args=[r, consultation.pk]),
        reverse("plans:item-new", args=[r, "need"]),
        reverse("plans:item-new", args=[r, "outcome"]),
        reverse("plans:item-new", args=[r, "provision"]),
        reverse("plans:advice-listed", args=[r]),
        reverse("plans:letter-queue"),
        reverse("plans:letter-sent", args=[letter.pk]),
        reverse("cases:detail", args=[r]),
    ]


def test_every_page_opens_for_the_caseworker_and_not_for_a_partner(client, draft_case):
    case, actor, comment, consultation = draft_case
    client.force_login(actor)
    for url in _urls(case, comment, consultation):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "X School" in page
    assert 'id="plan"' in page
    client.force_login(UserFactory(roles=[Role.PARTNER]))
    for url in _urls(case, comment, consultation):
        assert client.get(url).status_code == 403, url


def test_a_pdf_downloads_as_an_attachment(client, draft_case):
    case, actor, _comment, _consultation = draft_case
    client.force_login(actor)
    response = client.get(reverse("plans:version-pdf", args=[case.reference, 1]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]


def test_a_frequency_without_a_unit_shows_the_error_summary_and_saves_nothing(client, draft_case):
    case, actor, _comment, _consultation = draft_case
    client.force_login(actor)
    before = Provision.objects.count()
    response = client.post(
        reverse("plans:item-new", args=[case.reference, "provision"]),
        {"section": "F", "what": "Speech therapy", "frequency": "2"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert errors.FREQUENCY_NEEDS_UNIT in body
    assert Provision.objects.count() == before


def test_not_accepted_without_a_reason_shows_the_error(client, draft_case):
    case, actor, comment, _consultation = draft_case
    client.force_login(actor)
    response = client.post(
        reverse("plans:comment-answer", args=[case.reference, comment.pk]),
        {"answer": "not_accepted", "answer_text": ""},
    )
    assert response.status_code == 400
    assert errors.NOT_ACCEPTED_NEEDS_REASON in response.content.decode()
    comment.refresh_from_db()
    assert comment.answer == ""


def test_the_letter_queue_costs_the_same_however_many_letters(
    client, draft_case, django_assert_max_num_queries
):
    _case, actor, _comment, _consultation = draft_case
    for _ in range(3):
        case_in_status("assessment_declined", actor=actor)
    client.force_login(actor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("plans:letter-queue"))
    assert response.status_code == 200
    assert response.content.decode().count("Mark as sent<") >= 5  # noqa: PLR2004


def test_changing_an_outcome_on_the_page_can_untick_every_need(client, draft_case):
    case, actor, _comment, _consultation = draft_case
    client.force_login(actor)
    outcome = case.plan.outcomes.filter(needs__isnull=False).first()
    url = reverse("plans:item", args=[case.reference, "outcome", outcome.pk])
    form = client.get(url).content.decode()
    assert outcome.text in form  # the form starts from the outcome as it is
    response = client.post(url, {"text": outcome.text})  # no need ticked
    assert response.status_code == 302
    assert outcome.needs.count() == 0
    other = case_in_status("draft_issued", actor=actor).plan.outcomes.first()
    assert (
        client.get(reverse("plans:item", args=[case.reference, "outcome", other.pk])).status_code
        == 404
    )
