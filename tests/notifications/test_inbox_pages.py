"""The inbox page, marking read, the unread count in the header and the email preferences page
(GOV.UK pages for every signed-in user), and /api/notifications/."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cases.roles import Role
from notifications.kinds import FAMILY_KINDS
from notifications.models import URGENT_KINDS, EmailOptOut, Kind, Notification
from notifications.views import ALL_MARKED_READ, MARKED_READ, PAGE_SIZE, PREFERENCES_SAVED
from tests.cases.factories import UserFactory, caseworker

from .factories import notification_for

pytestmark = pytest.mark.django_db
D = datetime.date


def _client(user, *, csrf=False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def _badge(html: str) -> str:
    """The header's unread badge text ('' when there is none)."""
    start = html.find('id="header-notifications"')
    assert start != -1, "no Notifications link in the header"
    link = html[start : html.find("</a>", start)]
    if "moj-notification-badge" not in link:
        return ""
    badge = link[link.find('moj-notification-badge">') + len('moj-notification-badge">') :]
    return badge[: badge.find("<")]


def test_the_inbox_lists_only_my_notifications_newest_first_with_what_is_due_and_a_link():
    me, other = caseworker(), caseworker()
    older = notification_for(me, number=1, subject="Case EHC-2026-00001: final plan due 1 March")
    newer = notification_for(
        me, number=2, subject="Case EHC-2026-00002: draft plan due 9 March", due_on=D(2026, 3, 9)
    )
    theirs = notification_for(other, number=3, subject="Case EHC-2026-00003: not yours")
    html = _client(me).get(reverse("notifications:inbox")).content.decode()
    assert html.index(newer.subject) < html.index(older.subject)
    assert theirs.subject not in html
    assert 'href="/cases/EHC-2026-00002/"' in html
    assert "due 9 March 2026" in html
    assert "You have 2 unread notifications." in html


def test_mark_one_read_then_all_read_with_csrf():
    me = caseworker()
    first, _second, _third = (notification_for(me, number=n) for n in (1, 2, 3))
    client = _client(me, csrf=True)
    url = reverse("notifications:read", args=[first.pk])
    assert client.post(url).status_code == 403  # no CSRF token
    assert not Notification.objects.filter(read_at__isnull=False).exists()

    page = client.get(reverse("notifications:inbox"))
    token = page.cookies["csrftoken"].value
    response = client.post(url, {"csrfmiddlewaretoken": token}, follow=True)
    assert MARKED_READ in response.content.decode()
    first.refresh_from_db()
    assert first.is_read
    assert _badge(response.content.decode()) == "2"

    response = client.post(
        reverse("notifications:read-all"), {"csrfmiddlewaretoken": token}, follow=True
    )
    html = response.content.decode()
    assert ALL_MARKED_READ.format(count=2, plural="s") in html
    assert _badge(html) == ""
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found_and_stays_unread():
    me, other = caseworker(), caseworker()
    theirs = notification_for(other)
    response = _client(me).post(reverse("notifications:read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_reading_is_post_only():
    me = caseworker()
    mine = notification_for(me)
    assert _client(me).get(reverse("notifications:read", args=[mine.pk])).status_code == 405


@pytest.mark.parametrize(
    "role", [Role.CASEWORKER, Role.MANAGER, Role.PARTNER, Role.PANEL_MEMBER, Role.PANEL_CHAIR]
)
def test_every_role_sees_the_unread_count_in_the_header_on_every_page(role):
    user = UserFactory(roles=[role])
    for number in range(3):
        notification_for(user, number=number)
    client = _client(user)
    for url in (reverse("notifications:inbox"), reverse("notifications:preferences")):
        assert _badge(client.get(url).content.decode()) == "3"
    if role in (Role.CASEWORKER, Role.MANAGER):
        assert _badge(client.get(reverse("cases:list")).content.decode()) == "3"


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _inbox_page_queries(user, count) -> int:
    for number in range(count):
        notification_for(user, number=number)
    client = _client(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    assert response.content.decode().count('id="notification-') == min(count, PAGE_SIZE)
    return len(queries.captured_queries)


def test_the_inbox_page_costs_the_same_queries_for_2_or_30_notifications():
    few, many = _inbox_page_queries(caseworker(), 2), _inbox_page_queries(caseworker(), 30)
    assert few == many
    # Session, user, their groups (navigation), the unread count once, page count, page rows.
    assert few <= 6, few


def test_preferences_switch_off_a_non_urgent_kind_and_say_overdue_cannot_be():
    me = caseworker()
    client = _client(me)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "Overdue alerts cannot be switched off" in html
    for kind in URGENT_KINDS:
        assert f'value="{kind.value}"' not in html  # no checkbox to untick
        assert Kind(kind).label in html
    assert 'value="case_at_risk" aria-describedby="emailed-case_at_risk-hint" checked' in html

    kept = [
        k.value
        for k in Kind
        if k not in URGENT_KINDS and k not in FAMILY_KINDS and k != Kind.CASE_AT_RISK
    ]
    response = client.post(reverse("notifications:preferences"), {"emailed": kept}, follow=True)
    assert PREFERENCES_SAVED in response.content.decode()
    assert list(EmailOptOut.objects.filter(user=me).values_list("kind", flat=True)) == [
        Kind.CASE_AT_RISK
    ]
    html = response.content.decode()
    assert 'value="case_at_risk" aria-describedby="emailed-case_at_risk-hint">' in html

    # Even a hand-made request cannot switch an overdue kind off: it is not a choice.
    response = client.post(reverse("notifications:preferences"), {"emailed": ["case_overdue"]})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not EmailOptOut.objects.filter(kind__in=[k.value for k in URGENT_KINDS]).exists()
    assert list(EmailOptOut.objects.filter(user=me).values_list("kind", flat=True)) == [
        Kind.CASE_AT_RISK
    ]


# --- /api/notifications/ ---------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_only_my_notifications():
    me, other = caseworker(), caseworker()
    mine = [notification_for(me, number=n) for n in (1, 2)]
    notification_for(other, number=3)
    body = _api(me).get("/api/notifications/").json()
    assert body["count"] == 2
    assert sorted(row["id"] for row in body["results"]) == sorted(n.pk for n in mine)
    row = body["results"][0]
    assert set(row) >= {"kind", "subject", "link", "due_on", "read_at", "is_read"}


def test_api_marks_one_and_all_read_and_someone_elses_is_404():
    me, other = caseworker(), caseworker()
    first, _ = notification_for(me, number=1), notification_for(me, number=2)
    theirs = notification_for(other, number=3)
    client = _api(me)
    response = client.post(f"/api/notifications/{first.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    response = client.post(f"/api/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    theirs.refresh_from_db()
    assert not theirs.is_read
    assert client.post("/api/notifications/read-all/").json() == {"marked_read": 1}
    assert client.post("/api/notifications/read-all/").json() == {"marked_read": 0}


def test_api_list_is_a_fixed_number_of_queries(django_assert_max_num_queries):
    me = caseworker()
    for number in range(30):
        notification_for(me, number=number)
    with django_assert_max_num_queries(2):  # count and page (authentication is forced)
        assert _api(me).get("/api/notifications/").json()["count"] == 30
