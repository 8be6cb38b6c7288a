"""Answering a request in Chromium, checked by axe: the child is named in the inbox and on the
request, the NHS number shows in groups of 3, 3 and 4 digits, and the requester is preselected
as the recipient of the answer.

The answerer ("fake.answerer") is kept for this test alone: the seed gives them their own case,
request, agreement and approved decision, so the sign-in is their first and enrols the
authenticator.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served, axe_violations, describe, sign_in_and_enrol
from tests.browser.seed import (
    ANSWER_CHILD,
    ANSWER_NHS_NUMBER,
    ANSWER_NHS_SHOWN,
    ANSWER_SUMMARY,
    ANSWERER,
    REQUESTER_AGENCY,
    REQUESTER_NAME,
)

pytestmark = pytest.mark.browser


def assert_accessible(page: Page, name: str) -> None:
    """No WCAG 2.0/2.1/2.2 A or AA violation at all: the threshold of test_accessibility.py."""
    violations = axe_violations(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


@pytest.mark.browser
def test_answering_a_request_names_the_child_and_preselects_the_requester(
    page: Page, served: Served
) -> None:
    sign_in_and_enrol(page, served, ANSWERER)
    assert page.url == served.url("/"), page.url
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Requests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests to us")
    row = page.get_by_role("row").filter(has_text=ANSWER_CHILD)
    expect(row).to_contain_text(f"{REQUESTER_NAME}, {REQUESTER_AGENCY}")
    assert_accessible(page, "requests inbox naming the child")
    row.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Request for information")
    summary = page.locator(".govuk-summary-list")
    expect(summary).to_contain_text(f"NHS number {ANSWER_NHS_SHOWN}")
    expect(summary).to_contain_text(ANSWER_CHILD)
    expect(page.locator("main")).not_to_contain_text(ANSWER_NHS_NUMBER)
    assert_accessible(page, "the request")
    page.get_by_role("link", name="share under this decision").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Who will receive it?")
    expect(page.get_by_label(REQUESTER_NAME)).to_be_checked()
    expect(page.get_by_label("Testy Colleague")).not_to_be_checked()
    assert_accessible(page, "the recipient, preselected")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What will you share?")
    page.get_by_label(ANSWER_SUMMARY, exact=False).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Redactions and reasons")
    expect(page.get_by_label("Withhold the source (who the information came from)")).to_be_visible()
    assert_accessible(page, "redactions and reasons")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()  # keep it as long as the agreement allows
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview as recipient")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check what you are sharing")
    answers = page.locator(".govuk-summary-list")
    expect(answers).to_contain_text(f"{ANSWER_CHILD}, date of birth 5 May 2019")
    expect(answers).to_contain_text(f"about NHS number {ANSWER_NHS_SHOWN}")
    expect(answers).to_contain_text(f"{REQUESTER_NAME}, {REQUESTER_AGENCY}")
    assert_accessible(page, "check what you are sharing, answering a request")
    page.get_by_role("button", name="Share information").click()

    panel = page.locator(".govuk-panel--confirmation")
    expect(panel).to_contain_text("Information shared")
    expect(panel).to_contain_text(f"With {REQUESTER_NAME}, {REQUESTER_AGENCY}")
