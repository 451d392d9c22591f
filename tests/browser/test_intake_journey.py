"""A caseworker logs a request in the browser (section 10): a new child, and a child we already
know found through the possible matches. Every page is checked with axe-core; set
EHC_SCREENSHOTS to a directory to keep a screenshot of each."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from audit.selectors import case_history
from cases.models import Case, Child, ParentCarer
from tests.browser.conftest import sign_in
from tests.cases.factories import ChildFactory, caseworker, make_case

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = os.environ.get("EHC_SCREENSHOTS")


def _look(checked, name):
    checked.check_accessibility()
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        checked.page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def _fill_date(group, day):
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _start(checked, user):
    checked.goto("/")
    sign_in(checked.page, user.username, "a-test-password")
    page = checked.page
    page.wait_for_url("**/cases/")
    page.get_by_role("button", name="Log a request").click()
    page.wait_for_url("**/cases/new/find/")


def _find(checked, first, last, born, shot):
    page = checked.page
    _look(checked, f"{shot}-1-find")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    _fill_date(page.get_by_role("group", name="Date of birth"), born)
    page.get_by_role("button", name="Search").click()


def _family_and_request(checked, user, shot, *, add_person):
    page = checked.page
    if add_person:
        page.wait_for_url("**/cases/new/family/add/")
        _look(checked, f"{shot}-4-person")
        page.get_by_label("Full name").fill("Ana Okafor")
        page.get_by_label("Relationship to the child (optional)").fill("Mother")
        page.get_by_role("group", name="Do they have parental responsibility?").get_by_label(
            "Yes"
        ).check()
        page.get_by_role("radio", name="Phone").check()
        page.get_by_label("Telephone number").fill("07700 900 982")
        page.get_by_label("Interpreter language (optional)").fill("Yoruba")
        page.get_by_role("button", name="Add this person").click()
    page.wait_for_url("**/cases/new/family/")
    _look(checked, f"{shot}-5-family")
    page.get_by_role("group", name="Do you need to add another person?").get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/cases/new/request/")
    _look(checked, f"{shot}-6-request")
    page.get_by_label("School or other education setting").check()
    page.get_by_label("Primary need").select_option(label="Social, emotional and mental health")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/cases/new/check/")
    _look(checked, f"{shot}-7-check")


def _log_it(checked, user, shot) -> Case:
    page = checked.page
    page.get_by_role("button", name="Log the request").click()
    page.wait_for_url("**/cases/new/confirmation/")
    _look(checked, f"{shot}-8-confirmation")
    reference = page.locator("#case-reference").inner_text()
    case = Case.objects.get(reference=reference)
    today = timezone.localdate()
    assert (case.received_on, case.status) == (today, "received")
    assert case.decision_to_assess_due == today + datetime.timedelta(days=42)
    assert f"{case.decision_to_assess_due.day} {case.decision_to_assess_due:%B %Y}" in (
        page.locator("main").inner_text()
    )
    page.get_by_role("link", name="Open the case").click()
    page.wait_for_url(f"**/cases/{reference}/")
    _look(checked, f"{shot}-9-case")
    # The history names who logged it (by name, never by username: issue 14).
    assert user.get_full_name() in page.locator("#history").inner_text()
    assert case_history(case=case).get(verb="case.created").actor_username == user.username
    return case


def test_log_a_request_for_a_new_child(checked_page):
    user = caseworker(first_name="Casey", last_name="Worker")
    born = datetime.date(2016, 2, 29)
    _start(checked_page, user)
    _find(checked_page, "Tolu", "Okafor", born, "new")
    page = checked_page.page
    page.wait_for_url("**/cases/new/child/")
    _look(checked_page, "new-3-child")
    page.get_by_label("Current school, college or early years setting (optional)").fill(
        "Oakfield Primary (synthetic)"
    )
    page.get_by_label("The setting's unique reference number (URN) (optional)").fill("12")
    page.get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    _look(checked_page, "new-3-child-error")
    page.get_by_label("The setting's unique reference number (URN) (optional)").fill("100001")
    page.get_by_role("button", name="Continue").click()
    _family_and_request(checked_page, user, "new", add_person=True)
    assert "needs a Yoruba interpreter" in page.locator("main").inner_text()
    case = _log_it(checked_page, user, "new")
    assert case.child.current_setting_urn == "100001"
    assert case.child.parent_carers.get().interpreter_language == "Yoruba"


def test_log_a_request_for_a_child_we_know(checked_page):
    user = caseworker(first_name="Casey", last_name="Worker")
    born = datetime.date(2014, 7, 1)
    known = ChildFactory(first_name="Zoë", last_name="Smith-Jones", date_of_birth=born)
    twin = ChildFactory(first_name="Max", last_name="Smith-Jones", date_of_birth=born)
    _start(checked_page, user)
    _find(checked_page, "Zoe", "Smith Jones", born, "known")
    page = checked_page.page
    page.wait_for_url("**/cases/new/matches/")
    _look(checked_page, "known-2-matches")
    assert page.locator(".govuk-radios__item").count() == 3  # the twins and "different"
    page.get_by_role("button", name="Continue").click()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Zoë Smith-Jones, born 1 July 2014").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/cases/new/child/")
    _look(checked_page, "known-3-child")
    page.get_by_role("button", name="Continue").click()
    _family_and_request(checked_page, user, "known", add_person=True)
    assert "record we hold for Zoë Smith-Jones" in page.locator("#match-answer").inner_text()
    case = _log_it(checked_page, user, "known")
    assert case.child_id == known.pk
    assert Child.objects.filter(pk=twin.pk).exists()
    assert Child.objects.count() == 2


def test_correct_a_parent_and_record_a_young_persons_consent(checked_page):
    user = caseworker(first_name="Casey", last_name="Worker")
    today = timezone.localdate()
    born = today.replace(year=today.year - 18, day=1)
    older = ChildFactory(first_name="Kai", last_name="Mensah", date_of_birth=born)
    case = make_case(actor=user, child=older, received_on=today, today=today)
    ParentCarer.objects.create(
        child=older, name="Efua Mensah", relationship="Mother", email="efua@example.com"
    )
    checked_page.goto("/")
    sign_in(checked_page.page, user.username, "a-test-password")
    page = checked_page.page
    checked_page.goto(f"/cases/{case.reference}/")
    _look(checked_page, "family-1-case")
    assert "young person: decisions go to them" in page.locator("main").inner_text()
    page.get_by_role("link", name="Change Efua Mensah's details").click()
    page.wait_for_url(f"**/cases/{case.reference}/family/*/")
    _look(checked_page, "family-2-person")
    page.get_by_label("Telephone number").fill("call me")
    page.get_by_role("button", name="Save changes").click()
    assert (
        "Enter a telephone number, like 01632 960 001"
        in page.locator(".govuk-error-summary").inner_text()
    )
    _look(checked_page, "family-3-person-error")
    page.get_by_label("Telephone number").fill("07700 900 982")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"**/cases/{case.reference}/#family")
    assert (
        "Efua Mensah's details updated." in page.locator(".govuk-notification-banner").inner_text()
    )
    page.get_by_role("link", name="Record the young person's consent").click()
    page.wait_for_url("**/child/consent/")
    _look(checked_page, "family-4-consent")
    page.get_by_label("Yes").check()
    _fill_date(page.get_by_role("group", name="Date consent was given or refused"), today)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/cases/{case.reference}/#family")
    _look(checked_page, "family-5-case")
    assert f"Yes, recorded {today.day} {today:%B %Y}" in page.locator("#consent").inner_text()
    history = page.locator("#history").inner_text()
    assert "Family's contact details changed" in history or "Child's details changed" in history
