"""Section 8: a partner sees only requests to services they currently belong to; every read and
download is logged; access belongs to the service, not the person."""

import pytest
from django.core.exceptions import ValidationError

from advice_requests.access import advice_document_open, advice_request_open
from advice_requests.memberships import membership_add, membership_remove
from advice_requests.models import (
    AccessLog,
    AccessLogImmutableError,
    AdviceRequest,
    AdviceSubmission,
)
from advice_requests.selectors import partner_inbox
from advice_requests.services import advice_request_transition
from cases import errors as case_errors
from tests.cases.factories import TODAY, UserFactory, caseworker, manager

from .factories import PartnerServiceFactory, advice_in_status, make_advice, partner

pytestmark = pytest.mark.django_db


def test_partner_of_a_never_sees_bs_requests():
    service_a, service_b = PartnerServiceFactory(), PartnerServiceFactory()
    mine = make_advice(service=service_a)
    theirs = make_advice(service=service_b)
    partner_a = partner(service_a)
    visible = set(AdviceRequest.objects.visible_to(partner_a).values_list("pk", flat=True))
    assert visible == {mine.pk}
    assert [item.id for item in partner_inbox(user=partner_a, today=TODAY)] == [mine.pk]
    with pytest.raises(AdviceRequest.DoesNotExist):
        advice_request_open(actor=partner_a, advice_request_id=theirs.pk)
    assert not AccessLog.objects.filter(advice_request=theirs).exists()


def test_partner_cannot_download_another_services_document():
    service_a, service_b = PartnerServiceFactory(), PartnerServiceFactory()
    theirs = advice_in_status("submitted", service=service_b)
    submission = theirs.submissions.get()
    with pytest.raises(AdviceSubmission.DoesNotExist):
        advice_document_open(actor=partner(service_a), submission_id=submission.pk)
    assert not AccessLog.objects.filter(action="download").exists()


def test_caseworkers_and_managers_see_all_others_see_nothing():
    make_advice()
    total = AdviceRequest.objects.count()
    assert total == 3  # EP and family views from agreeing to assess, and the health request
    assert AdviceRequest.objects.visible_to(caseworker()).count() == total
    assert AdviceRequest.objects.visible_to(manager()).count() == total
    for role in ("panel_member", "panel_chair"):
        assert AdviceRequest.objects.visible_to(UserFactory(roles=[role])).count() == 0
    assert AdviceRequest.objects.visible_to(UserFactory()).count() == 0


def test_a_member_without_the_partner_role_or_inactive_sees_nothing():
    service = PartnerServiceFactory()
    make_advice(service=service)
    member = partner(service)
    member.is_active = False
    member.save()
    assert AdviceRequest.objects.visible_to(member).count() == 0


def test_leaver_loses_access_at_once_and_a_new_member_sees_open_requests():
    service = PartnerServiceFactory()
    advice = make_advice(service=service)
    boss = manager()
    leaver = partner(service)
    assert AdviceRequest.objects.visible_to(leaver).count() == 1
    membership_remove(actor=boss, service=service, user=leaver, reason="Left the service.")
    assert AdviceRequest.objects.visible_to(leaver).count() == 0
    with pytest.raises(AdviceRequest.DoesNotExist):
        advice_request_open(actor=leaver, advice_request_id=advice.pk)
    with pytest.raises(case_errors.CaseForbiddenError):
        advice_request_transition(actor=leaver, advice=advice, transition="accept", today=TODAY)

    newcomer = UserFactory(roles=["partner"])
    assert AdviceRequest.objects.visible_to(newcomer).count() == 0
    membership_add(actor=boss, service=service, user=newcomer)
    assert [item.id for item in partner_inbox(user=newcomer, today=TODAY)] == [advice.pk]


def test_only_managers_change_membership_and_only_partners_join():
    service = PartnerServiceFactory()
    with pytest.raises(case_errors.CaseForbiddenError):
        membership_add(actor=caseworker(), service=service, user=UserFactory(roles=["partner"]))
    with pytest.raises(ValidationError):
        membership_add(actor=manager(), service=service, user=caseworker())


def test_a_partner_read_is_logged_with_who_what_when_and_where():
    service = PartnerServiceFactory()
    advice = make_advice(service=service)
    member = partner(service)
    opened = advice_request_open(actor=member, advice_request_id=advice.pk, ip_address="192.0.2.10")
    assert opened.pk == advice.pk
    log = AccessLog.objects.get()
    assert (log.user, log.username, log.action, log.advice_request, log.ip_address) == (
        member,
        member.username,
        "read",
        advice,
        "192.0.2.10",
    )
    assert log.occurred_at is not None


def test_the_access_log_is_append_only():
    service = PartnerServiceFactory()
    advice = make_advice(service=service)
    advice_request_open(actor=partner(service), advice_request_id=advice.pk)
    log = AccessLog.objects.get()
    with pytest.raises(AccessLogImmutableError):
        log.save()
    with pytest.raises(AccessLogImmutableError):
        AccessLog.objects.all().delete()
    with pytest.raises(AccessLogImmutableError):
        AccessLog.objects.update(username="someone else")
