"""Sharing under a recorded decision, then receiving it, in Chromium, checked by axe.

The sharer ("fake.sharer") and the police officer ("fake.police") are kept for this test alone:
the seed gives them their own case, agreement and approved decision, so each sign-in is the
user's first and enrols the authenticator.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Served, axe_violations, describe, sign_in_and_enrol
from tests.browser.seed import (
    OFFICER_NAME,
    POLICE_AGENCY,
    POLICE_OFFICER,
    SHARED_CHILD,
    SHARED_CONTENT,
    SHARED_SUMMARY,
    SHARER,
)

pytestmark = pytest.mark.browser

READ_BACK = "Fakeshare keeps missing nursery and nobody can reach the family."


def assert_accessible(page: Page, name: str) -> None:
    """No WCAG 2.0/2.1/2.2 A or AA violation at all: the threshold of test_accessibility.py."""
    violations = axe_violations(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


def share_the_item(page: Page, served: Served) -> None:
    """The sharer opens the approved decision and issues its one item to the named officer."""
    sign_in_and_enrol(page, served, SHARER)
    assert page.url == served.url("/"), page.url
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases").click()
    page.get_by_role("link", name=SHARED_CHILD).click()
    page.get_by_role("link", name="Sharing decisions").click()
    page.locator(".govuk-table__body").get_by_role("link").click()
    page.get_by_role("button", name="Share under this decision").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Who will receive it?")
    assert_accessible(page, "choose the recipient")
    page.get_by_label(OFFICER_NAME).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What will you share?")
    page.get_by_label(SHARED_SUMMARY, exact=False).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Redactions and reasons")
    page.get_by_role("button", name="Continue").click()  # nothing to redact
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "When must the recipient delete it? (optional)"
    )
    page.get_by_role("button", name="Continue").click()  # as long as the agreement allows

    expect(page.get_by_role("heading", level=1)).to_have_text("Preview as recipient")
    expect(page.locator("#preview")).to_contain_text(SHARED_CONTENT)
    assert_accessible(page, "preview")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check what you are sharing")
    assert_accessible(page, "check what you are sharing")
    page.get_by_role("button", name="Share information").click()
    panel = page.locator(".govuk-panel--confirmation")
    expect(panel).to_contain_text("Information shared")
    expect(panel).to_contain_text(f"With {OFFICER_NAME}, {POLICE_AGENCY}")


def check_the_request_pages(page: Page) -> None:
    """The requests inbox and the first page of asking another agency, empty and with errors."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Requests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests to us")
    assert_accessible(page, "requests inbox")
    page.get_by_role("link", name="Ask another agency").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who are you asking?")
    assert_accessible(page, "ask another agency")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "ask another agency with errors")


def receive_and_read_back(page: Page, served: Served) -> None:
    """The officer finds the disclosure, acknowledges it, accepts the undertaking, reads back."""
    sign_in_and_enrol(page, served, POLICE_OFFICER)
    assert page.url == served.url("/"), page.url
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Disclosures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shared with me")
    page.get_by_role("row").filter(has_text=SHARED_CHILD).get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Information shared about {SHARED_CHILD}"
    )
    shared = page.locator("#disclosure-content")
    expect(shared).to_contain_text(SHARED_SUMMARY)
    expect(shared).to_contain_text(SHARED_CONTENT)
    assert_accessible(page, "the recipient's disclosure page")

    page.get_by_role("button", name="Acknowledge receipt").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Receipt acknowledged"
    )
    page.get_by_role("button", name="Read and accept the undertaking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The undertaking")
    page.get_by_role("button", name="I accept the undertaking").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Undertaking accepted"
    )
    page.get_by_role("button", name="Say what you understood").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What I understood")
    page.get_by_label("What I understood").fill(READ_BACK)
    page.get_by_role("button", name="Send to the sharer").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "the sharer will confirm or correct what you understood"
    )
    understood = page.locator(".govuk-summary-list__row").filter(
        has_text="What the recipient understood"
    )
    expect(understood).to_contain_text(READ_BACK)
    expect(page.locator("#disclosure-content")).to_contain_text(SHARED_CONTENT)


@pytest.mark.browser
def test_practitioner_shares_under_a_decision_and_the_police_officer_reads_it_back(
    page: Page, browser: Browser, served: Served
) -> None:
    share_the_item(page, served)
    check_the_request_pages(page)

    # The recipient, in a browser of their own.
    officer = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        receive_and_read_back(officer.new_page(), served)
    finally:
        officer.close()
