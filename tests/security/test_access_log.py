"""The record access log (section 8, ASVS 7.1.1/7.2): every view of a case record, by
anyone, with who, what, when and from where; append-only; managers see it per child."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from cases.roles import Role
from security.models import AccessLogAppendOnlyError, RecordAccess
from tests.cases.factories import UserFactory, caseworker, make_case, manager

pytestmark = pytest.mark.django_db


def test_viewing_a_case_page_or_the_api_records_who_what_when_where(client):
    viewer = caseworker()
    case = make_case(actor=viewer)
    other = make_case(actor=viewer)
    client.force_login(viewer)
    client.get(reverse("cases:detail", args=[case.reference]), REMOTE_ADDR="203.0.113.5")
    client.get(f"/api/cases/{case.reference}/")
    client.get(f"/api/cases/{case.reference}/history/")
    rows = list(RecordAccess.objects.filter(child_id=case.child_id))
    assert [r.what for r in rows] == [
        "case record page",
        "case record (API)",
        "case history (API)",
    ]
    assert {r.username for r in rows} == {viewer.username}
    assert rows[0].ip_address == "203.0.113.5"
    assert rows[0].case_reference == case.reference
    assert not RecordAccess.objects.filter(child_id=other.child_id).exists()


def test_a_refused_view_is_not_a_view(client):
    case = make_case(actor=caseworker())
    client.force_login(UserFactory(roles=[Role.PARTNER]))
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 403
    assert not RecordAccess.objects.exists()


def test_the_log_is_append_only_in_the_application():
    case = make_case(actor=caseworker())
    row = RecordAccess.objects.create(
        user_id=1, username="x", child_id=case.child_id, what="t", path="/"
    )
    with pytest.raises(AccessLogAppendOnlyError):
        row.save()
    with pytest.raises(AccessLogAppendOnlyError):
        row.delete()
    with pytest.raises(AccessLogAppendOnlyError):
        RecordAccess.objects.all().delete()


@pytest.mark.postgres
def test_postgresql_refuses_changes_to_the_log():
    case = make_case(actor=caseworker())
    row = RecordAccess.objects.create(
        user_id=1, username="x", child_id=case.child_id, what="t", path="/"
    )
    for sql in (
        "UPDATE security_recordaccess SET username = 'y' WHERE id = %s",
        "DELETE FROM security_recordaccess WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [row.pk])


def test_a_manager_sees_who_has_looked_at_a_child(client, django_assert_max_num_queries):
    viewer = caseworker(first_name="Elin", last_name="Jones")
    case = make_case(actor=viewer)
    client.force_login(viewer)
    for _ in range(5):
        client.get(reverse("cases:detail", args=[case.reference]))
    client.force_login(manager())
    with django_assert_max_num_queries(8):
        page = client.get(reverse("child-access-log", args=[case.child_id]))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("Elin Jones") == 5  # the person's name, not their username
    assert viewer.username not in body
    assert "Opened the case record page" in body


def test_only_managers_see_the_access_log(client):
    case = make_case(actor=caseworker())
    client.force_login(caseworker())
    assert client.get(reverse("child-access-log", args=[case.child_id])).status_code == 403


def test_the_case_page_links_a_manager_to_the_access_log(client):
    case = make_case(actor=caseworker())
    link = reverse("child-access-log", args=[case.child_id])
    client.force_login(manager())
    assert link in client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    client.force_login(caseworker())
    assert link not in client.get(reverse("cases:detail", args=[case.reference])).content.decode()


def test_the_log_uses_the_case_a_view_loaded_only_if_the_url_names_it(rf):
    """The case API hands the log the case it loaded (no second read); a case noted for
    another reference is never logged in place of the one the URL names."""
    from types import SimpleNamespace

    from security.access_log import _viewed_case, viewed_case_note

    viewer = caseworker()
    shown, other = make_case(actor=viewer), make_case(actor=viewer)
    request = rf.get(f"/api/cases/{shown.reference}/")
    match = SimpleNamespace(kwargs={"reference": shown.reference})
    read = []

    def find_case(kwargs):
        read.append(kwargs["reference"])
        return shown

    viewed_case_note(request, shown)
    assert _viewed_case(request, match, find_case) is shown
    assert read == []
    viewed_case_note(request, other)
    assert _viewed_case(request, match, find_case) is shown
    assert read == [shown.reference]
