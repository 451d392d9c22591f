"""Section 10: the child we may already know (cases.selectors.possible_duplicate_children)."""

import datetime

import pytest

from cases.names import edit_distance, normalise, similar_names
from cases.selectors import (
    SAME_BIRTHDAY_SIMILAR_NAME,
    SAME_UPN,
    possible_duplicate_children,
)

from .factories import ChildFactory

pytestmark = pytest.mark.django_db
BORN = datetime.date(2015, 6, 9)


def _search(first, last, born=BORN, upn=""):
    return possible_duplicate_children(
        first_name=first, last_name=last, date_of_birth=born, upn=upn
    )


def _ids(matches):
    return [match.child.pk for match in matches]


def test_normalise_folds_case_accents_hyphens_spaces_and_apostrophes():
    assert normalise("Zoë O'Brien-Smith") == normalise("zoe obrien smith") == "zoeobriensmith"


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("noor", "nour") == 1
    assert edit_distance("smith", "msith") == 1
    assert edit_distance("smith", "jones") == 3  # stopped at limit + 1


def test_same_upn_matches_whatever_the_name_and_birthday():
    known = ChildFactory(first_name="Ada", last_name="Khan", upn="A123456789012")
    (match,) = _search("Completely", "Different", datetime.date(2010, 1, 1), "a123456789012")
    assert match.child.pk == known.pk
    assert match.reasons == (SAME_UPN,)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("ZOE", "SMITH-JONES"),  # case
        ("Zoë", "Smith-Jones"),  # accent
        ("Zoe", "Smith Jones"),  # hyphen as a space
        ("Zoe", "SmithJones"),  # hyphen dropped
        ("Zoe", "Smith"),  # one part of a double-barrelled name
        ("Zoe", "Smiht-Jones"),  # a typo
        ("Zeo", "Smith-Jones"),  # a typo in the first name
    ],
)
def test_same_birthday_and_a_similar_name_matches(first, last):
    known = ChildFactory(first_name="Zoe", last_name="Smith-Jones", date_of_birth=BORN)
    (match,) = _search(first, last)
    assert match.child.pk == known.pk
    assert match.reasons == (SAME_BIRTHDAY_SIMILAR_NAME,)


def test_different_names_or_birthdays_do_not_match():
    ChildFactory(first_name="Zoe", last_name="Smith-Jones", date_of_birth=BORN)
    ChildFactory(first_name="Zoe", last_name="Smith-Jones", date_of_birth=BORN.replace(day=10))
    assert _search("Omar", "Patel") == []
    assert similar_names("Zoe", "Smith-Jones", "Omar", "Patel") is False


def test_twins_are_offered_as_possible_matches():
    first_twin = ChildFactory(first_name="Alex", last_name="Okafor", date_of_birth=BORN)
    second_twin = ChildFactory(first_name="Sam", last_name="Okafor", date_of_birth=BORN)
    assert set(_ids(_search("Sam", "Okafor"))) == {first_twin.pk, second_twin.pk}


def test_upn_matches_come_first_and_a_child_is_listed_once_with_both_reasons():
    by_name = ChildFactory(first_name="Leo", last_name="Evans", date_of_birth=BORN)
    both = ChildFactory(
        first_name="Leo", last_name="Evans", date_of_birth=BORN, upn="B123456789012"
    )
    matches = _search("Leo", "Evans", upn="B123456789012")
    assert _ids(matches) == [both.pk, by_name.pk]
    assert matches[0].reasons == (SAME_UPN, SAME_BIRTHDAY_SIMILAR_NAME)


def test_a_child_restricted_for_retention_is_never_offered():
    ChildFactory(first_name="Ivy", last_name="Brown", date_of_birth=BORN, restricted_on=BORN)
    assert _search("Ivy", "Brown") == []


def test_one_query_however_many_children_share_the_birthday(django_assert_num_queries):
    for number in range(30):
        ChildFactory(first_name=f"Child{number}", last_name="Taylor", date_of_birth=BORN)
    ChildFactory(first_name="Mia", last_name="Jones", upn="C123456789012")
    with django_assert_num_queries(1):
        matches = _search("Child1", "Taylor", upn="C123456789012")
    assert len(matches) == 31
