"""Issue 16: a family member sees exactly the children they are linked to, read afresh on every
request. Another family's request, a sibling they have no link to, a person without parental
responsibility and a young person's withdrawn consent all give 404."""

import datetime

import pytest
from django.urls import reverse

from cases.models import Child
from families import selectors
from tests.cases.factories import ChildFactory, case_in_status, make_case

from .factories import family_account, parent_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 2)
#: A young person on TODAY: born 1 March 2009, compulsory school age ended 26 June 2025.
YOUNG_PERSON_DOB = datetime.date(2009, 3, 1)


@pytest.fixture
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC))


def signed_in(client, member):
    client.force_login(member.user)
    return client


def detail(case):
    return reverse("families:request", args=[case.reference])


@pytest.mark.usefixtures("_today")
def test_parent_sees_their_childs_request_and_not_another_childs(client):
    own = make_case()
    other = make_case()
    member = family_account(carer=parent_of(own.child))
    signed_in(client, member)
    page = client.get(reverse("families:home"))
    assert own.reference in page.content.decode()
    assert other.reference not in page.content.decode()
    assert client.get(detail(own)).status_code == 200
    assert client.get(detail(other)).status_code == 404
    assert client.get(reverse("families:request", args=["EHC-2026-99999"])).status_code == 404


@pytest.mark.usefixtures("_today")
def test_sibling_case_is_hidden_from_a_parent_of_only_one_sibling(client):
    """B's sibling's case: a step-parent with responsibility for child A only sees A."""
    child_a = ChildFactory(last_name="Sibling")
    child_b = ChildFactory(last_name="Sibling")
    case_a = make_case(child=child_a)
    case_b = make_case(child=child_b)
    parent_of(child_b, name="Jo Parent")
    member = family_account(carer=parent_of(child_a, name="Kim Stepparent"))
    signed_in(client, member)
    assert client.get(detail(case_a)).status_code == 200
    assert client.get(detail(case_b)).status_code == 404


@pytest.mark.usefixtures("_today")
def test_a_parent_without_parental_responsibility_sees_nothing(client):
    case = make_case()
    carer = parent_of(case.child, responsibility=False)
    member = family_account(carer=carer)
    signed_in(client, member)
    assert client.get(detail(case)).status_code == 404
    assert case.reference not in client.get(reverse("families:home")).content.decode()


@pytest.mark.usefixtures("_today")
def test_losing_parental_responsibility_ends_access_at_once(client):
    case = make_case()
    carer = parent_of(case.child)
    signed_in(client, family_account(carer=carer))
    assert client.get(detail(case)).status_code == 200
    carer.has_parental_responsibility = False
    carer.save()
    assert client.get(detail(case)).status_code == 404


@pytest.mark.usefixtures("_today")
def test_young_persons_consent_controls_the_parents_access(client):
    child = ChildFactory(date_of_birth=YOUNG_PERSON_DOB, young_person_consents_to_parents=True)
    case = make_case(child=child)
    parent = family_account(carer=parent_of(child))
    young_person = family_account(child=child)
    signed_in(client, parent)
    assert client.get(detail(case)).status_code == 200
    Child.objects.filter(pk=child.pk).update(young_person_consents_to_parents=False)
    assert client.get(detail(case)).status_code == 404
    client.logout()
    signed_in(client, young_person)
    page = client.get(detail(case))
    assert page.status_code == 200
    assert "your needs" in page.content.decode()


@pytest.mark.usefixtures("_today")
def test_no_recorded_consent_means_no_parent_access_once_a_young_person(client):
    child = ChildFactory(date_of_birth=YOUNG_PERSON_DOB)
    case = make_case(child=child)
    signed_in(client, family_account(carer=parent_of(child)))
    assert client.get(detail(case)).status_code == 404


@pytest.mark.usefixtures("_today")
def test_a_child_not_yet_a_young_person_cannot_sign_in_as_one(client):
    case = make_case()
    signed_in(client, family_account(child=case.child))
    assert client.get(detail(case)).status_code == 404


@pytest.mark.usefixtures("_today")
def test_a_revoked_link_ends_access(client):
    case = make_case()
    member = family_account(carer=parent_of(case.child))
    signed_in(client, member)
    link = member.links.get()
    link.revoked_at = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    link.save()
    assert client.get(detail(case)).status_code == 404


@pytest.mark.usefixtures("_today")
def test_a_restricted_child_is_hidden(client):
    case = make_case()
    signed_in(client, family_account(carer=parent_of(case.child)))
    Child.objects.filter(pk=case.child_id).update(restricted_on=datetime.date(2026, 11, 1))
    assert client.get(detail(case)).status_code == 404


@pytest.mark.usefixtures("_today")
def test_staff_get_403_on_family_pages_and_families_403_on_staff_pages(client, django_user_model):
    from tests.cases.factories import caseworker

    case = make_case()
    client.force_login(caseworker())
    assert client.get(reverse("families:home")).status_code == 403
    client.logout()
    signed_in(client, family_account(carer=parent_of(case.child)))
    assert client.get(reverse("cases:list")).status_code == 403
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code in (403, 404)
    assert client.get(reverse("advice:inbox")).status_code in (403, 404)
    assert client.get("/api/cases/").status_code == 403


@pytest.mark.usefixtures("_today")
def test_family_home_lands_from_root_and_costs_fixed_queries(client, django_assert_max_num_queries):
    carer = parent_of(make_case().child)
    member = family_account(carer=carer)
    for _ in range(5):
        make_case(child=carer.child)
    signed_in(client, member)
    assert client.get("/").url == reverse("families:home")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("families:home"))
    assert page.content.decode().count("See this request") == 6


@pytest.mark.usefixtures("_today")
def test_request_page_names_the_caseworker_and_the_advice_without_its_content(client):
    case = case_in_status("assessing", today=TODAY)
    case.caseworker.first_name, case.caseworker.last_name = "Elin", "Caseworker"
    case.caseworker.save()
    signed_in(client, family_account(carer=parent_of(case.child)))
    body = client.get(detail(case)).content.decode()
    assert "Elin Caseworker" in body
    assert "Educational psychology advice" in body
    assert "Asked for" in body
    assert f">{case.caseworker.username}<" not in body  # a name, never a username
    assert "assessing" not in body.replace("We are assessing", "")


def test_visible_links_is_one_query(django_assert_num_queries):
    case = make_case()
    member = family_account(carer=parent_of(case.child))
    with django_assert_num_queries(1):
        selectors.visible_links(user=member.user, today=TODAY)
