"""Issue 13 item 7: deciding knowingly. A statutory decision recorded outside a panel while
advice is outstanding needs an explicit confirmation naming what is outstanding (audited);
steps that cannot be undone need their "I confirm" box."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEntry
from cases.forms import IRREVERSIBLE
from cases.models import CaseStatus
from tests.cases.factories import case_in_status, caseworker
from tests.plans.factories import prepare_step

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)
RECEIVED = datetime.date(2026, 5, 1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def assessing():
    """Assessing, with educational psychology advice and the family's views outstanding."""
    worker = caseworker()
    return case_in_status("assessing", actor=worker, received_on=RECEIVED, today=TODAY), worker


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.parametrize("decision", ["agree_to_issue", "decline_to_issue"])
def test_api_refuses_the_decision_without_the_confirmation(assessing, decision):
    case, worker = assessing
    response = _api(worker).post(
        reverse("api:case-transition", args=[case.reference]),
        {"transition": decision, "reason": "Synthetic reason."},
        format="json",
    )
    assert response.status_code == 400
    message = response.json()["errors"]["confirm_outstanding_advice"][0]
    assert "Educational psychology" in message
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSING
    assert not AuditEntry.objects.filter(case=case, verb=f"case.{decision}").exists()


def test_api_accepts_the_decision_with_the_confirmation_and_audits_it(assessing):
    case, worker = assessing
    response = _api(worker).post(
        reverse("api:case-transition", args=[case.reference]),
        {"transition": "agree_to_issue", "confirm_outstanding_advice": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    entry = AuditEntry.objects.get(case=case, verb="case.agree_to_issue")
    confirmed = entry.payload["confirmed_outstanding_advice"]
    assert len(confirmed) == 2
    assert any("Educational psychology" in item for item in confirmed)


def _post(client, case, name, **extra):
    data = {
        "transition": name,
        f"{name}-transition": name,
        f"{name}-expected_status": case.status,
        f"{name}-effective_date_0": "2",
        f"{name}-effective_date_1": "11",
        f"{name}-effective_date_2": "2026",
        f"{name}-reason": "Synthetic reason.",
    }
    data.update({f"{name}-{key}": value for key, value in extra.items()})
    return client.post(reverse("cases:transition", args=[case.reference]), data)


def test_page_names_what_is_outstanding_and_needs_the_box(client, assessing):
    case, worker = assessing
    client.force_login(worker)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Advice is still outstanding" in page
    refused = _post(client, case, "agree_to_issue")
    assert refused.status_code == 400
    assert "Confirm you are making this decision without it" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSING
    accepted = _post(client, case, "agree_to_issue", confirm_outstanding_advice="on")
    assert accepted.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFTING


@pytest.mark.parametrize(
    ("status", "name"), [("draft_issued", "issue_final"), ("assessing", "withdraw")]
)
def test_irreversible_steps_need_their_confirmation(client, status, name):
    worker = caseworker()
    case = case_in_status(status, actor=worker, received_on=RECEIVED, today=TODAY)
    client.force_login(worker)
    refused = _post(client, case, name)
    assert refused.status_code == 400
    assert IRREVERSIBLE[name]["error"] in refused.content.decode()
    case.refresh_from_db()
    assert case.status == status
    prepare_step(case, name, worker)  # the final plan needs its plan and named setting
    assert _post(client, case, name, confirm="on").status_code == 302
    case.refresh_from_db()
    assert case.status != status
