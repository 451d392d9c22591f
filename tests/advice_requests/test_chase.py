"""Section 10: chasing outstanding advice is a contact with the partner service. One click
records one contact entry on the case (against the request) and reminds the service once: an
inbox item for each current member and an email to its mailbox, with the case reference and a
link, never the child. The follow-up page shows when each request was last chased, lists what
nobody chased for 7 days, and every number on it links to the requests it counts."""

import datetime
import html
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from advice_requests import chase
from advice_requests.models import AdviceRequest
from advice_requests.selectors import advice_outstanding_by_service
from cases.models import CaseNote
from cases.roles import Role
from notifications.delivery import deliver_pending
from notifications.models import Kind, Notification
from tests.cases.factories import UserFactory, caseworker, manager

from .factories import PartnerServiceFactory, advice_in_status, make_advice, partner

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 2)
MAILBOX = "ep.service@example.invalid"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ep():
    service = PartnerServiceFactory(name="Synthetic EP Service", contact_email=MAILBOX)
    members = [partner(service), partner(service)]
    return service, members


def reminders(advice):
    return Notification.objects.filter(
        kind=Kind.ADVICE_CHASED, object_type="advice_request", object_id=str(advice.pk)
    )


def test_a_chase_records_a_contact_and_reminds_the_members_and_the_mailbox(ep):
    service, members = ep
    advice = make_advice(service=service)
    actor = advice.case.caseworker
    note, created = chase.advice_request_chase(actor=actor, advice=advice, token="click-1")
    assert created
    assert (note.case, note.advice_request, note.with_service, note.is_chase) == (
        advice.case,
        advice,
        service,
        True,
    )
    assert (note.kind, note.occurred_on, note.recorded_by) == ("email", TODAY, actor)
    assert AdviceRequest.objects.get(pk=advice.pk).last_chased_at == NOW
    assert sorted(reminders(advice).values_list("recipient_key", flat=True)) == sorted(
        [f"user:{member.pk}" for member in members] + [f"mailbox:{MAILBOX}"]
    )


def test_the_reminder_names_the_case_by_reference_only(ep):
    service, _ = ep
    advice = make_advice(service=service)
    chase.advice_request_chase(actor=advice.case.caseworker, advice=advice)
    deliver_pending(now=NOW)
    to_mailbox = next(message for message in mail.outbox if message.to == [MAILBOX])
    child = advice.case.child
    text = to_mailbox.subject + to_mailbox.body
    assert advice.case.reference in text
    assert f"/advice/{advice.pk}/" in to_mailbox.body
    assert child.first_name not in text
    assert child.last_name not in text
    assert str(child.date_of_birth.year) not in text


def test_the_same_click_twice_records_one_contact_and_one_reminder_each(ep):
    service, members = ep
    advice = make_advice(service=service)
    actor = advice.case.caseworker
    first, _ = chase.advice_request_chase(actor=actor, advice=advice, token="click-1")
    again, created = chase.advice_request_chase(actor=actor, advice=advice, token="click-1")
    assert (again.pk, created) == (first.pk, False)
    assert CaseNote.objects.filter(advice_request=advice).count() == 1
    assert reminders(advice).count() == len(members) + 1


def test_a_second_chase_within_a_minute_is_refused_and_after_it_is_a_new_chase(ep, frozen):
    service, members = ep
    advice = make_advice(service=service)
    actor = advice.case.caseworker
    chase.advice_request_chase(actor=actor, advice=advice, token="click-1")
    with pytest.raises(chase.case_errors.CaseConflictError, match="less than a minute"):
        chase.advice_request_chase(actor=manager(), advice=advice, token="click-2")
    assert CaseNote.objects.filter(advice_request=advice).count() == 1
    frozen.shift(datetime.timedelta(seconds=61))
    _, created = chase.advice_request_chase(actor=actor, advice=advice, token="click-3")
    assert created
    assert reminders(advice).count() == 2 * (len(members) + 1)


@pytest.mark.parametrize("status", ["submitted", "declined", "cancelled"])
def test_advice_that_is_not_outstanding_cannot_be_chased(status):
    advice = advice_in_status(status)
    with pytest.raises(chase.case_errors.CaseConflictError):
        chase.advice_request_chase(actor=caseworker(), advice=advice)
    assert not CaseNote.objects.exists()
    assert not reminders(advice).exists()


def test_a_partner_cannot_chase(ep):
    service, members = ep
    advice = make_advice(service=service)
    with pytest.raises(chase.case_errors.CaseForbiddenError):
        chase.advice_request_chase(actor=members[0], advice=advice)
    assert not CaseNote.objects.exists()


# --- The pages and the API ------------------------------------------------------------------


def test_the_chase_button_on_the_case_page_chases_once_per_click(client, ep):
    service, members = ep
    advice = make_advice(service=service)
    user = advice.case.caseworker
    client.force_login(user)
    case_url = reverse("cases:detail", args=[advice.case.reference])
    page = client.get(case_url).content.decode()
    token = re.search(
        rf'action="{reverse("advice:chase", args=[advice.pk])}".*?name="token" value="(\w+)"',
        page,
        re.S,
    ).group(1)
    form = {"token": token, "next": case_url}
    first = client.post(reverse("advice:chase", args=[advice.pk]), form)
    second = client.post(reverse("advice:chase", args=[advice.pk]), form)  # a double submit
    assert first.url == second.url == case_url
    assert CaseNote.objects.filter(advice_request=advice, is_chase=True).count() == 1
    assert reminders(advice).count() == len(members) + 1
    page = html.unescape(client.get(case_url).content.decode())
    assert "Last chased 2 Nov 2026" in page
    assert f"Email with {service.name}" in page  # the contact, in the history


def test_the_chase_page_refuses_an_unsafe_next_url(client, ep):
    service, _ = ep
    advice = make_advice(service=service)
    client.force_login(advice.case.caseworker)
    response = client.post(
        reverse("advice:chase", args=[advice.pk]), {"token": "t", "next": "https://evil.example/"}
    )
    assert response.url == reverse("cases:detail", args=[advice.case.reference])


def test_a_partner_of_another_service_gets_404_and_a_member_403(client, ep):
    service, members = ep
    advice = make_advice(service=service)
    client.force_login(partner(PartnerServiceFactory()))
    assert client.post(reverse("advice:chase", args=[advice.pk])).status_code == 404
    client.force_login(members[0])
    assert client.post(reverse("advice:chase", args=[advice.pk])).status_code == 403
    assert not CaseNote.objects.exists()


def test_the_api_chases_with_a_retry_safe_token(client, ep):
    service, members = ep
    advice = make_advice(service=service)
    client.force_login(advice.case.caseworker)
    url = reverse("api:advice-request-chase", args=[advice.pk])
    first = client.post(url, {"token": "api-1"}, content_type="application/json")
    retry = client.post(url, {"token": "api-1"}, content_type="application/json")
    other = client.post(url, {"token": "api-2"}, content_type="application/json")
    assert (first.status_code, retry.status_code, other.status_code) == (201, 200, 409)
    assert first.json()["contact"] == retry.json()["contact"]
    assert reminders(advice).count() == len(members) + 1


# --- The follow-up page -----------------------------------------------------------------------


@pytest.fixture
def follow_up_world(ep, frozen):
    """EP: one request chased today, one chased 8 days ago, one never chased (requested 1
    October), one submitted."""
    service, _ = ep
    worker = caseworker()
    chased_today, chased_long_ago, never = (make_advice(service=service) for _ in range(3))
    frozen.move_to(NOW - datetime.timedelta(days=8))
    chase.advice_request_chase(actor=worker, advice=chased_long_ago)
    frozen.move_to(NOW)
    chase.advice_request_chase(actor=worker, advice=chased_today)
    advice_in_status("submitted", service=service)
    return service, {"today": chased_today, "long_ago": chased_long_ago, "never": never}


def test_requests_not_chased_for_7_days_are_counted_and_listed(client, follow_up_world):
    service, advice = follow_up_world
    (row,) = [r for r in advice_outstanding_by_service(today=TODAY) if r.service_id == service.pk]
    assert row.not_chased == 2
    client.force_login(caseworker())
    page = client.get(reverse("advice:follow-up")).content.decode()
    listed = page.split('id="not-chased"')[1]
    assert f'data-advice="{advice["long_ago"].pk}"' in listed
    assert f'data-advice="{advice["never"].pk}"' in listed
    assert f'data-advice="{advice["today"].pk}"' not in listed
    assert "25 Oct 2026" in listed  # when the long-ago one was last chased
    assert "Not chased" in listed


def test_every_number_on_the_follow_up_page_links_to_the_requests_it_counts(
    client, follow_up_world, django_assert_max_num_queries
):
    service, _ = follow_up_world
    client.force_login(manager())
    page = html.unescape(client.get(reverse("advice:follow-up")).content.decode())
    row = page.split(f'data-service="{service.pk}"')[1].split("</tr>")[0]
    links = re.findall(
        r'<a class="govuk-link" href="([^"]+)" data-count="(\w+)">(?:<[^>]+>)?(\d+)', row
    )
    assert {show for _, show, _ in links} == {
        "outstanding",
        "due_soon",
        "overdue",
        "not_chased",
        "returned_on_time",
        "measured",
    }
    for href, show, number in links:
        with django_assert_max_num_queries(12):
            listed = client.get(href)
        assert listed.status_code == 200, show
        body = listed.content.decode()
        assert body.count("data-advice=") == int(number), show
        assert f"{number} advice request" in body


def test_the_follow_up_lists_are_for_caseworkers_and_managers_only(client):
    url = reverse("advice:follow-up-list", args=["overdue"])
    client.force_login(UserFactory(roles=[Role.PARTNER]))
    assert client.get(url).status_code == 403
    client.force_login(caseworker())
    assert client.get(url).status_code == 200
    assert client.get(reverse("advice:follow-up-list", args=["nonsense"])).status_code == 404


def test_a_follow_up_list_costs_the_same_queries_for_many_requests(
    client, ep, django_assert_max_num_queries
):
    service, _ = ep
    make_advice(service=service)
    client.force_login(caseworker())
    url = reverse("advice:follow-up-list", args=["outstanding"]) + f"?service={service.pk}"
    client.get(url)
    with django_assert_max_num_queries(30) as captured:
        client.get(url)
    one = len(captured)
    for _ in range(8):
        make_advice(service=service)
    with django_assert_max_num_queries(one):
        body = client.get(url).content.decode()
    assert body.count("data-advice=") == 9
