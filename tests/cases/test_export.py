"""Issue 13 item 8: the filtered case list as CSV, streamed, in plain words."""

import csv
import datetime
import io

import pytest
import time_machine
from django.http import StreamingHttpResponse
from django.urls import reverse

from cases.export import HEADINGS
from tests.cases.factories import ChildFactory, caseworker, make_case, manager

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _rows(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_export_is_the_filtered_list_in_plain_words(client, django_assert_max_num_queries):
    worker = caseworker(first_name="Ana", last_name="Bell")
    overdue = make_case(
        actor=worker,
        child=ChildFactory(first_name="Zoe"),
        received_on=TODAY - datetime.timedelta(days=50),
        today=TODAY,
    )
    for _ in range(30):
        make_case(actor=worker, received_on=TODAY - datetime.timedelta(days=5), today=TODAY)
    client.force_login(manager())
    with django_assert_max_num_queries(6):
        rows = _rows(client.get(reverse("cases:export")))
    assert rows[0] == list(HEADINGS)
    assert len(rows) == 32
    row = dict(zip(rows[0], next(r for r in rows if r[0] == overdue.reference), strict=True))
    assert row["Status"] == "Received"
    assert row["Primary need"] == "Autistic spectrum disorder"
    assert row["Next milestone"] == "Decision whether to assess"
    assert row["Days left"] == ""
    assert row["Days overdue"] == "8"
    assert row["Risk"] == "Overdue"
    assert row["Caseworker"] == "Ana Bell"
    filtered = _rows(client.get(reverse("cases:export"), {"risk": "overdue"}))
    assert [r[0] for r in filtered[1:]] == [overdue.reference]


def test_a_caseworkers_export_follows_their_list(client):
    mine, theirs = caseworker(), caseworker()
    own = make_case(actor=mine, today=TODAY)
    make_case(actor=theirs, today=TODAY)
    client.force_login(mine)
    rows = _rows(client.get(reverse("cases:export")))
    assert [r[0] for r in rows[1:]] == [own.reference]
    assert len(_rows(client.get(reverse("cases:export"), {"scope": "all"}))) == 3


def test_partners_get_no_export(client):
    from cases.roles import Role
    from tests.cases.factories import UserFactory

    client.force_login(UserFactory(roles=[Role.PARTNER]))
    assert client.get(reverse("cases:export")).status_code == 403
