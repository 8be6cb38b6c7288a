"""Approving a decision to share without consent, and the GOV.UK date input, in Chromium.

A team manager (a designated safeguarding lead) finds the decision in "Your work", opens it and
approves it with the form at the top of the page; until then the social worker who made it sees
"Awaiting approval", who can approve and by when, instead of a way to share; afterwards they can
share. The seed (``_seed_approval_journey``) gives both their own agency, so each sign-in is the
user's first and enrols the authenticator, and no other test's pages change. Every page is
checked by axe-core: no WCAG 2.0/2.1/2.2 A or AA violation at all.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Served, axe_violations, describe, sign_in_and_enrol
from tests.browser.seed import (
    APPROVAL_CHILD,
    APPROVAL_WORKER,
    APPROVER,
    APPROVER_NAME,
    DATE_CHILD,
    DATE_WORKER,
)

pytestmark = pytest.mark.browser


def assert_accessible(page: Page, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    return context.new_page()


def test_team_manager_approves_from_your_work_and_the_worker_can_then_share(
    page: Page, browser: Browser, served: Served
) -> None:
    # The team manager signs in and finds the decision in "Your work".
    sign_in_and_enrol(page, served, APPROVER)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name=re.compile(r"^Your work")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=APPROVAL_CHILD)
    expect(row).to_contain_text("Approve or decline: ")
    expect(row).not_to_contain_text("No deadline")
    expect(row).not_to_contain_text("p.m.")
    assert_accessible(page, "your work, with a decision to approve")
    row.get_by_role("link").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Sharing decision: "))
    approve = page.locator("#approve")
    expect(approve).to_contain_text("It needs your approval by")
    # The form comes before the decision it is about, not mid-way down the page.
    form_top = approve.locator("form").bounding_box()
    decision_top = page.locator("#the-decision").bounding_box()
    assert form_top is not None
    assert decision_top is not None
    assert form_top["y"] < decision_top["y"]
    assert form_top["y"] < 900, "the approval form is not in the first screen"
    assert_accessible(page, "decision page for the approver")
    decision_url = page.url

    # Meanwhile the social worker sees "Awaiting approval", with who and by when; no share.
    worker = _new_page(browser)
    sign_in_and_enrol(worker, served, APPROVAL_WORKER)
    worker.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases").click()
    worker.get_by_role("link", name=APPROVAL_CHILD).click()
    worker.get_by_role("link", name="Sharing decisions").click()
    worker.locator(".govuk-table__body").get_by_role("link").first.click()
    assert worker.url == decision_url
    waiting = worker.locator("#awaiting-approval")
    expect(waiting).to_contain_text("Awaiting approval")
    expect(waiting).to_contain_text(f"{APPROVER_NAME} (the designated safeguarding lead")
    expect(waiting).to_contain_text(re.compile(r"can approve it, by \d{1,2} \w+ \d{4}, "))
    expect(worker.get_by_role("button", name="Share under this decision")).to_have_count(0)
    expect(worker.get_by_role("link", name="Share under this decision")).to_have_count(0)
    assert_accessible(worker, "decision page awaiting approval")

    # The manager approves with the form the page rendered, the error summary first.
    approve.get_by_role("button", name="Save approval").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Select whether you approve the decision")
    assert_accessible(page, "approval with an error")
    page.locator("#approve").get_by_label("Yes, approve it").check()
    page.locator("#approve").get_by_role("button", name="Save approval").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Decision approved")
    expect(page.locator("#approval").locator("xpath=following-sibling::p[1]")).to_contain_text(
        f"Approved by {APPROVER_NAME} on"
    )
    expect(page.locator("#approve")).to_have_count(0)
    assert_accessible(page, "approved decision")

    # The social worker can now share under the decision.
    worker.reload()
    expect(worker.locator("#awaiting-approval")).to_have_count(0)
    worker.get_by_role("button", name="Share under this decision").click()
    expect(worker.get_by_role("heading", level=1)).to_have_text("Who will receive it?")
    assert_accessible(worker, "first page of sharing")
    worker.context.close()


def test_date_of_birth_in_three_boxes_with_gov_uk_errors(
    page: Page, browser: Browser, served: Served
) -> None:
    sign_in_and_enrol(page, served, DATE_WORKER)
    page.goto(served.url("/cases/new/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a case for a new child")
    given, family = DATE_CHILD.split()
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill(family)
    page.get_by_role(
        "group", name=re.compile("Do you know the child's date of birth")
    ).get_by_label("Yes").check()
    born = page.get_by_role("group", name=re.compile(r"^Date of birth"))
    expect(born).to_contain_text("For example, 27 3 ")
    born.get_by_label("Day").fill("31")
    born.get_by_label("Month").fill("2")
    born.get_by_label("Year").fill("2019")
    page.get_by_role("group", name="Sex").get_by_label("Not recorded").check()
    page.get_by_role("group", name="Case status").get_by_role("radio").first.check()
    page.get_by_role("button", name="Open case").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Date of birth must be a real date")
    expect(link).to_have_attribute("href", "#id_date_of_birth-day")
    assert page.title().startswith("Error: ")
    expect(born.locator(".govuk-error-message")).to_contain_text(
        "Date of birth must be a real date"
    )
    expect(born.get_by_label("Day")).to_have_value("31")  # what was typed is kept
    assert_accessible(page, "open a case, with a date error")
    link.click()
    expect(born.get_by_label("Day")).to_be_focused()

    # A month left out is named; then a real date opens the case.
    born.get_by_label("Day").fill("4")
    born.get_by_label("Month").fill("")
    page.get_by_role("button", name="Open case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Date of birth must include a month"
    )
    expect(
        page.locator(".govuk-error-summary").get_by_role("link", name=re.compile("month"))
    ).to_have_attribute("href", "#id_date_of_birth-month")
    born.get_by_label("Month").fill("3")
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DATE_CHILD)
    expect(page.locator("main")).to_contain_text("4 March 2019")
    assert_accessible(page, "the new case")
