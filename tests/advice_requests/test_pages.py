"""The advice pages: the partner's inbox and request page, accept/decline/submit, the case
page's advice section and advice choice, and the weekly follow-up page."""

import datetime
import html

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from advice_requests import errors, forms
from advice_requests.models import AccessAction, AccessLog, AdviceRequest, AdviceSubmission
from advice_requests.selectors import advice_outstanding_by_service, partner_inbox
from advice_requests.services import advice_request_submit, advice_request_transition
from audit.models import AuditEntry
from cases.demo import DEMO_PASSWORD
from cases.models import CaseStatus
from cases.roles import Role
from demo.borough import seed_demo
from tests.cases.factories import UserFactory, advice_chosen, caseworker, make_case, manager
from tests.conftest import pass_second_factor

from .factories import (
    PDF_BYTES,
    SUMMARY,
    PartnerServiceFactory,
    advice_in_status,
    make_advice,
    partner,
    upload,
)
from .test_documents import HTML, WINDOWS_EXE, stored_files

pytestmark = pytest.mark.django_db
User = get_user_model()
TODAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def world():
    service_a, service_b = (
        PartnerServiceFactory(name="Service A"),
        PartnerServiceFactory(name="Service B"),
    )
    return {
        "a": service_a,
        "b": service_b,
        "advice_a": advice_in_status("accepted", service=service_a),
        "advice_b": advice_in_status("submitted", service=service_b),
        "member_a": partner(service_a),
    }


def signed_in(client, user):
    client.force_login(user)
    return client


class TestPartnerLanding:
    def test_partner_lands_on_their_inbox_and_may_not_use_cases(self, client, world):
        user = world["member_a"]
        response = client.post(
            reverse("login"), {"username": user.username, "password": "a-test-password"}
        )
        assert response.url == reverse("advice:inbox")
        pass_second_factor(client, user)
        assert client.get("/").url == reverse("advice:inbox")
        assert client.get(reverse("cases:list")).status_code == 403
        page = client.get(reverse("advice:inbox")).content.decode()
        assert "Advice requests" in page  # the navigation item
        assert ">Cases<" not in page

    def test_caseworker_still_lands_on_cases(self, client):
        user = caseworker()
        response = client.post(
            reverse("login"), {"username": user.username, "password": "a-test-password"}
        )
        assert response.url == reverse("cases:list")


class TestInbox:
    def test_only_their_services_requests_overdue_first(self, client, world):
        overdue = make_advice(service=world["a"], requested_on=datetime.date(2026, 9, 1))
        soon = make_advice(service=world["a"], requested_on=datetime.date(2026, 9, 24))
        page = signed_in(client, world["member_a"]).get(reverse("advice:inbox"))
        text = page.content.decode()
        links = [
            reverse("advice:detail", args=[advice.pk])
            for advice in (overdue, soon, world["advice_a"])
        ]
        positions = [text.index(f'href="{link}"') for link in links]
        assert positions == sorted(positions)
        assert reverse("advice:detail", args=[world["advice_b"].pk]) not in text
        assert world["advice_b"].case.child.full_name not in text
        assert 'govuk-tag--red">Overdue' in text
        assert 'govuk-tag--orange">Due soon' in text
        logged = AccessLog.objects.filter(action=AccessAction.LIST, user=world["member_a"])
        assert {log.advice_request_id for log in logged} == {
            overdue.pk,
            soon.pk,
            world["advice_a"].pk,
        }

    def test_query_count_does_not_grow(self, client, world, django_assert_max_num_queries):
        client = signed_in(client, world["member_a"])
        with django_assert_max_num_queries(15) as few:
            client.get(reverse("advice:inbox"))
        for _ in range(29):
            make_advice(service=world["a"])
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(reverse("advice:inbox"))
        assert page.content.decode().count("govuk-table__row") == 31  # header + 30


class TestRequestPage:
    def test_shows_question_and_minimum_facts_and_logs_the_read(self, client, world):
        advice = world["advice_a"]
        page = signed_in(client, world["member_a"]).get(reverse("advice:detail", args=[advice.pk]))
        text = page.content.decode()
        assert html.escape(advice.question) in text
        assert advice.case.child.full_name in text
        assert advice.case.reference in text  # the reference its notifications cite (0096)
        assert 'enctype="multipart/form-data"' in text
        assert AccessLog.objects.filter(
            action=AccessAction.READ, advice_request=advice, user=world["member_a"]
        ).exists()

    @pytest.mark.parametrize(
        ("name", "method"),
        [("detail", "get"), ("transition", "post"), ("submit", "post"), ("document", "get")],
    )
    def test_another_services_request_is_404(self, client, world, name, method):
        advice_b = world["advice_b"]
        response = getattr(signed_in(client, world["member_a"]), method)(
            reverse(f"advice:{name}", args=[advice_b.pk]),
            {"transition": "accept", "expected_status": "submitted"} if method == "post" else None,
        )
        assert response.status_code == 404

    def test_accept_then_decline_needs_a_reason(self, client, world):
        service = world["a"]
        advice = advice_in_status("requested", service=service)
        client = signed_in(client, world["member_a"])
        response = client.post(
            reverse("advice:transition", args=[advice.pk]),
            {"transition": "accept", "expected_status": "requested"},
        )
        assert response.status_code == 302
        advice.refresh_from_db()
        assert advice.status == "accepted"
        response = client.post(
            reverse("advice:transition", args=[advice.pk]),
            {"transition": "decline", "expected_status": "accepted", "reason": ""},
        )
        assert response.status_code == 400
        assert "govuk-error-summary" in response.content.decode()
        assert errors.REASON_REQUIRED in response.content.decode()
        advice.refresh_from_db()
        assert advice.status == "accepted"


class TestSubmissionPage:
    def post(self, client, advice, document):
        return client.post(
            reverse("advice:submit", args=[advice.pk]),
            {"document": document, "expected_status": advice.status, **SUMMARY},
        )

    def test_submits_a_pdf(self, client, world):
        advice = world["advice_a"]
        response = self.post(signed_in(client, world["member_a"]), advice, upload())
        assert response.status_code == 302
        advice.refresh_from_db()
        assert advice.status == "submitted"
        download = client.get(reverse("advice:document", args=[advice.pk]))
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == PDF_BYTES

    @pytest.mark.parametrize("content", [WINDOWS_EXE, HTML])
    def test_a_pdf_that_is_not_is_refused_in_the_error_summary(self, client, world, content):
        advice = world["advice_a"]
        before = (stored_files(), AdviceSubmission.objects.count(), AuditEntry.objects.count())
        response = self.post(
            signed_in(client, world["member_a"]), advice, upload(content, "advice.pdf")
        )
        assert response.status_code == 400
        text = response.content.decode()
        assert "govuk-error-summary" in text
        assert errors.DOCUMENT_WRONG_TYPE.replace("'", "&#x27;") in text
        after = (stored_files(), AdviceSubmission.objects.count(), AuditEntry.objects.count())
        assert after == before
        advice.refresh_from_db()
        assert advice.status == "accepted"

    def test_oversize_is_refused(self, client, world, settings):
        settings.EHC_ADVICE_MAX_UPLOAD_BYTES = 1024 * 1024
        response = self.post(
            signed_in(client, world["member_a"]),
            world["advice_a"],
            upload(PDF_BYTES + b"0" * (1024 * 1024)),
        )
        assert response.status_code == 400
        assert errors.DOCUMENT_TOO_LARGE.format(limit_mb=1) in response.content.decode()


class TestCasePageAdvice:
    def test_section_shows_status_overdue_document_and_readiness(self, client, world):
        advice = world["advice_b"]
        late = make_advice(
            case=advice.case,
            service=PartnerServiceFactory(),
            requested_on=datetime.date(2026, 9, 1),
        )
        text = (
            signed_in(client, caseworker())
            .get(reverse("cases:detail", args=[advice.case.reference]))
            .content.decode()
        )
        assert "Not ready for the statutory panel" in text
        assert "Overdue" in text
        assert reverse("advice:document", args=[advice.pk]) in text
        assert reverse("advice:detail", args=[late.pk]) in text
        assert "Return for quality" in text

    def test_caseworker_returns_for_quality_and_cancels(self, client, world):
        advice = world["advice_b"]
        client = signed_in(client, caseworker())
        response = client.post(
            reverse("advice:transition", args=[advice.pk]),
            {"transition": "return_for_quality", "expected_status": "submitted", "reason": "Why"},
        )
        assert response.url == reverse("cases:detail", args=[advice.case.reference])
        advice.refresh_from_db()
        assert advice.status == "returned"

    def test_ready_for_panel_when_the_last_request_ends(self, client, world):
        case = world["advice_b"].case
        user = caseworker()
        client = signed_in(client, user)
        for other in AdviceRequest.objects.filter(case=case).exclude(status="submitted"):
            client.post(
                reverse("advice:transition", args=[other.pk]),
                {"transition": "cancel", "expected_status": other.status, "reason": "Synthetic"},
            )
        text = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        assert "Ready for the statutory panel" in text


def _agree(client, case, **advice_fields):
    prefix = "agree_to_assess-advice"
    data = {
        "transition": "agree_to_assess",
        "agree_to_assess-transition": "agree_to_assess",
        "agree_to_assess-expected_status": "received",
        "agree_to_assess-effective_date_0": "30",
        "agree_to_assess-effective_date_1": "10",
        "agree_to_assess-effective_date_2": "2026",
        f"{prefix}-ep_question": "Needs?",
        f"{prefix}-parent_views_question": "Views?",
    }
    data.update({f"{prefix}-{name}": value for name, value in advice_fields.items()})
    return client.post(reverse("cases:transition", args=[case.reference]), data)


class TestAdviceChoice:
    def test_ep_service_is_required(self, client):
        user = caseworker()
        case = make_case(actor=user, received_on=datetime.date(2026, 10, 1), today=TODAY)
        response = _agree(signed_in(client, user), case)
        assert response.status_code == 400
        assert forms.EP_SERVICE_REQUIRED in response.content.decode()
        case.refresh_from_db()
        assert case.status == CaseStatus.RECEIVED

    def test_year_9_needs_preparing_for_adulthood(self, client):
        user = caseworker()
        ep = advice_chosen()["advice"][0]["service"]
        case = make_case(actor=user, received_on=datetime.date(2026, 10, 1), today=TODAY)
        case.child.in_year_9_or_above = True
        case.child.save()
        client = signed_in(client, user)
        response = _agree(client, case, ep_service=ep)
        assert response.status_code == 400
        assert forms.PFA_SERVICE_REQUIRED in response.content.decode()
        careers = PartnerServiceFactory(name="Careers")
        response = _agree(
            client, case, ep_service=ep, pfa_service=careers.pk, pfa_question="Adulthood?"
        )
        assert response.status_code == 302
        kinds = set(AdviceRequest.objects.filter(case=case).values_list("kind", flat=True))
        assert kinds == {"educational_psychology", "parent_views", "preparing_for_adulthood"}

    def test_extra_advice_needs_its_question(self, client):
        user = caseworker()
        ep = advice_chosen()["advice"][0]["service"]
        salt = PartnerServiceFactory(name="Speech and language")
        case = make_case(actor=user, received_on=datetime.date(2026, 10, 1), today=TODAY)
        client = signed_in(client, user)
        response = _agree(client, case, ep_service=ep, health_service=salt.pk)
        assert response.status_code == 400
        expected = forms.QUESTION_FOR_SERVICE_REQUIRED.format(label=salt.name)
        assert expected in response.content.decode()
        response = _agree(
            client, case, ep_service=ep, health_service=salt.pk, health_question="Speech?"
        )
        assert response.status_code == 302
        health = AdviceRequest.objects.get(case=case, kind="health")
        assert (health.service, health.question) == (salt, "Speech?")


class TestFollowUp:
    def test_counts_match_the_database(self, client, world):
        make_advice(service=world["a"], requested_on=datetime.date(2026, 9, 1))
        text = signed_in(client, manager()).get(reverse("advice:follow-up")).content.decode()
        for row in advice_outstanding_by_service(today=TODAY):
            assert f'data-service="{row.service_id}"' in text
        row_a = next(
            r for r in advice_outstanding_by_service(today=TODAY) if r.service == "Service A"
        )
        assert (row_a.outstanding, row_a.overdue) == (
            AdviceRequest.objects.outstanding().filter(service=world["a"]).count(),
            AdviceRequest.objects.overdue(TODAY).filter(service=world["a"]).count(),
        )
        assert row_a.overdue == 1
        # Decision 0077: the page says which advice the share returned on time is over.
        assert "requested in the 12 months from 3 November 2025 to 2 November 2026" in text

    @pytest.mark.parametrize("role", [Role.PARTNER, Role.PANEL_CHAIR])
    def test_others_are_refused(self, client, role):
        response = signed_in(client, UserFactory(roles=[role])).get(reverse("advice:follow-up"))
        assert response.status_code == 403

    def test_query_count_does_not_grow(self, client, world, django_assert_max_num_queries):
        client = signed_in(client, caseworker())
        with django_assert_max_num_queries(15) as few:
            client.get(reverse("advice:follow-up"))
        for _ in range(10):
            service = PartnerServiceFactory()
            make_advice(service=service)
            make_advice(service=service)
            make_advice(service=service, requested_on=datetime.date(2026, 9, 1))
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(reverse("advice:follow-up"))
        assert page.content.decode().count("data-service=") >= 12


def test_demo_partner_works_end_to_end_on_the_pages(client):
    """Issue 4's "done when": a seeded partner login reaches its inbox and a request, and the
    follow-up page's counts are the database's."""
    seed_demo(cases=40, today=TODAY)
    response = client.post(
        reverse("login"), {"username": "demo.partner.ep", "password": DEMO_PASSWORD}
    )
    assert response.url == reverse("advice:inbox")
    user = User.objects.get(username="demo.partner.ep")
    pass_second_factor(client, user)
    inbox = partner_inbox(user=user, today=TODAY)
    assert inbox
    page = client.get(reverse("advice:inbox")).content.decode()
    assert page.count('href="/advice/') - page.count('href="/advice/"') >= len(inbox)
    assert client.get(reverse("advice:detail", args=[inbox[0].id])).status_code == 200
    client.force_login(User.objects.get(username="demo.caseworker"))
    text = client.get(reverse("advice:follow-up")).content.decode()
    for row in advice_outstanding_by_service(today=TODAY):
        outstanding = AdviceRequest.objects.outstanding().filter(service_id=row.service_id)
        assert row.outstanding == outstanding.count()
        assert row.overdue == outstanding.filter(due_on__lt=TODAY).count()
        assert f'data-service="{row.service_id}"' in text


class TestPartnerPagesAsTheyNeedThem:
    """Issue 14: the inbox puts what needs action first, filters by status, keeps a "done" view
    and shows the case reference notifications cite; the submission form says each problem
    once, the missing document included, on the first try."""

    def test_new_requests_waiting_to_be_accepted_come_first(self, client, world):
        accepted_overdue = make_advice(service=world["a"], requested_on=datetime.date(2026, 9, 1))
        advice_request_transition(
            actor=world["member_a"], advice=accepted_overdue, transition="accept"
        )
        new = make_advice(service=world["a"], requested_on=datetime.date(2026, 9, 24))
        text = signed_in(client, world["member_a"]).get(reverse("advice:inbox")).content.decode()
        first_new = text.index(f'href="{reverse("advice:detail", args=[new.pk])}"')
        accepted_at = text.index(f'href="{reverse("advice:detail", args=[accepted_overdue.pk])}"')
        assert first_new < accepted_at
        assert "New: accept or decline" in text

    def test_the_inbox_shows_the_case_reference(self, client, world):
        text = signed_in(client, world["member_a"]).get(reverse("advice:inbox")).content.decode()
        assert world["advice_a"].case.reference in text

    def test_filter_by_status(self, client, world):
        new = make_advice(service=world["a"])
        client = signed_in(client, world["member_a"])
        text = client.get(reverse("advice:inbox"), {"status": "requested"}).content.decode()
        assert reverse("advice:detail", args=[new.pk]) in text
        assert reverse("advice:detail", args=[world["advice_a"].pk]) not in text  # accepted

    def test_submitted_advice_stays_in_the_done_view(self, client, world):
        advice = world["advice_a"]  # accepted
        advice_request_submit(
            actor=world["member_a"],
            advice=advice,
            document=upload(),
            needs="n",
            outcomes_sought="o",
            provision="p",
        )
        client = signed_in(client, world["member_a"])
        link = reverse("advice:detail", args=[advice.pk])
        assert link not in client.get(reverse("advice:inbox")).content.decode()
        done = client.get(reverse("advice:inbox"), {"view": "done"}).content.decode()
        assert link in done
        assert "Submitted" in done

    def test_an_empty_submission_says_each_problem_once_with_the_document(self, client, world):
        advice = world["advice_a"]  # accepted
        response = signed_in(client, world["member_a"]).post(
            reverse("advice:submit", args=[advice.pk]),
            {"expected_status": "accepted", "needs": "", "outcomes_sought": "", "provision": ""},
        )
        assert response.status_code == 400
        summary = [item["text"] for item in response.context["error_items"]]
        assert len(summary) == len(set(summary)) == 4
        assert errors.DOCUMENT_REQUIRED in summary
        assert "This field is required." not in response.content.decode()
