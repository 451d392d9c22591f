"""The browser test harness: Playwright drives Debian's chromium against pytest-django's
live server, and axe-core checks every page a test visits.

Playwright's sync API runs an event loop in the test's thread, which Django's async-safety
check would otherwise take for async code touching the database (the live server and the test
share the database): DJANGO_ALLOW_ASYNC_UNSAFE is set for these tests only.

Signing in: every user passes a second factor (security.middleware). Browser tests sign in
through the real pages with ONE helper, `sign_in(page, username, password)`: it fills the
sign-in form, then the second-factor page with the current code of the user's authenticator
(made for them if they have none), read with django_otp.oath as a phone app would. Use it
for every browser sign-in:

    from tests.browser.conftest import sign_in
    sign_in(checked_page.page, user.username, "a-test-password")
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import totp

from cases.roles import ALL_ROLES
from tests.conftest import verified_device

CHROMIUM = Path(os.environ.get("EHC_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Issue 14: moderate findings (a back link outside any landmark, say) fail too.
BLOCKING_IMPACTS = {"moderate", "serious", "critical"}
CHROMIUM_MISSING = (
    f"The browser tests need Debian's chromium at {CHROMIUM}: run `make test` (it installs it) "
    "or `apt-get install -y chromium`."
)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(CHROMIUM_MISSING)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def role_groups(transactional_db):
    """Transactional tests flush the tables, and with them the groups migration 0002 made."""
    for role in ALL_ROLES:
        Group.objects.get_or_create(name=role)


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the sign-in page and the second-factor page (see the docstring)."""
    user = get_user_model().objects.get(username=username)
    device = verified_device(user)
    # A code is accepted once per time step: let a test sign the same user in again.
    type(device).objects.filter(pk=device.pk).update(last_t=-1)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/**")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Code from your authenticator app").fill(f"{code:0{device.digits}d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


class CheckedPage:
    """A Playwright page that runs axe-core on every page it loads and keeps what it found."""

    def __init__(self, page, base_url, *, run_axe=True):
        self.page = page
        self.base_url = base_url
        self.run_axe = run_axe
        self.axe = Axe()
        self.checked = []

    def check_accessibility(self):
        if not self.run_axe:
            return  # axe-core is JavaScript: a page with JavaScript off is checked with it on
        # After a click the next page may still be loading: check the page, not the gap.
        self.page.wait_for_load_state("load")
        results = self.axe.run(self.page)
        blocking = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"{[node['target'] for node in violation['nodes']]}"
            for violation in results.response["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        self.checked.append(self.page.url)
        assert not blocking, f"axe-core on {self.page.url}:\n" + "\n".join(blocking)

    def goto(self, path):
        self.page.goto(self.base_url + path)
        self.check_accessibility()


@pytest.fixture
def checked_page_with(browser, live_server, role_groups):
    """Open a page in a fresh browser context (for example with JavaScript disabled)."""
    contexts = []

    def open_page(**context_options):
        context = browser.new_context(base_url=live_server.url, **context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return CheckedPage(
            page, live_server.url, run_axe=context_options.get("java_script_enabled", True)
        )

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def checked_page(checked_page_with):
    return checked_page_with()
