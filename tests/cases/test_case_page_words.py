"""Issue 14, the case pages: each defect seen on the demo, as a test that failed before."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEntry
from cases import errors
from cases.exception_services import exception_agree, exception_propose, exception_refuse
from cases.models import CaseException
from cases.services import case_assign, case_transition
from notifications.models import Kind, Notification
from tests.advice_requests.factories import advice_in_status
from tests.cases.factories import (
    UserFactory,
    case_in_status,
    caseworker,
    make_case,
    manager,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _page(client, user, case):
    client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.reference])).content.decode()


def _history_rows(body):
    table = body[body.index('id="history"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)[1:]
    return [re.sub(r"<[^>]+>", " ", row) for row in rows]


def test_history_reads_as_sentences_with_names_in_the_order_it_happened(client):
    worker = caseworker(first_name="Elin", last_name="Morgan", username="cw.elin")
    other = caseworker(first_name="Ana", last_name="Bell", username="cw.ana")
    case = make_case(actor=worker, received_on=datetime.date(2026, 7, 22), today=TODAY)
    case_assign(actor=worker, case=case, caseworker=other, reason="Leave.")  # no effective date
    body = _page(client, worker, case)
    rows = _history_rows(body)
    assert "Request logged" in rows[0]
    assert "Elin Morgan" in rows[0]
    assert "Reassigned from Elin Morgan to Ana Bell" in rows[-1]
    assert "cw.elin" not in "".join(rows)
    assert "case.created" not in body
    assert "oldest first" not in body


def test_history_is_ordered_by_the_date_it_happened_then_when_recorded(client):
    """A step recorded today but backdated to 1 September comes before today's assignment,
    and after the request received on 22 July (before: in the order recorded)."""
    worker, other = caseworker(first_name="Elin", last_name="Morgan"), caseworker()
    case = make_case(actor=worker, received_on=datetime.date(2026, 7, 22), today=TODAY)
    case_assign(actor=worker, case=case, caseworker=other, reason="Leave.")
    case_transition(
        actor=worker,
        case=case,
        transition="withdraw",
        effective_date=datetime.date(2026, 9, 1),
        reason="Moved away.",
        today=TODAY,
    )
    rows = _history_rows(_page(client, worker, case))
    what = list(rows)
    assert "22 Jul 2026" in what[0]
    assert "Request logged" in what[0]
    assert "1 Sep 2026" in what[1]
    assert "Request withdrawn" in what[1]
    assert "2 Nov 2026" in what[2]
    assert "Reassigned" in what[2]
    api = APIClient()
    api.force_authenticate(worker)
    verbs = [e["verb"] for e in api.get(reverse("api:case-history", args=[case.reference])).json()]
    assert verbs == ["case.created", "case.withdraw", "case.assigned"]


def test_at_risk_says_each_reason(client):
    worker = caseworker()
    case = make_case(actor=worker, received_on=TODAY - datetime.timedelta(days=37), today=TODAY)
    body = _page(client, worker, case)
    assert "Why this case is at risk" in body
    assert "Decision whether to assess is due in 5 days, on 7 November 2026." in body


def test_overdue_advice_is_named_as_a_reason(client):
    advice = advice_in_status("requested")
    case = advice.case
    with time_machine.travel(datetime.datetime(2026, 12, 30, 10, tzinfo=datetime.UTC), tick=False):
        body = _page(client, case.caseworker, case)
    assert "Health advice" in body or "advice from" in body
    assert "is overdue: it was due on" in body


def test_after_the_plan_decision_readiness_is_not_offered(client):
    worker = caseworker()
    case = case_in_status("drafting", actor=worker, today=TODAY)
    body = _page(client, worker, case)
    assert "Ready for the statutory panel" not in body
    assert "Not ready for the statutory panel" not in body


def test_a_closed_case_offers_neither_exception_nor_return_for_quality(client):
    advice = advice_in_status("submitted")
    case = advice.case
    worker = case.caseworker
    before = _page(client, worker, case)
    assert "Return for quality" in before
    assert "Propose an exception" in before
    case_transition(
        actor=worker, case=case, transition="withdraw", reason="Moved away.", today=TODAY
    )
    after = _page(client, worker, case)
    assert "Propose an exception" not in after
    assert "Return for quality" not in after


def _post(client, case, name, day, month, year, expected=None, **extra):
    data = {
        "transition": name,
        f"{name}-transition": name,
        f"{name}-expected_status": expected or case.status,
        f"{name}-effective_date_0": str(day),
        f"{name}-effective_date_1": str(month),
        f"{name}-effective_date_2": str(year),
        f"{name}-reason": "Synthetic.",
        **{f"{name}-{key}": value for key, value in extra.items()},
    }
    return client.post(reverse("cases:transition", args=[case.reference]), data)


def test_error_texts_use_the_words_on_the_page(client):
    worker = caseworker()
    case = make_case(actor=worker, received_on=TODAY - datetime.timedelta(days=30), today=TODAY)
    client.force_login(worker)
    future = _post(client, case, "withdraw", 9, 11, 2026, confirm="on").content.decode()
    assert "Date it happened must be today or in the past." in future
    assert "effective date" not in future.lower()
    drafted = case_in_status("draft_issued", actor=worker, today=TODAY)
    refused = client.post(
        reverse("api:case-transition", args=[drafted.reference]),
        {"transition": "agree_to_assess"},
        content_type="application/json",
    ).json()["message"]
    assert "Draft plan issued" in refused
    assert "Agree to assess" in refused
    assert "draft_issued" not in refused
    assert "agree_to_assess" not in refused


def test_administration_only_for_those_who_can_use_it(client):
    staff_caseworker = caseworker(is_staff=True)
    case = make_case(actor=staff_caseworker, today=TODAY)
    assert "Administration" not in _page(client, staff_caseworker, case)
    admin = UserFactory(is_staff=True, is_superuser=True)
    assert "Administration" in _page(client, admin, case)


def test_transition_success_is_a_sentence(client):
    worker = caseworker()
    case = make_case(actor=worker, received_on=TODAY - datetime.timedelta(days=30), today=TODAY)
    client.force_login(worker)
    response = client.post(
        reverse("cases:transition", args=[case.reference]),
        {
            "transition": "withdraw",
            "withdraw-transition": "withdraw",
            "withdraw-expected_status": "received",
            "withdraw-effective_date_0": "1",
            "withdraw-effective_date_1": "11",
            "withdraw-effective_date_2": "2026",
            "withdraw-reason": "Moved away.",
            "withdraw-confirm": "on",
        },
        follow=True,
    )
    assert "Request withdrawn on 1 November 2026." in response.content.decode()


# --- Exceptions ----------------------------------------------------------------------------


def _proposed(worker, case, **kwargs):
    return exception_propose(
        actor=worker,
        case=case,
        ground="exceptional_personal_circumstances",
        starts_on=kwargs.pop("starts_on", datetime.date(2026, 10, 1)),
        notes="Synthetic evidence.",
        **kwargs,
    )


def test_a_manager_refuses_with_a_reason(client):
    worker, boss = caseworker(), manager()
    case = make_case(actor=worker, today=TODAY)
    exception = _proposed(worker, case)
    body = _page(client, boss, case)
    assert "Refuse the exception" in body
    response = client.post(
        reverse("cases:exception-refuse", args=[case.reference, exception.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert errors.EXCEPTION_REFUSAL_REASON_REQUIRED in response.content.decode()
    response = client.post(
        reverse("cases:exception-refuse", args=[case.reference, exception.pk]),
        {"reason": "No evidence of the absence."},
        follow=True,
    )
    exception.refresh_from_db()
    assert exception.is_refused
    assert not exception.is_agreed
    assert "No evidence of the absence." in response.content.decode()
    assert AuditEntry.objects.filter(verb="case.exception_refused", case=case).exists()
    with pytest.raises(errors.CaseConflictError):
        exception_agree(actor=boss, exception=exception)


def test_a_manager_agrees_with_a_comment(client):
    worker, boss = caseworker(), manager()
    case = make_case(actor=worker, today=TODAY)
    exception = _proposed(worker, case)
    client.force_login(boss)
    client.post(
        reverse("cases:exception-agree", args=[case.reference, exception.pk]),
        {"comment": "Hospital letter seen."},
    )
    exception.refresh_from_db()
    assert exception.is_agreed
    assert exception.agreement_comment == "Hospital letter seen."
    assert "Hospital letter seen." in _page(client, boss, case)


def test_refusing_needs_a_manager_who_did_not_propose_it():
    worker, boss = caseworker(), manager()
    case = make_case(actor=worker, today=TODAY)
    with pytest.raises(errors.CaseForbiddenError):
        exception_refuse(actor=worker, exception=_proposed(worker, case), reason="No.")
    with pytest.raises(errors.CaseForbiddenError):
        exception_refuse(actor=boss, exception=_proposed(boss, case), reason="No.")


def test_managers_are_told_when_an_exception_is_proposed():
    worker, boss, other_boss = caseworker(), manager(), manager()
    case = make_case(actor=worker, today=TODAY)
    _proposed(worker, case)
    told = Notification.objects.filter(kind=Kind.EXCEPTION_PROPOSED)
    assert set(told.values_list("recipient_id", flat=True)) == {boss.pk, other_boss.pk}
    assert case.child.first_name not in told.first().subject


def test_an_exception_starting_in_the_future_is_refused():
    from django.core.exceptions import ValidationError

    worker = caseworker()
    case = make_case(actor=worker, today=TODAY)
    with pytest.raises(ValidationError) as raised:
        _proposed(worker, case, starts_on=datetime.date(2026, 11, 3))
    assert raised.value.message_dict == {"starts_on": [errors.EXCEPTION_STARTS_IN_FUTURE]}
    assert not CaseException.objects.exists()
