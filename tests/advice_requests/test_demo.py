"""The demo borough has partner services with logins, and advice in realistic states."""

import datetime

import pytest
from django.contrib.auth import authenticate

from advice_requests.demo import PARTNER_LOGINS
from advice_requests.models import AdviceRequest, AdviceSubmission, PartnerService
from advice_requests.selectors import advice_outstanding_by_service, partner_inbox
from cases.demo import DEMO_PASSWORD
from cases.models import Case
from demo.borough import seed_demo
from reviews.demo import DEMO_SCHOOL_LOGIN

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def test_demo_partners_see_their_advice_in_realistic_states():
    seed_demo(cases=120, today=TODAY)
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
        AdviceSubmission.objects.count() == AdviceRequest.objects.filter(status="submitted").count()
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


def test_seeding_twice_adds_no_advice():
    seed_demo(cases=40, today=TODAY)
    counts = (AdviceRequest.objects.count(), PartnerService.objects.count())
    seed_demo(cases=40, today=TODAY)
    assert (AdviceRequest.objects.count(), PartnerService.objects.count()) == counts
