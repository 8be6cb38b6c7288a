"""The idle timeout warning (WCAG 2.2.1 Timing adjustable), in Chromium, on Playwright's clock.

The browser's clock is fast-forwarded; the server's is not, so "Stay signed in" is checked by the
keep-alive request it makes, and the timeout by the page signing out and landing on the sign-in
page with the idle notice.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served, axe_violations, describe, sign_in_and_enrol

pytestmark = pytest.mark.browser

USERNAME = "fake.timeout"  # used by no other test
IDLE_MS = settings.SAFESHARE_SESSION_IDLE_SECONDS * 1000
WARN_MS = settings.SAFESHARE_SESSION_WARN_SECONDS * 1000


@pytest.mark.browser
def test_verified_practitioner_is_warned_and_can_stay_signed_in(page: Page, served: Served) -> None:
    page.clock.install()
    sign_in_and_enrol(page, served, USERNAME)
    assert page.url == served.url("/")

    dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
    heading = dialog.get_by_role("heading", name="You will be signed out soon")
    live = dialog.locator("[aria-live=polite]")
    footer_link = page.get_by_role("link", name="Accessibility statement")
    footer_link.focus()
    expect(dialog).to_be_hidden()

    # Just before the warning: still nothing.
    page.clock.fast_forward(IDLE_MS - WARN_MS - 5_000)
    expect(dialog).to_be_hidden()

    page.clock.fast_forward(6_000)
    expect(dialog).to_be_visible()
    expect(heading).to_be_focused()
    expect(dialog).to_contain_text("You will be signed out in 2 minutes.")
    expect(live).to_have_text("")  # the dialog's description says it once; no repeat yet

    violations = axe_violations(page)
    assert violations == [], f"timeout warning:\n{describe(violations)}"

    # The countdown moves every second; the live region speaks at most once a minute.
    page.clock.run_for(30_000)
    expect(dialog).to_contain_text("You will be signed out in 2 minutes.")
    expect(live).to_have_text("")
    page.clock.run_for(31_000)
    expect(dialog).to_contain_text(" seconds.")
    expect(live).to_contain_text("You will be signed out in")

    with page.expect_response("**/session/keep-alive/") as answer:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert answer.value.status == 204
    assert answer.value.request.method == "POST"
    assert answer.value.request.header_value("x-csrftoken")
    expect(dialog).to_be_hidden()
    expect(footer_link).to_be_focused()

    # The timer restarted: no warning until the full idle period less the warning has passed.
    page.clock.fast_forward(IDLE_MS - WARN_MS - 5_000)
    expect(dialog).to_be_hidden()
    page.clock.fast_forward(6_000)
    expect(dialog).to_be_visible()

    # Escape also means "stay signed in".
    with page.expect_request("**/session/keep-alive/"):
        page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # Doing nothing at all until the time is up signs out and explains why.
    page.clock.fast_forward(IDLE_MS + 1_000)
    page.wait_for_url(served.url("/sign-in/?expired=idle"))
    expect(page.locator("main")).to_contain_text("You were signed out because you had not done")
    expect(page.get_by_role("alertdialog")).to_have_count(0)

    # The session really ended on the server.
    page.goto(served.url("/"))
    assert page.url.startswith(served.url("/sign-in/"))
