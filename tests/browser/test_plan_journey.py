"""A caseworker in the browser takes a case from drafting to the final plan (issue 15): drafts
the plan from the advice, runs the quality check, issues the draft, records two family comments
(one accepted, one not), consults a school and records its answer, issues the final plan, and
the PDFs download. axe-core checks every page."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from advice_requests.services import advice_request_submit, advice_request_transition
from cases.models import CaseStatus
from cases.services import case_transition
from plans.models import FamilyComment, Need, PlanVersion
from tests.advice_requests.factories import partner, upload
from tests.browser.conftest import sign_in
from tests.cases.factories import advice_chosen, caseworker, make_case

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(os.environ.get("EHC_SCREENSHOTS", "/tmp/ehc-screenshots"))  # noqa: S108

#: What sticks out past the window, outside the tables' own scrolling boxes (a failure's message).
WIDE_ELEMENTS = """[...document.querySelectorAll('main *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.right > window.innerWidth + 1 && !e.closest('.app-table-scroll');
  }).map(e => e.tagName + '.' + e.className + ' in #' + (e.closest('[id]') || {}).id)
  .slice(0, 10)"""

SUMMARY = {
    "needs": "Finds it hard to follow spoken instructions.\nReads well below the expected level.",
    "outcomes_sought": "Follows three-part instructions in class by July.",
    "provision": "Speech and language therapy for language understanding.",
}


def _case_in_drafting(user, today):
    received = today - datetime.timedelta(days=150)
    case = make_case(actor=user, received_on=received, today=today)
    case = case_transition(
        actor=user,
        case=case,
        transition="agree_to_assess",
        effective_date=received + datetime.timedelta(days=40),
        today=today,
        details=advice_chosen(),
    )
    ep = case.advice_requests.get(kind="educational_psychology")
    member = partner(ep.service)
    on = received + datetime.timedelta(days=45)
    ep = advice_request_transition(actor=member, advice=ep, transition="accept", today=on)
    advice_request_submit(actor=member, advice=ep, document=upload(), today=on, **SUMMARY)
    return case_transition(
        actor=user,
        case=case,
        transition="agree_to_issue",
        effective_date=today - datetime.timedelta(days=30),
        today=today,
    )


def _fill_date(scope, date):
    scope.get_by_label("Day").fill(str(date.day))
    scope.get_by_label("Month").fill(str(date.month))
    scope.get_by_label("Year").fill(str(date.year))


def _step(checked, page, case, label, date):
    checked.goto(f"/cases/{case.reference}/")
    page.locator("summary", has_text=label).click()
    form = page.locator("form", has=page.get_by_role("button", name=label))
    _fill_date(form, date)
    confirm = form.locator("input[type=checkbox][name$=confirm]")
    if confirm.count():  # an irreversible step asks to be confirmed (issue 13 item 7)
        confirm.first.check()
    form.get_by_role("button", name=label).click()
    page.wait_for_url(f"**/cases/{case.reference}/")
    checked.check_accessibility()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "Success" in banner
    assert f"{date.day} {date:%B %Y}" in banner  # a sentence saying what was done, and when


def _save(checked, page):
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    checked.check_accessibility()


def test_a_caseworker_takes_a_plan_from_draft_to_final(checked_page):
    user = caseworker()
    today = timezone.localdate()
    case = _case_in_drafting(user, today)
    page = checked_page.page
    checked_page.goto("/")
    sign_in(page, user.username, "a-test-password")

    # Start the plan; section K lists the advice.
    checked_page.goto(f"/plans/{case.reference}/")
    page.get_by_role("button", name="Start the plan").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    assert "Educational psychology advice" in page.locator("#advice + ul").inner_text()

    # Draft from the advice: a need, an outcome and provision, each from a summary line.
    checked_page.goto(f"/plans/{case.reference}/from-advice/")
    page.get_by_role("link", name="Use as provision").first.click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    page.get_by_label("Who delivers it").fill("Speech and language therapist")
    page.get_by_label("How often: number of times").fill("1")
    page.get_by_label("How often: per").select_option("week")
    page.get_by_label("How long each time, in minutes").fill("30")
    page.get_by_label("Group size (1 for one to one)").fill("1")
    _save(checked_page, page)

    checked_page.goto(f"/plans/{case.reference}/from-advice/")
    page.get_by_role("link", name="Use as an outcome").first.click()
    page.wait_for_load_state()
    _save(checked_page, page)

    checked_page.goto(f"/plans/{case.reference}/from-advice/")
    page.get_by_role("link", name="Use as a need").first.click()
    page.wait_for_load_state()
    page.get_by_label("Communication and interaction").check()
    page.locator("input[name=outcomes]").first.check()
    page.locator("input[name=provision]").first.check()
    _save(checked_page, page)
    assert "The need is saved" in page.locator(".govuk-notification-banner").inner_text()

    # Change the need: the form starts from it as it is, and a link can be unticked and ticked.
    need = Need.objects.get(plan__case=case)
    checked_page.goto(f"/plans/{case.reference}/need/{need.pk}/")
    assert page.get_by_label("Description of the need").input_value() == need.text
    page.locator("input[name=outcomes]").first.uncheck()
    _save(checked_page, page)
    assert not need.outcomes.exists()
    checked_page.goto(f"/plans/{case.reference}/need/{need.pk}/")
    page.locator("input[name=outcomes]").first.check()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "plan-need-change.png"), full_page=True)
    _save(checked_page, page)
    assert need.outcomes.count() == 1

    checked_page.goto(f"/plans/{case.reference}/sections/")
    page.get_by_label("The child's or young person's own views (section A)").fill(
        "I like trains. Noisy rooms are hard. I want to read on my own."
    )
    page.get_by_label("Type of school or setting (section I)").fill("Mainstream primary school")
    _save(checked_page, page)

    # The quality check: advice, not a block.
    checked_page.goto(f"/plans/{case.reference}/quality/")
    assert page.locator("h1").inner_text() == "Quality check"

    # Issue the draft, 20 days ago.
    _step(checked_page, page, case, "Issue the draft plan", today - datetime.timedelta(days=20))

    # Two comments from the family: one accepted, one not.
    for section, text in (
        ("F", "Please make therapy twice a week."),
        ("A", "Add his love of trains."),
    ):
        checked_page.goto(f"/plans/{case.reference}/comments/new/")
        page.get_by_label("Section of the plan").select_option(section)
        page.get_by_label("What the family said").fill(text)
        page.get_by_label("Email").check()
        _fill_date(page, today - datetime.timedelta(days=15))
        _save(checked_page, page)
    answers = page.locator("#comment-table").get_by_role("link", name="Answer")
    answers.first.click()
    page.wait_for_load_state()
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("What will change, or why it is not accepted").fill("Therapy twice a week.")
    _save(checked_page, page)
    page.locator("#comment-table").get_by_role("link", name="Answer").first.click()
    page.wait_for_load_state()
    page.get_by_label("Not accepted", exact=True).check()
    _save(checked_page, page)  # refused: no reason
    assert (
        "Give the reason the comment is not accepted."
        in page.locator(".govuk-error-summary").inner_text()
    )
    page.get_by_label("What will change, or why it is not accepted").fill(
        "It is already in section A."
    )
    _save(checked_page, page)

    # Consult a school and record its answer.
    checked_page.goto(f"/plans/{case.reference}/consultations/new/")
    page.get_by_label("School or college", exact=True).fill("Willowbrook Primary (synthetic)")
    _fill_date(page, today - datetime.timedelta(days=18))
    _save(checked_page, page)
    page.get_by_role("link", name="Record the answer").click()
    page.wait_for_load_state()
    page.get_by_label("Can meet the needs").check()
    _fill_date(page, today - datetime.timedelta(days=5))
    page.get_by_label("Evidence given").fill("Letter from the head teacher.")
    _save(checked_page, page)
    assert "Can meet the needs" in page.locator("#consultation-table").inner_text()

    # While the draft is out, the page at 320 px reflows too, the plan as it stands included.
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    checked_page.goto(f"/plans/{case.reference}/")
    assert page.locator("#preview").is_visible()
    page.screenshot(path=str(SHOTS / "plan-page-draft-320.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size(size)

    # Name the school, then issue the final plan.
    checked_page.goto(f"/plans/{case.reference}/sections/")
    page.get_by_label("School or setting to be named in the final plan (section I)").fill(
        "Willowbrook Primary (synthetic)"
    )
    _save(checked_page, page)
    _step(checked_page, page, case, "Issue the final plan", today)
    case.refresh_from_db()
    assert case.status == CaseStatus.FINAL_ISSUED
    final = PlanVersion.objects.get(plan__case=case, kind="final")
    assert FamilyComment.objects.get(answer="accepted").changed_in == final

    # The PDFs download.
    checked_page.goto(f"/plans/{case.reference}/")
    page.screenshot(path=str(SHOTS / "plan-page-final.png"), full_page=True)
    for number in (1, 2):
        with page.expect_download() as download:
            page.get_by_role("link", name=f"Download PDF of version {number}").click()
        path = download.value.path()
        with open(path, "rb") as handle:  # noqa: PTH123
            assert handle.read(5) == b"%PDF-"
    with page.expect_download() as download:
        page.locator("#letter-table").get_by_role("link", name="Download PDF").first.click()
    with open(download.value.path(), "rb") as handle:  # noqa: PTH123
        assert handle.read(5) == b"%PDF-"

    # On a phone (320 px) the page reflows: the wide tables scroll inside their own boxes.
    page.set_viewport_size({"width": 320, "height": 640})
    checked_page.goto(f"/plans/{case.reference}/")
    page.screenshot(path=str(SHOTS / "plan-page-final-320.png"), full_page=True)
    wide = page.evaluate(WIDE_ELEMENTS)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide

    # ... and so does the case page, its history and advice tables scrolling in their boxes.
    checked_page.goto(f"/cases/{case.reference}/")
    page.screenshot(path=str(SHOTS / "case-page-final-320.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
        page.evaluate(WIDE_ELEMENTS)
    )
