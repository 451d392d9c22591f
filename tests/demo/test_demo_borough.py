"""The demo borough as `make run` seeds it, seeded once for this class (Django's
setUpTestData, so once per test worker) and read by each test: every open stage and risk,
partners' advice in realistic states, the everyday record, and each panel's next meeting.
Seeding 150 cases is the costly part, so the tests that only read it share the seeding."""

import datetime
from unittest import mock

from django.contrib.auth import authenticate, get_user_model
from django.test import TestCase

from advice_requests.demo import PARTNER_LOGINS
from advice_requests.models import AdviceRequest, AdviceSubmission, PartnerService
from advice_requests.selectors import advice_outstanding_by_service, partner_inbox, shared_papers
from cases import models as case_models
from cases.demo import DEMO_PASSWORD
from cases.models import Case, CaseDocument, CaseNote
from demo.borough import seed_demo
from forecasts.models import CaseForecast
from notifications.models import Kind, Notification
from panels.models import MeetingStatus, Panel, PanelType
from panels.selectors import next_meeting_of
from reviews.demo import DEMO_SCHOOL_LOGIN

TODAY = datetime.date(2026, 11, 23)  # a Monday: no panel's usual day


class TestTheDemoBorough(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo(cases=150, today=TODAY)

    def test_every_open_stage_and_every_risk(self):
        statuses = set(Case.objects.values_list("status", flat=True))
        assert {"received", "assessing", "drafting", "draft_issued", "final_issued"} <= statuses
        risks = set(Case.objects.open().with_risk(TODAY).values_list("risk", flat=True))
        assert risks == {"on_track", "at_risk", "overdue"}
        # The forecasts, learnt from the demo's history (about four in ten on time), flag some
        # open cases, not all of them.
        forecasts = CaseForecast.objects.filter(case__in=Case.objects.open())
        assert 0 < forecasts.filter(misses_final_plan=True).count() < forecasts.count()
        # By the statutory clock alone every level shows too.
        clock_only = [
            c
            for c in case_models.RISK_EXTRA_CONDITIONS
            if c.__name__ != "forecast_to_miss_condition"
        ]
        with mock.patch.object(case_models, "RISK_EXTRA_CONDITIONS", clock_only):
            risks = set(Case.objects.open().with_risk(TODAY).values_list("risk", flat=True))
        assert risks == {"on_track", "at_risk", "overdue"}

    def test_partners_see_their_advice_in_realistic_states(self):
        user = authenticate(username="demo.partner.ep", password=DEMO_PASSWORD)
        assert user is not None
        inbox = partner_inbox(user=user, today=TODAY)
        assert inbox
        ep = PartnerService.objects.get(name="Demo Educational Psychology Service")
        assert {item.service for item in inbox} == {ep.name}
        # One login per service: the advice services', and the demo school's (reviews).
        assert len([*PARTNER_LOGINS, DEMO_SCHOOL_LOGIN]) == PartnerService.objects.count()

        # Advice is in realistic states, and the weekly follow-up matches the database.
        statuses = set(AdviceRequest.objects.values_list("status", flat=True))
        assert {"requested", "accepted", "submitted"} <= statuses
        assert AdviceRequest.objects.overdue(TODAY).exists()
        assert (
            AdviceSubmission.objects.count()
            == AdviceRequest.objects.filter(status="submitted").count()
        )
        # Every case agreed for assessment has EP and family advice (a case reopened by a
        # tribunal order follows the order's own steps: disputes).
        for case in (
            Case.objects.filter(assessment_decided_on__isnull=False)
            .exclude(status="assessment_declined")
            .exclude(disputes__orders__reopened_case=True)
        ):
            kinds = set(case.advice_requests.values_list("kind", flat=True))
            assert {"educational_psychology", "parent_views"} <= kinds
        rows = advice_outstanding_by_service(today=TODAY)
        assert sum(row.overdue for row in rows) == (
            AdviceRequest.objects.overdue(TODAY).exclude(service=None).count()
        )
        assert sum(row.outstanding for row in rows) == (
            AdviceRequest.objects.outstanding().exclude(service=None).count()
        )
        # Cases with overdue advice are at risk (or already overdue themselves).
        overdue_case_ids = set(AdviceRequest.objects.overdue(TODAY).values_list("case", flat=True))
        risks = set(
            Case.objects.open()
            .with_risk(TODAY)
            .filter(pk__in=overdue_case_ids)
            .values_list("risk", flat=True)
        )
        assert risks <= {"at_risk", "overdue"}

    def test_notes_shared_letters_and_chases(self):
        """The everyday record: notes, request letters shared with the EP requests (real, if
        tiny, PDFs) and chased advice, some of it chased over a week ago."""
        assert CaseNote.objects.filter(is_chase=False, kind="phone_call").exists()
        letters = CaseDocument.objects.filter(document_type="request_letter")
        assert letters.exists()
        chases = CaseNote.objects.filter(is_chase=True)
        assert chases.filter(occurred_on=TODAY).exists()
        assert chases.filter(occurred_on__lt=TODAY - datetime.timedelta(days=7)).exists()
        assert Notification.objects.filter(kind=Kind.ADVICE_CHASED).exists()
        assert sum(row.not_chased for row in advice_outstanding_by_service(today=TODAY)) > 0
        ep_user = get_user_model().objects.get(username="demo.partner.ep")
        shared = letters.first().shares.first().advice_request
        assert shared.service.memberships.filter(user=ep_user).exists()
        assert shared_papers(advice=shared)

    def test_every_panel_type_has_a_next_meeting_with_an_agenda(self):
        assert set(Panel.objects.values_list("panel_type", flat=True)) == set(PanelType.values)
        for panel in Panel.objects.all():
            upcoming = next_meeting_of(panel=panel, today=TODAY)
            assert upcoming is not None
            assert upcoming.items.exists(), panel
            assert panel.chair.username == "demo.chair"
        held = Panel.objects.get(panel_type=PanelType.NAP).meetings.get(
            date=datetime.date(2026, 11, 18)
        )
        assert held.status == MeetingStatus.PUBLISHED
        assert held.items.exists()
