"""The "Log a request" pages (section 10): each step, bad input, and the match step that
cannot be skipped."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.selectors import case_history
from cases.intake_session import STEP_NOTICES
from cases.intake_views import AT_LEAST_ONE_PERSON, NEW_MATCHES_NOTICE
from cases.models import Case, Child, ParentCarer
from cases.roles import Role
from tests.cases.factories import (
    ChildFactory,
    UserFactory,
    case_in_status,
    caseworker,
    make_case,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)
BORN = datetime.date(2015, 6, 9)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def user():
    return caseworker(first_name="Casey", last_name="Worker")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def _date(prefix, day):
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def _find(client, first="Zoe", last="Smith-Jones", born=BORN, upn=""):
    client.get(reverse("cases:intake-start"))
    data = {"first_name": first, "last_name": last, "upn": upn, **_date("date_of_birth", born)}
    return client.post(reverse("cases:intake-find"), data)


CHILD = {
    "first_name": "Zoe",
    "last_name": "Smith-Jones",
    **_date("date_of_birth", BORN),
    "upn": "",
    "home_local_authority": "Demo Borough",
    "current_setting": "Oakfield Primary",
    "current_setting_urn": "100001",
    "in_year_9_or_above": "no",
}
PERSON = {
    "name": "Ana Smith-Jones",
    "relationship": "Mother",
    "has_parental_responsibility": "yes",
    "preferred_contact_method": "email",
    "address": "",
    "email": "ana@example.com",
    "phone": "07700 900 982",
    "communication_needs": "",
    "interpreter_language": "Portuguese",
}


def _request_data(user, received=TODAY):
    return {
        **_date("received_on", received),
        "request_source": "2",
        "primary_need": "SLCN",
        "secondary_needs": ["ASD"],
        "evidence_deadline_0": "",
        "evidence_deadline_1": "",
        "evidence_deadline_2": "",
        "caseworker": str(user.pk),
    }


def _through_to_check(client, user):
    assert _find(client).url == reverse("cases:intake-child")
    assert client.post(reverse("cases:intake-child"), CHILD).url == reverse("cases:intake-family")
    assert client.get(reverse("cases:intake-family")).url == reverse("cases:intake-family-add")
    assert client.post(reverse("cases:intake-family-add"), PERSON).url == reverse(
        "cases:intake-family"
    )
    assert client.post(reverse("cases:intake-family"), {"add_another": "no"}).url == reverse(
        "cases:intake-request"
    )
    response = client.post(reverse("cases:intake-request"), _request_data(user))
    assert response.url == reverse("cases:intake-check")


def test_a_new_child_end_to_end(signed_in, user):
    _through_to_check(signed_in, user)
    check = signed_in.get(reverse("cases:intake-check"))
    page = check.content.decode()
    assert "No: no child we know has these details" in page
    assert "School or other education setting" in page
    assert "Speech, language and communication needs" in page
    assert "needs a Portuguese interpreter" in page
    response = signed_in.post(reverse("cases:intake-check"))
    assert response.url == reverse("cases:intake-confirmation")
    case = Case.objects.get()
    assert case.reference == "EHC-2026-00001"
    assert (case.received_on, case.decision_to_assess_due) == (TODAY, datetime.date(2026, 12, 14))
    assert case.secondary_needs == ["ASD"]
    assert case.child.current_setting_urn == "100001"
    assert case.child.parent_carers.get().interpreter_language == "Portuguese"
    assert case_history(case=case).get(verb="case.created").actor == user
    confirmation = signed_in.get(response.url).content.decode()
    assert "EHC-2026-00001" in confirmation
    assert "14 December 2026" in confirmation
    # The answers are gone: a second post logs nothing more.
    assert signed_in.post(reverse("cases:intake-check")).status_code == 302
    assert Case.objects.count() == 1


def test_possible_matches_are_shown_and_a_different_child_is_recorded(signed_in, user):
    twin = ChildFactory(first_name="Zoë", last_name="Smith Jones", date_of_birth=BORN)
    assert _find(signed_in).url == reverse("cases:intake-matches")
    page = signed_in.get(reverse("cases:intake-matches")).content.decode()
    assert "Zoë Smith Jones, born 9 June 2015" in page
    assert "Same date of birth and a similar name" in page
    missing = signed_in.post(reverse("cases:intake-matches"), {})
    assert missing.status_code == 400
    assert "There is a problem" in missing.content.decode()
    response = signed_in.post(reverse("cases:intake-matches"), {"choice": "different_child"})
    assert response.url == reverse("cases:intake-child")
    signed_in.post(reverse("cases:intake-child"), CHILD)
    signed_in.post(reverse("cases:intake-family-add"), PERSON)
    signed_in.post(reverse("cases:intake-family"), {"add_another": "no"})
    signed_in.post(reverse("cases:intake-request"), _request_data(user))
    check = signed_in.get(reverse("cases:intake-check")).content.decode()
    assert "No: a different child from Zoë Smith Jones (born 9 June 2015)" in check
    signed_in.post(reverse("cases:intake-check"))
    case = Case.objects.get()
    assert case.child != twin
    assert case_history(case=case).get(verb="case.created").payload == {
        "possible_matches": [twin.pk],
        "duplicate_decision": "different_child",
    }


def test_an_existing_child_matched_with_a_recent_refusal_flagged(signed_in, user):
    declined = case_in_status(
        "assessment_declined", actor=user, received_on=datetime.date(2026, 6, 1), today=TODAY
    )
    known = declined.child
    ParentCarer.objects.create(child=known, name="Known Parent", email="k@example.com")
    _find(signed_in, first=known.first_name, last=known.last_name, born=known.date_of_birth)
    signed_in.post(reverse("cases:intake-matches"), {"choice": str(known.pk)})
    page = signed_in.get(reverse("cases:intake-child")).content.decode()
    assert "Check the child" in page
    assert "Known Parent" in page
    assert signed_in.post(reverse("cases:intake-child")).url == reverse("cases:intake-family")
    family = signed_in.get(reverse("cases:intake-family"))
    assert family.status_code == 200
    assert "Already on the child" in family.content.decode()
    signed_in.post(reverse("cases:intake-family"), {"add_another": "no"})
    signed_in.post(reverse("cases:intake-request"), _request_data(user))
    check = signed_in.get(reverse("cases:intake-check")).content.decode()
    assert "was refused an assessment on 11 July 2026" in check
    assert declined.reference in check
    signed_in.post(reverse("cases:intake-check"))
    case = Case.objects.exclude(pk=declined.pk).get()
    assert case.child == known
    assert Child.objects.count() == 1
    entry = case_history(case=case).get(verb="case.created")
    assert entry.payload["recent_refusal"] == declined.reference
    assert entry.payload["duplicate_decision"] == "same_child"


def test_the_match_step_cannot_be_skipped(signed_in, user):
    ChildFactory(first_name="Zoe", last_name="Smith-Jones", date_of_birth=BORN)
    _find(signed_in)
    for step in ("cases:intake-child", "cases:intake-family", "cases:intake-check"):
        response = signed_in.post(reverse(step), CHILD)
        assert response.url == reverse("cases:intake-matches"), step
    page = signed_in.get(reverse("cases:intake-matches")).content.decode()
    assert STEP_NOTICES["matches"] in page
    assert Child.objects.count() == 1
    assert Case.objects.count() == 0


def test_later_steps_without_a_search_go_back_to_find(signed_in):
    signed_in.get(reverse("cases:intake-start"))
    response = signed_in.post(reverse("cases:intake-check"))
    assert response.url == reverse("cases:intake-find")
    assert STEP_NOTICES["find"] in signed_in.get(response.url).content.decode()


def test_changing_the_new_child_into_a_known_one_goes_back_to_the_matches(signed_in):
    known = ChildFactory(first_name="Omar", last_name="Patel", date_of_birth=BORN)
    _find(signed_in)  # Zoe Smith-Jones: no match
    changed = {**CHILD, "first_name": "Omar", "last_name": "Patel"}
    response = signed_in.post(reverse("cases:intake-child"), changed)
    assert response.url == reverse("cases:intake-matches")
    page = signed_in.get(response.url).content.decode()
    assert NEW_MATCHES_NOTICE in page
    assert f'value="{known.pk}"' in page


def test_bad_input_shows_the_error_summary_and_saves_nothing(signed_in, user):
    bad_find = signed_in.post(reverse("cases:intake-find"), {"first_name": "", "upn": "123"})
    assert bad_find.status_code == 400
    page = bad_find.content.decode()
    assert "There is a problem" in page
    assert "Enter the child&#x27;s first name" in page
    _find(signed_in)
    bad_child = signed_in.post(
        reverse("cases:intake-child"), {**CHILD, "current_setting_urn": "12"}
    )
    assert "A unique reference number (URN) is 6 digits, like 100001." in bad_child.content.decode()
    signed_in.post(reverse("cases:intake-child"), CHILD)
    bad_person = signed_in.post(
        reverse("cases:intake-family-add"), {**PERSON, "email": "ana", "phone": "call"}
    )
    assert bad_person.status_code == 400
    page = bad_person.content.decode()
    assert "Enter an email address in the correct format, like name@example.com" in page
    assert "Enter a telephone number, like 01632 960 001 or 07700 900 982" in page
    no_email = signed_in.post(reverse("cases:intake-family-add"), {**PERSON, "email": ""})
    assert "Enter an email address, or choose another way to contact them" in (
        no_email.content.decode()
    )
    nobody = signed_in.post(reverse("cases:intake-family"), {"add_another": "no"})
    assert nobody.status_code == 400
    assert AT_LEAST_ONE_PERSON in nobody.content.decode()
    signed_in.post(reverse("cases:intake-family-add"), PERSON)
    signed_in.post(reverse("cases:intake-family"), {"add_another": "no"})
    future = signed_in.post(
        reverse("cases:intake-request"), _request_data(user, TODAY + datetime.timedelta(days=1))
    )
    assert future.status_code == 400
    assert "cannot be in the future" in future.content.decode()
    assert (Child.objects.count(), Case.objects.count(), ParentCarer.objects.count()) == (0, 0, 0)


def test_remove_a_person_added(signed_in):
    _find(signed_in)
    signed_in.post(reverse("cases:intake-child"), CHILD)
    signed_in.post(reverse("cases:intake-family-add"), PERSON)
    signed_in.post(reverse("cases:intake-family-add"), {**PERSON, "name": "Second Person"})
    signed_in.post(reverse("cases:intake-family-remove", args=[0]))
    page = signed_in.get(reverse("cases:intake-family")).content.decode()
    assert "Second Person" in page
    assert "Ana Smith-Jones" not in page


@pytest.mark.parametrize(("role", "status"), [(Role.PANEL_CHAIR, 403), (Role.PARTNER, 403)])
def test_only_caseworkers_and_managers_log_requests(client, role, status):
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse("cases:intake-find")).status_code == status


def test_the_case_list_offers_log_a_request_to_caseworkers_only(client, signed_in):
    assert "Log a request" in signed_in.get(reverse("cases:list")).content.decode()
    client.force_login(UserFactory(roles=[Role.PANEL_MEMBER]))
    assert "Log a request" not in client.get(reverse("cases:list")).content.decode()


def test_the_match_page_costs_the_same_queries_however_many_matches(signed_in):
    ChildFactory(first_name="Zoe", last_name="Smith-Jones", date_of_birth=BORN)
    _find(signed_in)
    url = reverse("cases:intake-matches")
    signed_in.get(url)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(url)
    for number in range(6):
        twin = ChildFactory(first_name=f"Twin{number}", last_name="Smith-Jones", date_of_birth=BORN)
        make_case(child=twin, today=TODAY, received_on=TODAY)
    with CaptureQueriesContext(connection) as many:
        page = signed_in.get(url).content.decode()
    assert page.count('name="choice"') == 8
    assert len(many) == len(few)
