"""POST /api/cases/ with the child we may already know, and the family under a case
(section 10)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.selectors import case_history
from cases.models import Case, Child, ParentCarer
from security.models import RecordAccess
from tests.cases.factories import ChildFactory, caseworker, make_case

from .conftest import client_for

pytestmark = pytest.mark.django_db
BORN = datetime.date(2014, 9, 1)


def _body(**extra):
    return {
        "child": {"first_name": "Amir", "last_name": "Khan", "date_of_birth": BORN.isoformat()},
        "parent_carers": [
            {
                "name": "Sara Khan",
                "relationship": "Mother",
                "email": "sara@example.com",
                "phone": "07700 900 982",
                "preferred_contact_method": "phone",
                "interpreter_language": "Urdu",
            }
        ],
        "received_on": timezone.localdate().isoformat(),
        "request_source": 2,
        "primary_need": "SEMH",
        **extra,
    }


def _post(user, body):
    return client_for(user).post(reverse("api:case-list"), body, format="json")


def test_a_new_child_and_family():
    user = caseworker()
    response = _post(user, _body())
    assert response.status_code == 201, response.json()
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.child.parent_carers.get().interpreter_language == "Urdu"
    assert response.json()["child"]["id"] == case.child_id
    assert case_history(case=case).get(verb="case.created").actor == user


def test_possible_matches_without_a_decision_are_400_with_the_matches():
    known = ChildFactory(first_name="Amir", last_name="Khann", date_of_birth=BORN)
    response = _post(caseworker(), _body())
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["duplicate_decision"]
    assert body["possible_matches"] == [
        {
            "id": known.pk,
            "first_name": "Amir",
            "last_name": "Khann",
            "date_of_birth": BORN.isoformat(),
            "upn": "",
            "current_setting": known.current_setting,
            "reasons": ["Same date of birth and a similar name"],
        }
    ]
    assert (Child.objects.count(), Case.objects.count(), ParentCarer.objects.count()) == (1, 0, 0)


def test_different_child_and_the_known_child():
    known = ChildFactory(first_name="Amir", last_name="Khan", date_of_birth=BORN)
    user = caseworker()
    different = _post(user, _body(duplicate_decision="different_child"))
    assert different.status_code == 201
    assert different.json()["child"]["id"] != known.pk
    # Now two children match; choosing the known one files the request against them.
    same = _post(user, _body(duplicate_decision=str(known.pk)))
    assert same.status_code == 201
    assert same.json()["child"]["id"] == known.pk


def test_an_existing_child_by_id_and_not_both():
    known = ChildFactory()
    user = caseworker()
    response = _post(
        user, {key: value for key, value in _body(child_id=known.pk).items() if key != "child"}
    )
    assert response.status_code == 201
    assert response.json()["child"]["id"] == known.pk
    both = _post(user, _body(child_id=known.pk))
    assert both.status_code == 400
    assert "child" in both.json()["errors"]


def test_bad_contact_details_are_400_with_plain_messages_and_nothing_saved():
    body = _body()
    body["parent_carers"][0]["email"] = "sara"
    response = _post(caseworker(), body)
    assert response.status_code == 400
    assert response.json()["errors"]["parent_carers.0.email"] == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    assert Child.objects.count() == 0


def test_family_get_and_patch_are_audited_and_scoped():
    case = make_case()
    other_case = make_case()
    person = ParentCarer.objects.create(
        child=case.child, name="Pat", phone="01632 960 001", preferred_contact_method="phone"
    )
    client = client_for(case.caseworker)
    url = reverse("api:case-parent-carer", args=[case.reference, person.pk])
    response = client.patch(url, {"phone": "07700 900 982"}, format="json")
    assert response.status_code == 200
    assert response.json()["phone"] == "07700 900 982"
    entry = case_history(case=case).get(verb="parent_carer.updated")
    assert entry.payload == {"changes": {"phone": ["01632 960 001", "07700 900 982"]}}
    wrong_case = reverse("api:case-parent-carer", args=[other_case.reference, person.pk])
    assert client.get(wrong_case).status_code == 404
    bad = client.patch(url, {"phone": "call me"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"]["phone"] == [
        "Enter a telephone number, like 01632 960 001 or 07700 900 982"
    ]
    child = client.get(reverse("api:case-child", args=[case.reference])).json()
    assert child["is_young_person"] is False
    assert child["id"] == case.child_id


def test_reading_the_family_is_in_the_access_log():
    case = make_case()
    client = client_for(case.caseworker)
    client.get(reverse("api:case-parent-carers", args=[case.reference]))
    (entry,) = RecordAccess.objects.filter(child_id=case.child_id)
    assert entry.what == "family's contact details (API)"
