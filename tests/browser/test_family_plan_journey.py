"""A parent's whole journey in the browser (issue 16, "Tests it must have"), on a phone-sized
screen and a desktop one: they accept an invitation, sign in with the emailed code, read the
decision letter, give their views; later the draft plan comes, they comment on two sections of
it (and the caseworker is told, and follows the alert to the comments); later still, once the
caseworker has answered, they read the answers. axe-core on every
family page (nothing moderate or worse) and nothing wider than the screen."""

import datetime
import os
import re

import pytest
from django.core import mail
from django.utils import timezone

from cases.services import case_transition
from families import services as family_services
from plans import services as plan_services
from plans.letters import letter_mark_sent
from plans.models import FamilyComment, Plan
from tests.browser.conftest import sign_in
from tests.browser.test_family_portal import (
    DESKTOP,
    PASSWORD,
    SMALL_PHONE,
    _axe_strict,
    _no_sideways_scroll,
)
from tests.cases.factories import ChildFactory, advice_chosen, caseworker, make_case
from tests.families.factories import parent_of
from tests.plans.factories import write_plan

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "robin.lee@example.invalid"


def _send_letters(case, actor, today):
    for letter in case.letters.select_related("notice").filter(sent_on__isnull=True):
        letter_mark_sent(actor=actor, letter=letter, method="email", sent_on=today, today=today)


def _step(case, actor, transition, on, **kwargs):
    return case_transition(
        actor=actor,
        case=case,
        transition=transition,
        effective_date=on,
        reason="Synthetic test reason.",
        today=on,
        **kwargs,
    )


@pytest.mark.parametrize("viewport", [SMALL_PHONE, DESKTOP], ids=["small-phone", "desktop"])
def test_parent_reads_the_letter_gives_views_comments_on_the_draft_and_reads_the_answers(
    checked_page_with, viewport
):
    today = timezone.localdate()
    worker = caseworker(first_name="Elin", last_name="Hughes", email="elin.hughes@example.invalid")
    child = ChildFactory(first_name="Jordan")
    carer = parent_of(child, name="Robin Lee", email=EMAIL)
    case = make_case(actor=worker, child=child, received_on=today - datetime.timedelta(days=60))
    case = _step(
        case,
        worker,
        "agree_to_assess",
        today - datetime.timedelta(days=20),
        details=advice_chosen(),
    )
    _send_letters(case, worker, today - datetime.timedelta(days=19))
    _invitation, token = family_services.invitation_send(
        actor=worker, child=child, parent_carer=carer
    )

    # Accept the invitation and sign in with the code sent by email.
    family = checked_page_with(viewport=viewport)
    page = family.page
    family.goto(f"/family/invitation/{token}/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Enter the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/login/**")
    mail.outbox.clear()
    page.get_by_label("Username").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/family/sign-in/code/**")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Code from the email").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/family/")

    # The decision letter, from the request page.
    family.goto(f"/family/requests/{case.reference}/")
    _axe_strict(family)
    _no_sideways_scroll(page, "request-with-letter")
    letters = page.locator("#letters + ul")
    assert "Decision to assess" in letters.inner_text()
    with page.expect_download() as download:
        letters.get_by_role("link").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # Their views.
    page.get_by_role("button", name="Give your views").click()
    page.wait_for_url("**/your-views/")
    page.get_by_label("What does your child like, and what are they good at?").fill("Football.")
    page.get_by_label("What does your child find hard?").fill("Writing for a long time.")
    page.get_by_label("What does your child hope for, now and when they are older?").fill(
        "To be a coach."
    )
    page.get_by_label("What helps your child?").fill("Movement breaks.")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/your-views/check/")
    page.get_by_role("button", name="Send your views").click()
    page.wait_for_url("**/your-views/sent/")

    # Later: the panel agrees to issue a plan, the draft is served today with its letter.
    case = _step(case, worker, "agree_to_issue", today)
    write_plan(case, worker)
    case = _step(case, worker, "issue_draft", today)
    _send_letters(case, worker, today)

    family.goto(f"/family/requests/{case.reference}/")
    _axe_strict(family)
    assert "Draft plan" in page.locator("#letters + ul").inner_text()
    page.get_by_role("button", name="Read the draft plan").click()
    page.wait_for_url(f"**/family/requests/{case.reference}/plan/")
    _axe_strict(family)
    _no_sideways_scroll(page, "draft-plan")
    closes = today + datetime.timedelta(days=14)
    assert f"{closes.day} {closes:%B %Y}" in page.inner_text("main")

    # Nothing written: the error summary says what to do.
    page.get_by_role("button", name="Send your comments").click()
    page.wait_for_load_state()
    assert "Write a comment on at least one section" in page.inner_text(".govuk-error-summary")
    _axe_strict(family)

    page.get_by_label("Your comments on section B: Special educational needs").fill(
        "Jordan also finds loud rooms hard."
    )
    page.get_by_label("Your comments on section F: Special educational provision").fill(
        "We would like speech therapy twice a week."
    )
    page.get_by_label("The school or college you would like (optional)").fill(
        "Riverside Primary (synthetic)"
    )
    page.get_by_role("button", name="Send your comments").click()
    page.wait_for_url("**/plan/#your-comments")
    _axe_strict(family)
    _no_sideways_scroll(page, "draft-comments-sent")
    assert "We have your comments" in page.inner_text("main")
    assert page.locator("#family-comments .govuk-summary-card").count() == 3
    assert "Waiting for an answer" in page.inner_text("main")

    # The caseworker is told once for the batch; the alert leads to the comments to answer.
    # (On the smallest and the desktop screen.)
    staff = checked_page_with(viewport=viewport)
    sign_in(staff.page, worker.username, "a-test-password")
    staff.goto("/notifications/")
    _no_sideways_scroll(staff.page, "caseworker-inbox")
    subject = f"Case {case.reference}: the family responded to the draft plan online"
    staff.page.get_by_role("link", name=subject).click()
    staff.page.wait_for_url(f"**/plans/{case.reference}/#comments")
    staff.check_accessibility()
    if os.environ.get("EHC_SCREENSHOT_DIR"):  # a staff page: wide tables may scroll
        width = viewport["width"]
        staff.page.screenshot(
            path=f"{os.environ['EHC_SCREENSHOT_DIR']}/caseworker-plan-comments-{width}.png",
            full_page=True,
        )
    assert "Riverside Primary (synthetic)" in staff.page.inner_text("main")

    # Later still: the caseworker answers each one on the plan page.
    comments = {c.section: c for c in FamilyComment.objects.filter(plan__case=case)}
    assert set(comments) == {"B", "F", "I"}
    plan_services.comment_answer(
        actor=worker, comment=comments["B"], answer="accepted", answer_text="Added to section B."
    )
    plan_services.comment_answer(
        actor=worker,
        comment=comments["F"],
        answer="not_accepted",
        answer_text="The therapist's advice is once a week, reviewed after a term.",
    )
    plan_services.comment_answer(
        actor=worker,
        comment=comments["I"],
        answer="accepted",
        answer_text="We have asked Riverside Primary if it can meet Jordan's needs.",
    )
    page.reload()
    _axe_strict(family)
    _no_sideways_scroll(page, "draft-answers")
    main = page.inner_text("main")
    assert "Added to section B." in main
    assert "The therapist's advice is once a week, reviewed after a term." in main
    assert "We did not agree" in main
    assert "Waiting for an answer" not in main

    # A revised draft follows: version 2, with what changed in plain words.
    case = _step(case, worker, "revise_draft", today)
    plan = Plan.objects.get(case=case)
    therapy = plan.provision.get(what__startswith="Individual speech")
    plan_services.provision_save(
        actor=worker,
        plan=plan,
        what=therapy.what,
        delivered_by=therapy.delivered_by,
        qualification=therapy.qualification,
        frequency=2,
        frequency_unit="week",
        session_minutes=30,
        group_size=1,
        provision_id=therapy.pk,
    )
    case = _step(case, worker, "issue_draft", today)
    page.reload()
    assert "A new draft. Changes from version 1:" in page.inner_text("main")
    page.get_by_role("link", name="Read version 2 and what changed").click()
    page.wait_for_url("**/plan/versions/2/")
    _axe_strict(family)
    _no_sideways_scroll(page, "plan-version")
    changed = page.inner_text("main")
    assert "Section F, Special educational provision: 1 part added or rewritten." in changed
    assert "twice a week" in changed
