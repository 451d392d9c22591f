"""The case API: list filters, detail, transitions, history and exceptions, and one error shape."""

import datetime

import pytest
import time_machine
from django.db.models import Q
from django.urls import reverse

from audit.models import AuditEntry
from cases import errors, visibility
from cases.exception_services import exception_propose
from cases.models import Case, CaseException, CaseStatus
from ehc_workflow.api import INVALID_INPUT
from tests.cases.factories import (
    ChildFactory,
    advice_chosen,
    case_in_status,
    caseworker,
    make_case,
    manager,
)
from tests.plans.factories import send_letters

from .conftest import client_for, make_caller

pytestmark = pytest.mark.django_db

#: Every date below is seen from this day.
TODAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _case(**kwargs):
    return make_case(today=TODAY, **kwargs)


def _received_days_ago(days, **kwargs):
    return _case(received_on=TODAY - datetime.timedelta(days=days), **kwargs)


def _references(response):
    return [row["reference"] for row in response.json()["results"]]


def _assert_error_shape(body, status, code):
    assert set(body) == {"status", "code", "message", "errors"}
    assert body["status"] == status
    assert body["code"] == code


class TestList:
    def test_sorted_by_next_due_date_with_risk(self):
        user = caseworker()
        late = _received_days_ago(50, actor=user)  # decision to assess due day 42: overdue
        soon = _received_days_ago(35, actor=user)  # due in 7 days: at risk
        fresh = _received_days_ago(1, actor=user)  # on track
        response = client_for(user).get(reverse("api:case-list"))
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [r["reference"] for r in rows] == [late.reference, soon.reference, fresh.reference]
        assert [r["risk"] for r in rows] == ["overdue", "at_risk", "on_track"]
        assert rows[0]["next_milestone"] == {
            "name": "decision_to_assess",
            "label": "Decision whether to assess",
            "due": (late.received_on + datetime.timedelta(days=42)).isoformat(),
        }

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"risk": "overdue"}, ["late"]),
            ({"status": "assessing"}, ["assessing"]),
            ({"primary_need": "SEMH"}, ["fresh"]),
            ({"received_from": "2026-10-30"}, ["fresh"]),
            ({"received_to": "2026-09-13"}, ["late", "assessing"]),
            ({"final_plan_due_before": "2027-02-01"}, ["late", "assessing"]),
        ],
    )
    def test_filters(self, params, expected):
        user = caseworker()
        cases = {
            "late": _received_days_ago(50, actor=user),
            "assessing": case_in_status(
                "assessing", actor=user, received_on=TODAY - datetime.timedelta(days=60)
            ),
            "fresh": _received_days_ago(1, actor=user, primary_need="SEMH"),
        }
        response = client_for(user).get(reverse("api:case-list"), params)
        assert response.status_code == 200
        assert set(_references(response)) == {cases[name].reference for name in expected}

    def test_filter_by_caseworker_and_search(self):
        user, other = caseworker(), caseworker()
        mine = _case(actor=user, child=ChildFactory(first_name="Rowan", last_name="Ashdown"))
        theirs = _case(actor=other)
        client = client_for(user)
        by_worker = client.get(reverse("api:case-list"), {"caseworker": other.username})
        assert _references(by_worker) == [theirs.reference]
        assert _references(client.get(reverse("api:case-list"), {"search": "rowan ASH"})) == [
            mine.reference
        ]
        assert _references(client.get(reverse("api:case-list"), {"search": theirs.reference})) == [
            theirs.reference
        ]

    def test_ordering_by_a_due_date(self):
        user = caseworker()
        older = _received_days_ago(20, actor=user)
        newer = _received_days_ago(2, actor=user)
        client = client_for(user)
        latest_first = client.get(reverse("api:case-list"), {"ordering": "-final_plan_due"})
        assert _references(latest_first) == [newer.reference, older.reference]

    def test_bad_filter_is_400_in_the_error_shape(self):
        response = client_for(caseworker()).get(reverse("api:case-list"), {"risk": "doomed"})
        assert response.status_code == 400
        _assert_error_shape(response.json(), 400, "invalid")
        assert "risk" in response.json()["errors"]

    def test_page_size_is_capped(self):
        user = caseworker()
        response = client_for(user).get(reverse("api:case-list"), {"page_size": 10_000})
        assert response.status_code == 200  # served, but at most 100 a page (ehc_workflow.api)

    @pytest.mark.parametrize("count", [2, 50])
    @pytest.mark.parametrize("by_caseworker", [False, True])
    def test_constant_queries(self, count, by_caseworker, django_assert_num_queries, token_client):
        user = caseworker()
        for _ in range(count):
            _case(actor=user)
        client = token_client(user)
        params = {"page_size": 100}
        if by_caseworker:
            params["caseworker"] = user.username
        # token and user, user's roles, count, page (the caseworker is a subquery, not a query)
        with django_assert_num_queries(4):
            response = client.get(reverse("api:case-list"), params)
        assert len(response.json()["results"]) == count

    def test_unknown_caseworker_lists_nothing(self):
        user = caseworker()
        _case(actor=user)
        response = client_for(user).get(reverse("api:case-list"), {"caseworker": "nobody"})
        assert response.status_code == 200
        assert response.json()["results"] == []


class TestCreate:
    def test_creates_a_case_and_child(self):
        user = caseworker()
        body = {
            "child": {
                "first_name": "Synthetic",
                "last_name": "Child",
                "date_of_birth": "2017-05-01",
            },
            "received_on": "2026-10-01",
            "request_source": 2,
            "primary_need": "SLCN",
            "secondary_needs": ["ASD"],
            "caseworker": user.username,
        }
        response = client_for(user).post(reverse("api:case-list"), body, format="json")
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["status"] == "received"
        assert data["deadlines"]["final_plan_due"] == {
            "due": "2027-02-18",
            "actual": None,
            "on_time": None,
        }
        assert Case.objects.get(reference=data["reference"]).caseworker == user

    def test_invalid_input_is_400_with_field_errors_and_saves_nothing(self):
        body = {"child": {"first_name": ""}, "received_on": "2027-01-01", "primary_need": "NSA"}
        response = client_for(caseworker()).post(reverse("api:case-list"), body, format="json")
        assert response.status_code == 400
        errors_ = response.json()["errors"]
        assert {"child.first_name", "child.last_name", "primary_need", "request_source"} <= set(
            errors_
        )
        assert Case.objects.count() == 0

    def test_received_in_the_future_is_refused(self):
        body = {
            "child": {"first_name": "A", "last_name": "B", "date_of_birth": "2017-05-01"},
            "received_on": "2026-11-03",
            "request_source": 1,
            "primary_need": "SLCN",
        }
        response = client_for(caseworker()).post(reverse("api:case-list"), body, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {"received_on": [errors.RECEIVED_IN_FUTURE]}
        assert Case.objects.count() == 0


class TestDetail:
    def test_shape(self):
        user = caseworker()
        case = case_in_status("assessing", actor=user, received_on=datetime.date(2026, 9, 1))
        send_letters(case, user)  # the family told of the decision on time (plans.letters)
        response = client_for(user).get(reverse("api:case-detail", args=[case.reference]))
        data = response.json()
        assert data["child"]["first_name"] == case.child.first_name
        assert data["received_on"] == "2026-09-01"
        assert data["deadlines"]["decision_to_assess_due"] == {
            "due": "2026-10-13",
            "actual": "2026-10-11",
            "on_time": True,
        }
        assert data["next_milestone"]["name"] == "statutory_panel_decision"
        assert data["risk"] == "on_track"
        assert data["available_transitions"] == ["agree_to_issue", "decline_to_issue", "withdraw"]
        assert data["exceptions"] == []

    def test_constant_queries(self, django_assert_num_queries, token_client):
        user = caseworker()
        case = case_in_status("assessing", actor=user, received_on=datetime.date(2026, 9, 1))
        client = token_client(user)
        # token and user, roles, case with risk, exceptions, advice readiness, then the access
        # log's insert (it reuses the case the view loaded: no second read, benchmark 4f)
        with django_assert_num_queries(6):
            response = client.get(reverse("api:case-detail", args=[case.reference]))
        assert response.status_code == 200

    def test_unknown_reference_is_404_in_the_error_shape(self):
        response = client_for(caseworker()).get(reverse("api:case-detail", args=["EHC-0"]))
        assert response.status_code == 404
        _assert_error_shape(response.json(), 404, "not_found")


class TestTransitions:
    def url(self, case):
        return reverse("api:case-transition", args=[case.reference])

    def test_agree_to_assess(self):
        user = caseworker()
        case = _received_days_ago(30, actor=user)
        body = {
            "transition": "agree_to_assess",
            "effective_date": "2026-10-30",
            "reason": "",
            "details": advice_chosen(),
        }
        response = client_for(user).post(self.url(case), body, format="json")
        assert response.status_code == 200, response.json()
        data = response.json()
        assert data["status"] == "assessing"
        assert data["deadlines"]["decision_to_assess_due"]["actual"] == "2026-10-30"
        assert data["deadlines"]["decision_to_assess_due"]["on_time"] is True
        entry = AuditEntry.objects.filter(case=case, verb__startswith="case.").last()
        assert (entry.verb, entry.actor, entry.from_state, entry.to_state) == (
            "case.agree_to_assess",
            user,
            "received",
            "assessing",
        )

    def test_not_allowed_from_status_is_409_and_changes_nothing(self):
        user = caseworker()
        case = _received_days_ago(30, actor=user)
        audit_before = AuditEntry.objects.count()
        body = {"transition": "issue_final", "effective_date": "2026-10-30"}
        response = client_for(user).post(self.url(case), body, format="json")
        assert response.status_code == 409
        _assert_error_shape(response.json(), 409, "transition_not_allowed")
        assert response.json()["message"] == errors.TRANSITION_NOT_ALLOWED.format(
            status="Received", transition="Issue the final plan"
        )
        case.refresh_from_db()
        assert case.status == CaseStatus.RECEIVED
        assert AuditEntry.objects.count() == audit_before

    def test_concurrent_change_is_409(self):
        user = caseworker()
        case = _received_days_ago(30, actor=user)
        body = {"transition": "withdraw", "reason": "Moved away.", "expected_status": "assessing"}
        response = client_for(user).post(self.url(case), body, format="json")
        assert response.status_code == 409
        assert response.json()["code"] == "concurrent_change"
        case.refresh_from_db()
        assert case.status == CaseStatus.RECEIVED

    @pytest.mark.parametrize(
        ("body", "field", "message"),
        [
            ({"transition": "teleport"}, "transition", None),
            ({"transition": "withdraw", "effective_date": "2026-13-01"}, "effective_date", None),
            ({"transition": "withdraw", "reason": "  "}, "reason", errors.REASON_REQUIRED),
            (
                {"transition": "agree_to_assess", "effective_date": "2026-11-03"},
                "effective_date",
                errors.EFFECTIVE_DATE_IN_FUTURE,
            ),
        ],
    )
    def test_invalid_input_is_400(self, body, field, message):
        user = caseworker()
        case = _received_days_ago(30, actor=user)
        response = client_for(user).post(self.url(case), body, format="json")
        assert response.status_code == 400
        _assert_error_shape(response.json(), 400, "invalid")
        assert response.json()["message"] == INVALID_INPUT
        assert field in response.json()["errors"]
        if message:
            assert response.json()["errors"][field] == [message]
        case.refresh_from_db()
        assert case.status == CaseStatus.RECEIVED

    def test_role_that_may_not_is_403(self, monkeypatch):
        """A panel chair who can see the case (once the panels app grants it) may record a panel
        decision but not withdraw a request."""
        chair = make_caller("panel_chair")
        case = _received_days_ago(30)
        monkeypatch.setattr(visibility, "CASE_VISIBILITY_RULES", [lambda user: Q(pk=case.pk)])
        client = client_for(chair)
        refused = client.post(
            self.url(case), {"transition": "withdraw", "reason": "No."}, format="json"
        )
        assert refused.status_code == 403
        assert refused.json()["message"] == errors.TRANSITION_FORBIDDEN.format(
            transition="Withdraw the request"
        )
        allowed = client.post(
            self.url(case),
            {"transition": "agree_to_assess", "details": advice_chosen()},
            format="json",
        )
        assert allowed.status_code == 200
        assert allowed.json()["available_transitions"] == ["agree_to_issue", "decline_to_issue"]


class TestHistory:
    def test_in_order(self):
        user = caseworker()
        case = case_in_status("drafting", actor=user, received_on=datetime.date(2026, 6, 1))
        response = client_for(user).get(reverse("api:case-history", args=[case.reference]))
        case_verbs = [row["verb"] for row in response.json() if row["verb"].startswith("case.")]
        assert case_verbs == [
            "case.created",
            "case.agree_to_assess",
            "case.agree_to_issue",
        ]
        assert response.json()[1]["actor"] == user.username


class TestExceptions:
    def test_propose_then_manager_agrees(self):
        worker, boss = caseworker(), manager()
        case = _received_days_ago(30, actor=worker)
        proposed = client_for(worker).post(
            reverse("api:case-exception-propose", args=[case.reference]),
            {
                "ground": "absent_from_area",
                "starts_on": "2026-10-01",
                "ends_on": "2026-10-31",
                "notes": "Family abroad (synthetic).",
            },
            format="json",
        )
        assert proposed.status_code == 201, proposed.json()
        exception_id = proposed.json()["id"]
        url = reverse("api:case-exception-agree", args=[case.reference, exception_id])
        assert client_for(worker).post(url, {}, format="json").status_code == 403
        agreed = client_for(boss).post(url, {"family_notified_on": "2026-11-01"}, format="json")
        assert agreed.status_code == 200
        assert agreed.json()["agreed"] is True
        assert agreed.json()["agreed_by"] == boss.username
        again = client_for(boss).post(url, {}, format="json")
        assert again.status_code == 409
        assert again.json()["message"] == errors.EXCEPTION_ALREADY_AGREED

    def test_too_short_is_400(self):
        worker = caseworker()
        case = _received_days_ago(30, actor=worker)
        response = client_for(worker).post(
            reverse("api:case-exception-propose", args=[case.reference]),
            {
                "ground": "absent_from_area",
                "starts_on": "2026-10-01",
                "ends_on": "2026-10-05",
                "notes": "Too short.",
            },
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["errors"] == {"ends_on": [errors.EXCEPTION_TOO_SHORT]}
        assert CaseException.objects.count() == 0

    def test_exception_of_another_case_is_404(self):
        worker, boss = caseworker(), manager()
        case, other = _received_days_ago(30, actor=worker), _received_days_ago(30, actor=worker)
        exception = exception_propose(
            actor=worker,
            case=other,
            ground="exceptional_personal_circumstances",
            starts_on=other.received_on,
            notes="Synthetic.",
        )
        url = reverse("api:case-exception-agree", args=[case.reference, exception.pk])
        assert client_for(boss).post(url, {}, format="json").status_code == 404


def test_token_authentication(token_client):
    user = caseworker()
    case = _received_days_ago(3, actor=user)
    response = token_client(user).get(reverse("api:case-detail", args=[case.reference]))
    assert response.status_code == 200


def test_anonymous_is_401_in_the_error_shape(api_client):
    response = api_client.get(reverse("api:case-list"))
    assert response.status_code == 401
    _assert_error_shape(response.json(), 401, "not_authenticated")


def test_an_api_address_no_route_matches_is_a_json_404(client):
    """Under /api/, a path no route matches (a negative id, a typo) answers in the API's one
    error shape, never the HTML page (schemathesis found this)."""
    response = client.get("/api/cases/EHC-2026-00001/no-such-thing/-5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert "text/html" in page["Content-Type"]


def test_only_the_filters_a_request_names_are_built(rf):
    """Building all 16 filters and their form fields on every request was a tenth of the list's
    own work (benchmark 4e): the backend builds the named ones; the schema lists them all."""
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.request import Request

    from cases.apis import CaseListCreateApi
    from ehc_workflow.api import RequestedFiltersBackend

    view = CaseListCreateApi()
    backend = RequestedFiltersBackend()
    queryset = Case.objects.all()
    request = Request(rf.get("/api/cases/", {"status": "received", "page": "2", "page_size": 5}))
    assert set(backend.get_filterset(request, queryset, view).filters) == {"status"}
    request = Request(rf.get("/api/cases/"))
    assert backend.get_filterset(request, queryset, view).filters == {}
    request = Request(rf.get("/api/cases/", {"status": "nonsense"}))
    assert not backend.get_filterset(request, queryset, view).is_valid()

    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = {p["name"] for p in schema["paths"]["/api/cases/"]["get"]["parameters"]}
    assert {"status", "risk", "caseworker", "search", "ordering", "open"} <= parameters
