"""Issue 14: every page of each role, as that role sees it, in the browser.

For each role (caseworker, panel chair, partner, manager) a demo borough is seeded, the role's
demo login signs in, and every page reachable from the navigation and the links on its pages
is opened (a few of each kind: one case page stands for all). Each page must pass axe (serious
and moderate findings fail: tests/browser/conftest.py) and show, in its visible text:

- no raw status code or step name (`draft_issued`, `agree_to_assess`): people read words;
- no username where a name belongs (`demo.caseworker`, `cw.elin`): people's names;
- none of Django's default error texts ("This field is required.", "Enter a valid date.").

The forms each role uses most are also sent empty once, so their error texts are checked too.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from advice_requests.models import AdviceRequest, AdviceStatus
from cases.demo import DEMO_PASSWORD
from cases.models import Case, CaseStatus
from demo.borough import seed_demo
from panels.models import ItemSource, ItemStatus, MeetingStatus, Outcome, PanelMeeting
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

#: Django's own error texts: a page shows the field's own words instead.
DJANGO_DEFAULT_ERRORS = (
    "This field is required.",
    "Enter a valid date.",
    "Enter a valid time.",
    "Enter a whole number.",
    "Enter a number.",
    "Enter a valid email address.",
    "Select a valid choice.",
    "Ensure this value has",
    "The submitted file is empty.",
    "No file was submitted.",
)
#: The most pages a crawl opens, and how many of one kind (one case page stands for all).
MAX_PAGES = 45
PER_KIND = 2
#: Never followed: downloads, signing out, the Django admin (its own interface), the API.
SKIP = re.compile(
    r"(\.csv$|/document/|/documents/\d+/$|/pdf/$|/accounts/logout|^/admin/|^/api/|/print/$)"
)
#: Query strings that ask for a download rather than a page.
SKIP_QUERY = re.compile(r"(^|&)(format|download)=")


def raw_codes() -> set[str]:
    """Every multi-word internal code a page could leak: statuses, outcomes, steps."""
    codes = set()
    for choices in (CaseStatus, AdviceStatus, MeetingStatus, ItemStatus, Outcome, ItemSource):
        codes |= {value for value in choices.values if "_" in value}
    codes |= {
        transition.name
        for transition in Case._meta.get_field("status").get_all_transitions(Case)
        if "_" in transition.name
    }
    return codes


def kind_of(path: str) -> str:
    """/cases/EHC-2026-00012/ and /cases/EHC-2026-00013/ are one kind of page."""
    path = re.sub(r"[A-Z]+-\d{4}-\d{5}", "REF", path)
    return re.sub(r"\d+", "N", path)


def problems_on(page, codes: set[str], usernames: set[str]) -> list[str]:
    text = page.locator("body").inner_text()
    # An email address is contact information, not a name shown as a username.
    text = re.sub(r"\S+@\S+", "", text)
    found = [f"raw code {code!r}" for code in codes if re.search(rf"\b{code}\b", text)]
    found += [
        f"username {name!r}" for name in usernames if re.search(rf"\b{re.escape(name)}\b", text)
    ]
    found += [f"Django's {message!r}" for message in DJANGO_DEFAULT_ERRORS if message in text]
    return found


def links_on(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(link => link.href)"
    )
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if (
            not href.startswith(base_url)
            or SKIP.search(parts.path)
            or SKIP_QUERY.search(parts.query)
        ):
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def crawl(checked, *, codes, usernames) -> dict[str, list[str]]:
    """Open every page reachable from the start page (PER_KIND of each kind), check each."""
    page = checked.page
    base = checked.base_url
    queue, seen, kinds, findings = ["/"], set(), Counter(), {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        kind = kind_of(path.split("?")[0]) + ("?" if "?" in path else "")
        if path in seen or kinds[kind] >= PER_KIND:
            continue
        seen.add(path)
        kinds[kind] += 1
        try:
            response = page.goto(base + path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a link to a file (a CSV or a PDF), not a page
            raise
        assert response.status < 400, f"{path}: HTTP {response.status}"
        checked.check_accessibility()
        found = problems_on(page, codes, usernames)
        if found:
            findings[page.url.removeprefix(base)] = found
        queue.extend(link for link in links_on(page, base) if link not in seen)
    return findings


def submit_empty(checked, path: str, button: str, *, codes, usernames) -> list[str]:
    """Send a form with nothing filled in: its errors must be in the page's own words."""
    page = checked.page
    page.goto(checked.base_url + path)
    page.get_by_role("button", name=button).first.click()
    page.wait_for_load_state()
    checked.check_accessibility()
    return problems_on(page, codes, usernames)


@pytest.fixture
def borough(role_groups):
    today = timezone.localdate()
    seed_demo(cases=24, today=today)
    return {
        "today": today,
        "codes": raw_codes(),
        "usernames": set(
            get_user_model()
            .objects.filter(username__contains=".")
            .values_list("username", flat=True)
        ),
    }


def signed_in(checked_page, username):
    sign_in(checked_page.page, username, DEMO_PASSWORD)
    checked_page.check_accessibility()
    return checked_page


#: Pages whose findings another branch of issue 14 fixes (usability-cases: the case page's
#: history and names, the manager's dashboard). Findings there are reported (xfail), not failed,
#: until that branch is merged: then empty this (the lead's step at merge).
#: Pages whose findings are fixed on a branch not merged yet (none: both halves of issue 14
#: are merged).
PENDING_ELSEWHERE: dict[str, str] = {}


def assert_clean(findings: dict[str, list[str]]):
    pending = {
        path: found for path, found in findings.items() if kind_of(path) in PENDING_ELSEWHERE
    }
    failing = {path: found for path, found in findings.items() if path not in pending}
    report = "\n".join(f"{path}: {', '.join(found)}" for path, found in failing.items())
    assert not failing, report
    if pending:
        pytest.xfail(
            "fixed on another branch: "
            + "; ".join(f"{path}: {', '.join(found)}" for path, found in pending.items())
        )


def test_every_caseworker_page(checked_page, borough):
    checked = signed_in(checked_page, "demo.caseworker")
    findings = crawl(checked, codes=borough["codes"], usernames=borough["usernames"])
    assert len(checked.checked) > 8
    assert_clean(findings)


def test_every_panel_chair_page(checked_page, borough):
    checked = signed_in(checked_page, "demo.chair")
    findings = crawl(checked, codes=borough["codes"], usernames=borough["usernames"])
    assert any("/panels/meetings/" in url for url in checked.checked)
    assert any("/outcome/" in url for url in checked.checked)  # a decision page
    held = PanelMeeting.objects.filter(status=MeetingStatus.PUBLISHED).order_by("date").first()
    item = held.items.filter(status=ItemStatus.LISTED).first()
    for path, button in (
        (f"/panels/meetings/{held.pk}/", "Save attendance"),
        (f"/panels/meetings/{held.pk}/items/{item.pk}/outcome/", "Record decision"),
    ):
        found = submit_empty(checked, path, button, **_words(borough))
        if found:
            findings[f"{path} (sent empty)"] = found
    scheduled = PanelMeeting.objects.filter(
        status=MeetingStatus.SCHEDULED, date__gt=borough["today"]
    ).first()
    found = submit_empty(
        checked, f"/panels/meetings/{scheduled.pk}/", "Add to agenda", **_words(borough)
    )
    if found:
        findings["add a case (sent empty)"] = found
    assert_clean(findings)


def test_every_partner_page(checked_page, borough):
    checked = signed_in(checked_page, "demo.partner.ep")
    findings = crawl(checked, codes=borough["codes"], usernames=borough["usernames"])
    assert any("view=done" in url for url in checked.checked)
    assert any(re.search(r"/advice/\d+/", url) for url in checked.checked)
    accepted = AdviceRequest.objects.filter(
        service__memberships__user__username="demo.partner.ep", status=AdviceStatus.ACCEPTED
    ).first()
    if accepted is not None:
        found = submit_empty(checked, f"/advice/{accepted.pk}/", "Submit advice", **_words(borough))
        if found:
            findings["submission form (sent empty)"] = found
    assert_clean(findings)


def test_every_manager_page(checked_page, borough):
    checked = signed_in(checked_page, "demo.manager")
    findings = crawl(checked, codes=borough["codes"], usernames=borough["usernames"])
    assert any("/reports/" in url for url in checked.checked)
    assert_clean(findings)


def _words(borough):
    return {"codes": borough["codes"], "usernames": borough["usernames"]}


def test_the_checks_find_what_they_look_for():
    """The checks themselves, on text that has each problem (so the crawl cannot pass by
    checking nothing)."""

    class Page:
        def __init__(self, text):
            self.text = text

        def locator(self, _):
            return self

        def inner_text(self):
            return self.text

    codes = raw_codes()
    assert {"draft_issued", "agree_to_assess"} <= codes
    assert problems_on(Page("A case that is 'draft_issued'"), codes, set())
    assert problems_on(Page("Recorded by cw.elin"), codes, {"cw.elin"})
    assert problems_on(Page("This field is required."), codes, set())
    assert not problems_on(Page("Draft plan issued by Elin Jones"), codes, {"cw.elin"})
    assert kind_of("/cases/EHC-2026-00012/") == kind_of("/cases/EHC-2026-00913/")


def test_a_finding_on_any_page_fails():
    """Nothing is let through now that both halves of issue 14 are merged."""
    with pytest.raises(AssertionError):
        assert_clean({"/panels/": ["username 'cw.elin'"]})
    with pytest.raises(AssertionError):
        assert_clean({"/cases/EHC-2026-00001/": ["username 'cw.elin'"]})
    assert_clean({})
