"""Issue 13 item 6: managers reassign one case or many, with a reason; the caseworker's list
opens on their own cases; each role lands on its own start page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEntry
from cases import errors
from cases.assignment import cases_reassign
from cases.models import Case
from cases.roles import Role
from notifications.models import Kind, Notification
from tests.cases.factories import UserFactory, caseworker, make_case, manager

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _cases(n, *, worker):
    return [
        make_case(actor=worker, received_on=TODAY - datetime.timedelta(days=10)) for _ in range(n)
    ]


def _reassign(boss, cases, to, reason="Caseload balanced while Sam is on leave."):
    return cases_reassign(
        actor=boss, references=[c.reference for c in cases], caseworker=to, reason=reason
    )


@pytest.mark.postgres  # SQLite splits the notifications' bulk insert into batches
def test_fifty_cases_in_a_fixed_number_of_queries(django_assert_num_queries):
    """The same queries for 5 cases as for 50: the roles, the new caseworker, the cases locked,
    one UPDATE, one audit INSERT, the recipients, their opt-outs and one notification INSERT
    (with the savepoints of the two atomic blocks)."""
    boss, before, after = manager(), caseworker(), caseworker(first_name="Ana", last_name="Bell")
    fifty = _cases(50, worker=before)
    five = _cases(5, worker=before)
    boss = type(boss).objects.get(pk=boss.pk)  # roles not cached
    after = type(after).objects.get(pk=after.pk)
    with django_assert_num_queries(12) as small:
        _reassign(boss, five, after)
    boss = type(boss).objects.get(pk=boss.pk)
    after2 = caseworker()
    after2 = type(after2).objects.get(pk=after2.pk)
    with django_assert_num_queries(len(small.captured_queries)):
        moved = _reassign(boss, fifty, after2)
    assert len(moved) == 50
    assert Case.objects.filter(caseworker=after2).count() == 50


def test_each_case_is_audited_with_from_to_and_why():
    boss = manager()
    before = caseworker(first_name="Sam", last_name="Reed")
    after = caseworker(first_name="Ana", last_name="Bell")
    cases = _cases(3, worker=before)
    _reassign(boss, cases, after, reason="Sam is on leave.")
    entries = AuditEntry.objects.filter(verb="case.assigned", case__in=cases)
    assert entries.count() == 3
    for entry in entries:
        assert entry.actor == boss
        assert entry.reason == "Sam is on leave."
        assert entry.payload["from"] == before.username
        assert entry.payload["to"] == after.username
        assert entry.payload["to_name"] == "Ana Bell"


def test_the_new_caseworker_is_told_once_per_case():
    boss, before, after = manager(), caseworker(), caseworker()
    cases = _cases(4, worker=before)
    _reassign(boss, cases, after)
    told = Notification.objects.filter(kind=Kind.CASE_ASSIGNED, recipient=after)
    assert told.count() == 4


def test_a_case_already_theirs_is_not_audited_again():
    boss, worker = manager(), caseworker()
    cases = _cases(2, worker=worker)
    assert _reassign(boss, cases, worker) == []
    assert not AuditEntry.objects.filter(verb="case.assigned").exists()


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"reason": ""}, "reason", errors.REASSIGN_REASON_REQUIRED),
        ({"caseworker": None}, "caseworker", errors.REASSIGN_NO_CASEWORKER),
        ({"references": ["EHC-2026-99999"]}, "cases", None),
    ],
)
def test_bad_input_moves_nothing(kwargs, field, message):
    from django.core.exceptions import ValidationError

    boss, before, after = manager(), caseworker(), caseworker()
    cases = _cases(2, worker=before)
    arguments = {
        "actor": boss,
        "references": [c.reference for c in cases],
        "caseworker": after,
        "reason": "Balanced.",
    }
    if "references" in kwargs:
        kwargs = {"references": [cases[0].reference, *kwargs["references"]]}
    arguments.update(kwargs)
    with pytest.raises(ValidationError) as raised:
        cases_reassign(**arguments)
    assert field in raised.value.message_dict
    if message:
        assert raised.value.message_dict[field] == [message]
    assert Case.objects.filter(caseworker=before).count() == 2


def test_only_managers_reassign():
    worker, other = caseworker(), caseworker()
    cases = _cases(1, worker=worker)
    with pytest.raises(errors.CaseForbiddenError):
        _reassign(worker, cases, other)


def test_reassign_api_is_for_managers(client):
    from rest_framework.test import APIClient

    boss, before, after = manager(), caseworker(), caseworker()
    cases = _cases(2, worker=before)
    api = APIClient()
    api.force_authenticate(boss)
    body = {"cases": [c.reference for c in cases], "caseworker": after.username}
    refused = api.post(reverse("api:case-reassign"), body, format="json")
    assert refused.status_code == 400
    assert "reason" in refused.json()["errors"]
    done = api.post(reverse("api:case-reassign"), {**body, "reason": "Balanced."}, format="json")
    assert done.status_code == 200
    assert sorted(done.json()["reassigned"]) == sorted(c.reference for c in cases)
    api.force_authenticate(before)
    assert api.post(reverse("api:case-reassign"), body, format="json").status_code == 403


def test_manager_reassigns_selected_cases_from_the_list(client):
    boss = manager(first_name="Morgan", last_name="Hale")
    before = caseworker(first_name="Sam", last_name="Reed")
    after = caseworker(first_name="Ana", last_name="Bell")
    cases = _cases(3, worker=before)
    client.force_login(boss)
    listing = client.get(reverse("cases:list"))
    assert b"Reassign selected cases" in listing.content
    chosen = [cases[0].reference, cases[1].reference]
    page = client.get(reverse("cases:reassign"), {"case": chosen})
    assert page.status_code == 200
    assert b"Reassign 2 cases" in page.content
    assert b"Sam Reed" in page.content
    missing_reason = client.post(
        reverse("cases:reassign"), {"case": chosen, "caseworker": after.pk, "reason": ""}
    )
    assert missing_reason.status_code == 400
    assert errors.REASSIGN_REASON_REQUIRED.encode() in missing_reason.content
    done = client.post(
        reverse("cases:reassign"),
        {"case": chosen, "caseworker": after.pk, "reason": "Sam is on leave."},
        follow=True,
    )
    assert b"2 cases reassigned to Ana Bell." in done.content
    assert set(Case.objects.filter(caseworker=after).values_list("reference", flat=True)) == set(
        chosen
    )


def test_caseworkers_do_not_get_the_reassign_page(client):
    worker = caseworker()
    cases = _cases(1, worker=worker)
    client.force_login(worker)
    assert b"Reassign selected cases" not in client.get(reverse("cases:list")).content
    assert client.get(reverse("cases:reassign"), {"case": cases[0].reference}).status_code == 403


def test_caseworker_list_opens_on_their_own_cases(client, django_assert_max_num_queries):
    mine, theirs = caseworker(), caseworker()
    own = _cases(2, worker=mine)
    other = _cases(3, worker=theirs)
    client.force_login(mine)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:list"))
    body = response.content.decode()
    assert "My cases" in body
    assert all(case.reference in body for case in own)
    assert not any(case.reference in body for case in other)
    everything = client.get(reverse("cases:list"), {"scope": "all"}).content.decode()
    assert all(case.reference in everything for case in own + other)


def test_a_manager_list_opens_on_every_case(client):
    boss, worker = manager(), caseworker()
    cases = _cases(2, worker=worker)
    client.force_login(boss)
    body = client.get(reverse("cases:list")).content.decode()
    assert all(case.reference in body for case in cases)


@pytest.mark.parametrize(
    ("roles", "start"),
    [
        ([Role.MANAGER], "reports:dashboard"),
        ([Role.CASEWORKER], "cases:list"),
        ([Role.PANEL_CHAIR], "panels:list"),
        ([Role.PARTNER], "advice:inbox"),
    ],
)
def test_each_role_lands_on_its_own_start_page(client, roles, start):
    user = UserFactory(roles=roles)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(start)
