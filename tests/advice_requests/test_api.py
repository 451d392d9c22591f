"""The advice API (docs/api.md): visibility per service, the exact field set per role, the
transition contract (200/400/403/409, nothing saved on error), submission and download."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from advice_requests import errors
from advice_requests.apis import ADVICE_AREA_FORBIDDEN
from advice_requests.models import AccessAction, AccessLog, AdviceRequest, AdviceSubmission
from audit.models import AuditEntry
from cases.roles import Role
from tests.cases.factories import UserFactory, caseworker, manager

from .factories import (
    PDF_BYTES,
    SUMMARY,
    PartnerServiceFactory,
    advice_in_status,
    docx_bytes,
    make_advice,
    partner,
    upload,
)
from .test_documents import ELF, HTML, WINDOWS_EXE, stored_files

pytestmark = pytest.mark.django_db

#: Section 8: the request and the minimum case facts, nothing else (no case reference).
PARTNER_FIELDS = {
    "id",
    "kind",
    "status",
    "service",
    "child_name",
    "date_of_birth",
    "setting",
    "question",
    "requested_on",
    "due_on",
    "overdue",
    "last_reason",
    "submission",
    "available_transitions",
}
STAFF_FIELDS = PARTNER_FIELDS | {"case_reference", "professional", "status_changed_on"}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(name, advice):
    return reverse(f"api:advice-request-{name}", args=[advice.pk])


@pytest.fixture
def two_services():
    """Service A with a member and an accepted request; service B with a submitted one."""
    service_a, service_b = PartnerServiceFactory(), PartnerServiceFactory()
    advice_a = advice_in_status("accepted", service=service_a)
    advice_b = advice_in_status("submitted", service=service_b)
    return {
        "a": service_a,
        "b": service_b,
        "advice_a": advice_a,
        "advice_b": advice_b,
        "member_a": partner(service_a),
    }


class TestVisibility:
    def test_partner_lists_only_their_services_requests(self, two_services):
        response = client_for(two_services["member_a"]).get(reverse("api:advice-request-list"))
        assert response.status_code == 200
        ids = {row["id"] for row in response.data["results"]}
        assert ids == {two_services["advice_a"].pk}
        assert (
            set(
                AccessLog.objects.filter(action=AccessAction.LIST).values_list(
                    "advice_request_id", flat=True
                )
            )
            == ids
        )

    @pytest.mark.parametrize(
        ("name", "method", "body"),
        [
            ("detail", "get", None),
            ("transitions", "post", {"transition": "accept"}),
            ("transitions", "post", {"transition": "return_for_quality", "reason": "x"}),
            ("submission", "post", {"document": None, **SUMMARY}),
            ("document", "get", None),
        ],
    )
    def test_partner_of_a_gets_404_on_every_route_of_b(self, two_services, name, method, body):
        advice_b = two_services["advice_b"]
        before = (AuditEntry.objects.count(), AdviceSubmission.objects.count())
        route = "transition" if name == "transitions" else name
        if body and "document" in body:
            body = {**body, "document": upload()}
        response = getattr(client_for(two_services["member_a"]), method)(
            url(route, advice_b), body, format="multipart" if name == "submission" else "json"
        )
        assert response.status_code == 404
        assert before == (AuditEntry.objects.count(), AdviceSubmission.objects.count())
        assert not AccessLog.objects.filter(advice_request=advice_b, user=two_services["member_a"])

    def test_outstanding_filter_is_the_partners_inbox(self, two_services):
        service = two_services["a"]
        advice_in_status("submitted", service=service)
        client = client_for(two_services["member_a"])
        owed = client.get(reverse("api:advice-request-list"), {"outstanding": "true"})
        assert [row["id"] for row in owed.data["results"]] == [two_services["advice_a"].pk]
        done = client.get(reverse("api:advice-request-list"), {"outstanding": "false"})
        assert [row["status"] for row in done.data["results"]] == ["submitted"]
        bad = client.get(reverse("api:advice-request-list"), {"status": "lost"})
        assert bad.status_code == 400
        assert "status" in bad.json()["errors"]

    def test_a_leaver_loses_access_at_once(self, two_services):
        member = two_services["member_a"]
        member.service_memberships.update(left_on="2026-11-01")
        client = client_for(member)
        assert client.get(url("detail", two_services["advice_a"])).status_code == 404
        assert client.get(reverse("api:advice-request-list")).data["results"] == []

    @pytest.mark.parametrize("role", [Role.PANEL_CHAIR, Role.PANEL_MEMBER])
    def test_panel_roles_are_refused_the_advice_area(self, two_services, role):
        response = client_for(UserFactory(roles=[role])).get(reverse("api:advice-request-list"))
        assert response.status_code == 403
        assert response.data["message"] == ADVICE_AREA_FORBIDDEN


class TestFieldSets:
    def test_partner_gets_exactly_the_minimum_facts(self, two_services):
        client = client_for(two_services["member_a"])
        advice = two_services["advice_a"]
        detail = client.get(url("detail", advice)).data
        assert set(detail) == PARTNER_FIELDS
        assert detail["child_name"] == advice.case.child.full_name
        assert detail["available_transitions"] == ["decline", "submit"]
        listed = client.get(reverse("api:advice-request-list")).data["results"][0]
        assert set(listed) == PARTNER_FIELDS
        read = AccessLog.objects.get(action=AccessAction.READ, user=two_services["member_a"])
        assert read.advice_request_id == advice.pk

    @pytest.mark.parametrize("make_user", [caseworker, manager])
    def test_staff_get_the_staff_field_set(self, two_services, make_user):
        client = client_for(make_user())
        detail = client.get(url("detail", two_services["advice_b"])).data
        assert set(detail) == STAFF_FIELDS
        assert set(detail["submission"]) == {
            "id",
            "filename",
            "content_type",
            "size",
            "submitted_on",
            "needs",
            "outcomes_sought",
            "provision",
        }
        listed = client.get(reverse("api:advice-request-list")).data
        assert listed["count"] == AdviceRequest.objects.count()
        assert set(listed["results"][0]) == STAFF_FIELDS

    def test_list_queries_do_not_grow_with_rows(self, two_services, django_assert_max_num_queries):
        client = client_for(caseworker())
        with django_assert_max_num_queries(12) as few:
            client.get(reverse("api:advice-request-list"))
        for _ in range(8):
            make_advice(service=PartnerServiceFactory())
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(reverse("api:advice-request-list"))
        assert response.data["count"] >= 10


class TestTransitions:
    def test_partner_accepts(self):
        service = PartnerServiceFactory()
        advice = advice_in_status("requested", service=service)
        response = client_for(partner(service)).post(
            url("transition", advice), {"transition": "accept", "expected_status": "requested"}
        )
        assert response.status_code == 200
        assert response.data["status"] == "accepted"
        assert AuditEntry.objects.filter(verb="advice.accept").count() == 1

    def test_decline_without_reason_is_400_and_nothing_changes(self, two_services):
        advice = two_services["advice_a"]
        audit = AuditEntry.objects.count()
        response = client_for(two_services["member_a"]).post(
            url("transition", advice), {"transition": "decline"}
        )
        assert response.status_code == 400
        assert response.data["errors"] == {"reason": [errors.REASON_REQUIRED]}
        advice.refresh_from_db()
        assert (advice.status, AuditEntry.objects.count()) == ("accepted", audit)

    def test_stale_status_is_409(self, two_services):
        advice = two_services["advice_a"]
        response = client_for(two_services["member_a"]).post(
            url("transition", advice),
            {"transition": "decline", "reason": "x", "expected_status": "requested"},
        )
        assert response.status_code == 409
        assert response.data["code"] == "concurrent_change"
        advice.refresh_from_db()
        assert advice.status == "accepted"

    def test_illegal_step_is_409(self, two_services):
        response = client_for(two_services["member_a"]).post(
            url("transition", two_services["advice_a"]), {"transition": "accept"}
        )
        assert response.status_code == 409
        assert response.data["code"] == "transition_not_allowed"

    def test_partner_may_not_cancel(self, two_services):
        response = client_for(two_services["member_a"]).post(
            url("transition", two_services["advice_a"]), {"transition": "cancel", "reason": "x"}
        )
        assert response.status_code == 403

    def test_caseworker_returns_for_quality(self, two_services):
        advice = two_services["advice_b"]
        response = client_for(caseworker()).post(
            url("transition", advice),
            {"transition": "return_for_quality", "reason": "Does not answer the question."},
        )
        assert response.status_code == 200
        assert response.data["status"] == "returned"
        assert response.data["last_reason"] == "Does not answer the question."


class TestSubmission:
    def post(self, client, advice, document, **extra):
        return client.post(
            url("submission", advice),
            {"document": document, **SUMMARY, **extra},
            format="multipart",
        )

    @pytest.mark.parametrize(
        ("content", "name"), [(PDF_BYTES, "advice.pdf"), (docx_bytes(), "advice.docx")]
    )
    def test_partner_submits_a_document(self, two_services, content, name):
        advice = two_services["advice_a"]
        response = self.post(client_for(two_services["member_a"]), advice, upload(content, name))
        assert response.status_code == 201
        assert response.data["status"] == "submitted"
        assert response.data["submission"]["filename"] == name
        assert response.data["submission"]["needs"] == SUMMARY["needs"]
        assert len(stored_files()) == 2  # service B's and this one

    @pytest.mark.parametrize("content", [WINDOWS_EXE, HTML, ELF])
    def test_a_pdf_that_is_not_is_refused_and_nothing_stored(self, two_services, content):
        advice = two_services["advice_a"]
        before = (stored_files(), AdviceSubmission.objects.count(), AuditEntry.objects.count())
        response = self.post(
            client_for(two_services["member_a"]), advice, upload(content, "advice.pdf")
        )
        assert response.status_code == 400
        assert response.data["errors"] == {"document": [errors.DOCUMENT_WRONG_TYPE]}
        after = (stored_files(), AdviceSubmission.objects.count(), AuditEntry.objects.count())
        assert after == before
        advice.refresh_from_db()
        assert advice.status == "accepted"

    def test_oversize_is_refused(self, two_services, settings):
        settings.EHC_ADVICE_MAX_UPLOAD_BYTES = 1024 * 1024
        big = PDF_BYTES + b"0" * (1024 * 1024)
        before = stored_files()
        response = self.post(
            client_for(two_services["member_a"]), two_services["advice_a"], upload(big)
        )
        assert response.status_code == 400
        assert response.data["errors"] == {
            "document": [errors.DOCUMENT_TOO_LARGE.format(limit_mb=1)]
        }
        assert stored_files() == before

    def test_summary_is_required(self, two_services):
        response = client_for(two_services["member_a"]).post(
            url("submission", two_services["advice_a"]),
            {"document": upload(), "needs": "", "outcomes_sought": "x", "provision": "y"},
            format="multipart",
        )
        assert response.status_code == 400
        assert response.data["errors"] == {"needs": [errors.SUBMISSION_FIELD_REQUIRED["needs"]]}


class TestDocument:
    def test_download_is_an_attachment_never_sniffed_and_logged(self, two_services):
        user = caseworker()
        advice = two_services["advice_b"]
        response = client_for(user).get(url("document", advice))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_BYTES
        log = AccessLog.objects.get(action=AccessAction.DOWNLOAD, user=user)
        assert log.advice_request_id == advice.pk

    def test_no_document_yet_is_404(self, two_services):
        response = client_for(caseworker()).get(url("document", two_services["advice_a"]))
        assert response.status_code == 404


class TestCaseApiReadiness:
    def test_case_shows_readiness_and_what_is_outstanding(self):
        advice = advice_in_status("accepted")
        client = client_for(caseworker())
        case_url = reverse("api:case-detail", args=[advice.case.reference])
        readiness = client.get(case_url).data["panel_readiness"]
        assert readiness["ready"] is False
        kinds = {item["kind"] for item in readiness["outstanding"]}
        assert kinds == {"educational_psychology", "parent_views", "health"}
        for other in AdviceRequest.objects.filter(case=advice.case).exclude(pk=advice.pk):
            cancel = {"transition": "cancel", "reason": "Synthetic."}
            assert client.post(url("transition", other), cancel).status_code == 200
        assert client.get(case_url).data["panel_readiness"]["ready"] is False
        client.post(url("transition", advice), {"transition": "cancel", "reason": "Synthetic."})
        assert client.get(case_url).data["panel_readiness"] == {"ready": True, "outstanding": []}


@pytest.mark.parametrize("count", [2, 12])
def test_a_partners_list_costs_the_same_queries_however_long(count, django_assert_num_queries):
    """The actions each row offers need the partner's membership of its service: read once
    for the page (a prefetch), not once per row."""
    service = PartnerServiceFactory()
    member = partner(service)
    for _ in range(count):
        make_advice(service=service)
    client = client_for(member)
    # roles, count, page, submissions, memberships, then the access log: one insert for the
    # page (section 8), whatever its length; before the prefetch: one more query per row
    with django_assert_num_queries(6):
        response = client.get(reverse("api:advice-request-list"), {"outstanding": "true"})
    assert len(response.data["results"]) == count
    assert all(row["available_transitions"] for row in response.data["results"])
