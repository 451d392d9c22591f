"""The caseworker's pages (server side): sign in, the case list, the case page and its forms."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEntry
from cases import errors
from cases.exception_services import exception_propose
from cases.models import CaseException, CaseStatus
from cases.roles import Role
from cases.views import EXCEPTION_AGREED, EXCEPTION_PROPOSED
from tests.cases.factories import UserFactory, advice_chosen, caseworker, make_case, manager

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _case(days_ago, **kwargs):
    return make_case(today=TODAY, received_on=TODAY - datetime.timedelta(days=days_ago), **kwargs)


def _signed_in(client, user):
    client.force_login(user)
    return client


def _transition_post(name, *, day, month, year, reason="", expected="received"):
    return {
        "transition": name,
        f"{name}-transition": name,
        f"{name}-expected_status": expected,
        f"{name}-effective_date_0": str(day),
        f"{name}-effective_date_1": str(month),
        f"{name}-effective_date_2": str(year),
        f"{name}-reason": reason,
    }


def _advice_post(*, ep_service, **extra):
    """The advice choice inside the "Agree to assess" form (advice_requests.forms)."""
    prefix = "agree_to_assess-advice"
    data = {
        f"{prefix}-ep_service": str(ep_service),
        f"{prefix}-ep_question": "What are the child's needs?",
        f"{prefix}-parent_views_question": "What are your views?",
    }
    data.update({f"{prefix}-{name}": value for name, value in extra.items()})
    return data


def test_home_sends_visitors_to_sign_in_and_staff_to_the_case_list(client):
    assert client.get("/").url == reverse("login")
    _signed_in(client, caseworker())
    assert client.get("/").url == reverse("cases:list")


def test_sign_in_goes_to_the_case_list(client):
    user = caseworker()
    page = client.get(reverse("login"))
    assert b"govuk-header" in page.content
    assert b"EHC needs assessments" in page.content
    response = client.post(
        reverse("login"), {"username": user.username, "password": "a-test-password"}
    )
    assert response.url == reverse("cases:list")


def test_wrong_password_shows_the_error_summary(client):
    response = client.post(reverse("login"), {"username": "nobody", "password": "nope"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content


def test_sign_out(client):
    _signed_in(client, caseworker())
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert client.get(reverse("cases:list")).status_code == 302


class TestCaseList:
    def test_filters_to_overdue_and_shows_risk_tags(self, client):
        user = caseworker()
        late, fresh = _case(50, actor=user), _case(1, actor=user)
        response = _signed_in(client, user).get(reverse("cases:list"), {"risk": "overdue"})
        body = response.content.decode()
        assert late.reference in body
        assert fresh.reference not in body
        assert 'govuk-tag govuk-tag--red">Overdue' in body

    def test_bad_filters_are_named_as_the_page_names_them(self, client):
        """A tampered link's filters are listed in the error summary by the labels beside
        them ("Risk", "Sort by"), never a placeholder such as "[invalid name]"."""
        user = caseworker()
        response = _signed_in(client, user).get(
            reverse("cases:list"), {"risk": "zzz", "ordering": "evil", "received_to": "notadate"}
        )
        summary = [item["text"] for item in response.context["error_items"]]
        assert summary == [
            "Risk: Select a valid choice. zzz is not one of the available choices.",
            "Received on or before: Enter a valid date.",
            "Sort by: Select a valid choice. evil is not one of the available choices.",
        ]
        assert "[invalid name]" not in response.content.decode()

    def test_sorted_by_next_due_date(self, client):
        user = caseworker()
        fresh, late = _case(1, actor=user), _case(50, actor=user)
        body = _signed_in(client, user).get(reverse("cases:list")).content.decode()
        assert body.index(late.reference) < body.index(fresh.reference)

    def test_invalid_filter_in_the_error_summary(self, client):
        response = _signed_in(client, caseworker()).get(
            reverse("cases:list"), {"received_from": "yesterday"}
        )
        assert response.status_code == 200
        assert b"govuk-error-summary" in response.content
        assert b'href="#received_from"' in response.content

    def test_paginated(self, client):
        user = caseworker()
        for _ in range(26):
            _case(3, actor=user)
        body = _signed_in(client, user).get(reverse("cases:list")).content.decode()
        assert "Page 1 of 2" in body
        assert body.count('class="govuk-table__row"') == 26  # header + 25 cases

    @pytest.mark.parametrize("count", [2, 50])
    def test_constant_queries(self, client, count, django_assert_num_queries):
        user = caseworker()
        for _ in range(count):
            _case(3, actor=user)
        _signed_in(client, user)
        # session, user, roles, count, page, and the header's unread notifications (one)
        with django_assert_num_queries(6):
            response = client.get(reverse("cases:list"))
        assert response.status_code == 200

    def test_partner_is_refused(self, client):
        _signed_in(client, UserFactory(roles=[Role.PARTNER]))
        assert client.get(reverse("cases:list")).status_code == 403


class TestCasePage:
    def test_shows_child_timeline_history_and_forms(self, client):
        user = caseworker()
        case = _case(30, actor=user)
        body = _signed_in(client, user).get(reverse("cases:detail", args=[case.reference]))
        text = body.content.decode()
        assert case.child.full_name in text
        assert "moj-timeline" in text
        assert case.decision_to_assess_due.strftime("%-d %B %Y") in text
        assert "Request logged" in text  # the history in words (issue 14)
        assert "case.created" not in text
        assert 'action="/cases/' in text
        assert "Agree to assess" in text

    def test_panel_member_cannot_see_a_case(self, client):
        case = _case(30)
        _signed_in(client, UserFactory(roles=[Role.PANEL_MEMBER]))
        assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404

    def test_agree_to_assess(self, client):
        user = caseworker()
        case = _case(30, actor=user)
        ep_service = advice_chosen()["advice"][0]["service"]
        url = reverse("cases:transition", args=[case.reference])
        response = _signed_in(client, user).post(
            url,
            {
                **_transition_post("agree_to_assess", day=30, month=10, year=2026),
                **_advice_post(ep_service=ep_service),
            },
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.status == CaseStatus.ASSESSING
        assert case.assessment_decided_on == datetime.date(2026, 10, 30)
        assert b"Agreed to assess on" in client.get(response.url).content

    def test_future_date_is_refused_in_the_error_summary(self, client):
        user = caseworker()
        case = _case(30, actor=user)
        ep_service = advice_chosen()["advice"][0]["service"]
        audit_before = AuditEntry.objects.count()
        response = _signed_in(client, user).post(
            reverse("cases:transition", args=[case.reference]),
            {
                **_transition_post("agree_to_assess", day=3, month=11, year=2026),
                **_advice_post(ep_service=ep_service),
            },
        )
        assert response.status_code == 400
        assert errors.EFFECTIVE_DATE_IN_FUTURE in response.content.decode()
        assert b"govuk-error-summary" in response.content
        case.refresh_from_db()
        assert case.status == CaseStatus.RECEIVED
        assert AuditEntry.objects.count() == audit_before

    def test_stale_page_is_refused_with_409(self, client):
        user = caseworker()
        case = _case(30, actor=user)
        response = _signed_in(client, user).post(
            reverse("cases:transition", args=[case.reference]),
            _transition_post(
                "withdraw", day=30, month=10, year=2026, reason="Moved", expected="assessing"
            ),
        )
        assert response.status_code == 409
        assert b"changed while you were working on it" in response.content
        case.refresh_from_db()
        assert case.status == CaseStatus.RECEIVED

    def test_exception_proposed_then_agreed_by_a_manager(self, client):
        worker, boss = caseworker(), manager()
        case = _case(30, actor=worker)
        response = _signed_in(client, worker).post(
            reverse("cases:exception-propose", args=[case.reference]),
            {
                "exception-ground": "exceptional_personal_circumstances",
                "exception-starts_on_0": "1",
                "exception-starts_on_1": "10",
                "exception-starts_on_2": "2026",
                "exception-notes": "Synthetic evidence.",
            },
        )
        assert response.status_code == 302
        assert EXCEPTION_PROPOSED.encode() in client.get(response.url).content
        exception = CaseException.objects.get(case=case)
        refused = client.post(reverse("cases:exception-agree", args=[case.reference, exception.pk]))
        assert refused.status_code == 403
        _signed_in(client, boss)
        agreed = client.post(reverse("cases:exception-agree", args=[case.reference, exception.pk]))
        assert agreed.status_code == 302
        assert (
            EXCEPTION_AGREED.format(ground="Exceptional personal circumstances").encode()
            in client.get(agreed.url).content
        )
        exception.refresh_from_db()
        assert exception.agreed_by == boss

    def test_invalid_exception_shows_errors(self, client):
        worker = caseworker()
        case = _case(30, actor=worker)
        response = _signed_in(client, worker).post(
            reverse("cases:exception-propose", args=[case.reference]), {"exception-notes": ""}
        )
        assert response.status_code == 400
        assert b"govuk-error-summary" in response.content
        assert not CaseException.objects.exists()


def test_admin_still_works(admin_client):
    case = _case(10, actor=caseworker())
    exception_propose(
        actor=case.caseworker,
        case=case,
        ground="exceptional_personal_circumstances",
        starts_on=case.received_on,
        notes="Synthetic.",
    )
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get("/admin/cases/case/").status_code == 200


def test_api_docs_served_without_a_cdn(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in body
    assert "cdn" not in body.lower()


def test_govuk_assets_are_served_from_static(client):
    response = client.get("/assets/fonts/bold-b542beb274-v2.woff2")
    assert response.status_code == 301
    assert response.url == "/static/govuk/assets/fonts/bold-b542beb274-v2.woff2"
    moj = client.get("/assets/images/icon-progress-tick.svg")
    assert moj.url == "/static/moj/assets/images/icon-progress-tick.svg"
    assert client.get("/assets/images/no-such-file.svg").status_code == 404


def test_not_found_and_forbidden_pages_use_the_layout(client):
    _signed_in(client, caseworker())
    missing = client.get(reverse("cases:detail", args=["EHC-1999-99999"]))
    assert missing.status_code == 404
    assert b"Page not found" in missing.content
    assert b"govuk-header" in missing.content
    _signed_in(client, UserFactory(roles=[Role.PARTNER]))
    refused = client.get(reverse("cases:list"))
    assert refused.status_code == 403
    assert b"You cannot do this" in refused.content
