"""The child and family on the case page, and the pages that correct them (section 10)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.selectors import case_history
from cases.models import ParentCarer
from cases.roles import Role
from tests.cases.factories import ChildFactory, UserFactory, make_case

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


def _case(**kwargs):
    return make_case(today=TODAY, received_on=datetime.date(2026, 10, 1), **kwargs)


def _person(case, **kwargs):
    values = {
        "name": "Pat Example",
        "relationship": "Father",
        "email": "pat@example.com",
        "phone": "01632 960 001",
        "interpreter_language": "Arabic",
        **kwargs,
    }
    return ParentCarer.objects.create(child=case.child, **values)


PERSON_POST = {
    "name": "Pat Example",
    "relationship": "Father",
    "has_parental_responsibility": "yes",
    "preferred_contact_method": "phone",
    "address": "",
    "email": "pat@example.com",
    "phone": "07700 900 982",
    "communication_needs": "",
    "interpreter_language": "",
}


def test_the_case_page_shows_the_child_and_every_person(client, django_assert_max_num_queries):
    case = _case()
    _person(case)
    _person(case, name="Sam Other", has_parental_responsibility=False, email="s@example.com")
    client.force_login(case.caseworker)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Child and family" in page
    assert "Pat Example (father)" in page
    assert "Interpreter: Arabic" in page
    assert "Sam Other" in page
    assert "A young person from" in page


def test_more_people_cost_no_more_queries(client, django_assert_num_queries):
    case = _case()
    _person(case)
    client.force_login(case.caseworker)
    url = reverse("cases:detail", args=[case.reference])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(5):
        _person(case, name=f"Person {number}")
    with django_assert_num_queries(len(one)):
        client.get(url)


def test_a_young_person_is_shown_as_the_one_decisions_go_to_and_consent_recorded(client):
    case = _case(child=ChildFactory(first_name="Kai", date_of_birth=datetime.date(2009, 1, 10)))
    client.force_login(case.caseworker)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "young person: decisions go to them" in page
    assert "Not recorded: parents do not see the case" in page
    url = reverse("cases:consent-edit", args=[case.reference])
    missing_date = client.post(url, {"consents": "yes"})
    assert missing_date.status_code == 400
    assert "Enter the date consent was given or refused" in missing_date.content.decode()
    response = client.post(
        url,
        {"consents": "yes", "recorded_on_0": "1", "recorded_on_1": "11", "recorded_on_2": "2026"},
    )
    assert response.status_code == 302
    case.child.refresh_from_db()
    assert case.child.young_person_consents_to_parents is True
    assert case.child.consent_recorded_on == datetime.date(2026, 11, 1)
    entry = case_history(case=case).get(verb="child.updated")
    assert entry.payload["changes"]["young_person_consents_to_parents"] == [None, True]


def test_consent_page_is_not_for_a_child(client):
    case = _case()
    client.force_login(case.caseworker)
    assert client.get(reverse("cases:consent-edit", args=[case.reference])).status_code == 404


def test_editing_a_person_is_audited_with_before_and_after(client):
    case = _case()
    person = _person(case)
    client.force_login(case.caseworker)
    url = reverse("cases:family-edit", args=[case.reference, person.pk])
    assert 'value="Pat Example"' in client.get(url).content.decode()
    response = client.post(url, PERSON_POST)
    assert response.status_code == 302
    entry = case_history(case=case).get(verb="parent_carer.updated")
    assert entry.payload["changes"] == {
        "phone": ["01632 960 001", "07700 900 982"],
        "preferred_contact_method": ["email", "phone"],
        "interpreter_language": ["Arabic", ""],
    }
    assert entry.actor == case.caseworker


def test_bad_contact_details_show_the_error_summary_and_save_nothing(client):
    case = _case()
    person = _person(case)
    client.force_login(case.caseworker)
    url = reverse("cases:family-edit", args=[case.reference, person.pk])
    response = client.post(url, {**PERSON_POST, "email": "pat@", "phone": "999"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter an email address in the correct format, like name@example.com" in page
    assert "Enter a telephone number, like 01632 960 001 or 07700 900 982" in page
    person.refresh_from_db()
    assert person.phone == "01632 960 001"
    assert not case_history(case=case).filter(verb="parent_carer.updated").exists()


def test_add_a_person_and_change_the_child(client):
    case = _case()
    client.force_login(case.caseworker)
    response = client.post(reverse("cases:family-add", args=[case.reference]), PERSON_POST)
    assert response.status_code == 302
    assert case.child.parent_carers.get().phone == "07700 900 982"
    child_url = reverse("cases:child-edit", args=[case.reference])
    form = {
        "first_name": case.child.first_name,
        "last_name": "Renamed",
        "date_of_birth_0": "14",
        "date_of_birth_1": "3",
        "date_of_birth_2": "2018",
        "upn": "",
        "home_local_authority": "",
        "current_setting": "Oakfield Primary (synthetic)",
        "current_setting_urn": "100001",
        "in_year_9_or_above": "no",
    }
    assert client.post(child_url, form).status_code == 302
    entry = case_history(case=case).get(verb="child.updated")
    assert entry.payload["changes"] == {
        "last_name": ["Example", "Renamed"],
        "current_setting_urn": ["", "100001"],
    }


def test_a_person_of_another_child_is_not_found(client):
    case, other = _case(), _case()
    person = _person(other)
    client.force_login(case.caseworker)
    url = reverse("cases:family-edit", args=[case.reference, person.pk])
    assert client.get(url).status_code == 404


def test_panel_members_neither_see_nor_change_the_family(client):
    case = _case()
    _person(case)
    client.force_login(UserFactory(roles=[Role.PANEL_MEMBER]))
    # Not on their panel's agendas: the case itself is not found.
    assert client.get(reverse("cases:child-edit", args=[case.reference])).status_code == 404
