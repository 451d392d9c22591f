"""Section 10: case notes and the contact log. Typed entries, back-datable but never in the
future, append-only (a correction is a new entry beside the original; PostgreSQL refuses an
UPDATE or DELETE too), merged by date into the case page's history, and in the API."""

import datetime
import html

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cases import record_services
from cases.models import CASE_NOTE_IMMUTABLE, CaseNote, CaseNoteImmutableError, ParentCarer
from cases.services import case_transition
from tests.cases.factories import TODAY, UserFactory, caseworker, make_case, manager

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


def record(case, actor=None, **kwargs):
    fields = {
        "kind": "phone_call",
        "occurred_on": TODAY,
        "summary": "Mum rang about the school's report (synthetic).",
        **kwargs,
    }
    note, _ = record_services.case_note_record(actor=actor or case.caseworker, case=case, **fields)
    return note


# --- The service ------------------------------------------------------------------------------


def test_a_note_records_kind_date_with_whom_summary_and_who_recorded_it():
    case = make_case()
    mum = ParentCarer.objects.create(child=case.child, name="Sam Example", relationship="Mother")
    note = record(case, occurred_on=D(2026, 10, 20), with_parent_carer=mum)
    note.refresh_from_db()
    assert (note.kind, note.occurred_on, note.with_label) == (
        "phone_call",
        D(2026, 10, 20),
        "Sam Example (Mother)",
    )
    assert note.recorded_by == case.caseworker
    assert note.recorded_at is not None


@pytest.mark.parametrize("days_back", [0, 1, 400])
def test_back_dating_is_allowed(days_back):
    case = make_case()
    note = record(case, occurred_on=TODAY - datetime.timedelta(days=days_back))
    assert note.pk


def test_a_date_in_the_future_is_refused_and_nothing_is_recorded():
    case = make_case()
    with pytest.raises(record_services.ValidationError) as excinfo:
        record(case, occurred_on=TODAY + datetime.timedelta(days=1))
    assert excinfo.value.message_dict == {"occurred_on": [record_services.NOTE_IN_FUTURE]}
    assert not CaseNote.objects.exists()


def test_a_person_of_another_family_is_refused():
    case, other = make_case(), make_case()
    stranger = ParentCarer.objects.create(child=other.child, name="Someone Else")
    with pytest.raises(record_services.ValidationError) as excinfo:
        record(case, with_parent_carer=stranger)
    assert "with_parent_carer" in excinfo.value.message_dict


def test_only_caseworkers_and_managers_record_notes():
    case = make_case()
    with pytest.raises(record_services.errors.CaseForbiddenError):
        record(case, actor=UserFactory())
    assert record(case, actor=manager()).pk


def test_the_same_form_submitted_twice_records_one_note():
    case = make_case()
    first = record(case, submission_token="token-1")
    again, created = record_services.case_note_record(
        actor=case.caseworker,
        case=case,
        kind="email",
        occurred_on=TODAY,
        summary="A second click.",
        submission_token="token-1",
    )
    assert (again.pk, created) == (first.pk, False)
    assert CaseNote.objects.count() == 1


def test_a_correction_is_a_new_entry_pointing_at_the_original_which_is_unchanged():
    case = make_case()
    original = record(case, summary="Spoke to dad.")
    correction = record(case, summary="Spoke to mum, not dad.", corrects=original)
    again = record(case, summary="And on the 1st.", corrects=correction)
    original.refresh_from_db()
    assert original.summary == "Spoke to dad."
    assert correction.corrects == original
    assert again.corrects == original  # a correction of a correction sits with the original
    assert CaseNote.objects.count() == 3


# --- Append-only --------------------------------------------------------------------------------


def test_the_application_cannot_change_or_delete_a_note():
    note = record(make_case())
    note.summary = "rewritten"
    with pytest.raises(CaseNoteImmutableError, match=CASE_NOTE_IMMUTABLE):
        note.save()
    with pytest.raises(CaseNoteImmutableError):
        note.delete()
    with pytest.raises(CaseNoteImmutableError):
        CaseNote.objects.filter(pk=note.pk).update(summary="rewritten")
    with pytest.raises(CaseNoteImmutableError):
        CaseNote.objects.filter(pk=note.pk).delete()
    assert CaseNote.objects.get(pk=note.pk).summary != "rewritten"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cases_casenote SET summary = 'rewritten' WHERE id = %s",
        "DELETE FROM cases_casenote WHERE id = %s",
    ],
)
def test_postgres_trigger_refuses_update_and_delete(sql):
    note = record(make_case())
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [note.pk])
    assert CaseNote.objects.filter(pk=note.pk, summary=note.summary).exists()


# --- The pages ----------------------------------------------------------------------------------


def note_form(**overrides):
    data = {
        "kind": "phone_call",
        "occurred_on_0": "30",
        "occurred_on_1": "10",
        "occurred_on_2": "2026",
        "with_choice": "",
        "with_whom": "",
        "summary": "Rang the school's SENCO about the evidence (synthetic).",
        "token": "page-token",
    }
    return data | overrides


def test_a_caseworker_records_a_phone_call_and_sees_it_in_the_history_by_date(client):
    case = make_case(received_on=D(2026, 10, 1))
    case_transition(
        actor=case.caseworker,
        case=case,
        transition="withdraw",
        effective_date=D(2026, 10, 31),
        reason="The family moved away (synthetic).",
        today=TODAY,
    )
    mum = ParentCarer.objects.create(child=case.child, name="Sam Example", relationship="Mother")
    client.force_login(case.caseworker)
    url = reverse("cases:note-new", args=[case.reference])
    assert client.get(url).status_code == 200
    response = client.post(url, note_form(with_choice=f"family:{mum.pk}"))
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert (note.with_parent_carer, note.occurred_on) == (mum, D(2026, 10, 30))
    page = html.unescape(
        client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    )
    history = page[page.index('id="history"') :]
    assert "Phone call with Sam Example (Mother)" in history
    # Merged by date: after the case was created (1 October), before nothing later.
    assert history.index("Request logged") < history.index("Phone call with Sam Example")


def test_a_future_date_on_the_page_gives_an_error_summary_and_records_nothing(client):
    case = make_case()
    client.force_login(case.caseworker)
    response = client.post(
        reverse("cases:note-new", args=[case.reference]),
        note_form(occurred_on_0="3", occurred_on_1="11"),
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "govuk-error-summary" in page
    assert record_services.NOTE_IN_FUTURE in page
    assert not CaseNote.objects.exists()


def test_the_note_page_needs_someone_named_when_someone_else_is_chosen(client):
    case = make_case()
    client.force_login(case.caseworker)
    response = client.post(
        reverse("cases:note-new", args=[case.reference]), note_form(with_choice="other")
    )
    assert response.status_code == 400
    assert not CaseNote.objects.exists()


def test_a_correction_is_shown_with_its_original(client):
    case = make_case()
    original = record(case, summary="Spoke to dad.")
    client.force_login(case.caseworker)
    url = reverse("cases:note-correct", args=[case.reference, original.pk])
    assert "Spoke to dad." in client.get(url).content.decode()
    client.post(url, note_form(summary="It was mum, not dad."))
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    row_start = page.index(f'data-note="{original.pk}"')
    row = page[row_start : page.index("</tr>", row_start)]
    assert "Spoke to dad." in row
    assert "It was mum, not dad." in row
    assert "Corrected" in row


def test_a_partner_or_panel_member_cannot_use_the_note_pages(client):
    from cases.roles import Role

    case = make_case()
    client.force_login(UserFactory(roles=[Role.PARTNER]))
    assert client.get(reverse("cases:note-new", args=[case.reference])).status_code == 403


def test_another_cases_note_is_not_found_through_this_case(client):
    case, other = make_case(), make_case()
    note = record(other)
    client.force_login(case.caseworker)
    url = reverse("cases:note-correct", args=[case.reference, note.pk])
    assert client.get(url).status_code == 404


# --- The API ------------------------------------------------------------------------------------


def test_the_api_lists_and_records_notes(client, django_assert_max_num_queries):
    case = make_case()
    user = caseworker()
    for n in range(5):
        original = record(case, summary=f"Note {n}")
        record(case, summary=f"Correction {n}", corrects=original)
    client.force_login(user)
    url = reverse("api:case-notes", args=[case.reference])
    with django_assert_max_num_queries(12):
        listed = client.get(url).json()
    assert len(listed) == 10
    assert listed[1]["corrects"] == listed[0]["id"]
    response = client.post(
        url,
        {"kind": "meeting", "occurred_on": "2026-10-31", "summary": "Met the family."},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "meeting"


def test_the_api_refuses_a_future_date_and_a_note_of_another_case(client):
    case, other = make_case(), make_case()
    elsewhere = record(other)
    client.force_login(case.caseworker)
    url = reverse("api:case-notes", args=[case.reference])
    future = client.post(
        url,
        {"kind": "email", "occurred_on": "2026-11-03", "summary": "x"},
        content_type="application/json",
    )
    assert future.status_code == 400
    assert record_services.NOTE_IN_FUTURE in future.content.decode()
    foreign = client.post(
        url,
        {"kind": "email", "occurred_on": "2026-11-01", "summary": "x", "corrects": elsewhere.pk},
        content_type="application/json",
    )
    assert foreign.status_code == 400
    assert CaseNote.objects.filter(case=case).count() == 0
