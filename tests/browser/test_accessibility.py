"""axe-core finds no WCAG 2.0/2.1/2.2 A or AA violations on the main pages, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    Served,
    axe_violations,
    describe,
    enrol_and_verify,
    sign_in_and_enrol,
    submit_password,
)

pytestmark = pytest.mark.browser


def assert_accessible(page: Page, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


@pytest.mark.browser
def test_sign_in_and_enrolment_pages_are_accessible(page: Page, served: Served) -> None:
    page.goto(served.url("/sign-in/"))
    assert_accessible(page, "sign-in")

    submit_password(page, served, "fake.enrol")
    expect(page.locator("#totp-secret")).to_be_visible()
    assert_accessible(page, "two-factor set-up")

    enrol_and_verify(page)
    assert page.url == served.url("/")


@pytest.mark.browser
def test_casework_pages_are_accessible(page: Page, served: Served) -> None:
    sign_in_and_enrol(page, served, "fake.a11y")
    assert_accessible(page, "dashboard")

    page.goto(served.url("/cases/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    assert_accessible(page, "case list")

    page.goto(served.url(f"/cases/{served.case_id}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(served.child_name)
    assert_accessible(page, "case page")

    page.goto(served.url(f"/cases/{served.case_id}/items/new/"))
    page.get_by_role("button", name="Record information").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "item form with errors")

    page.goto(served.url("/cases/new/"))
    page.get_by_role("button", name="Open case").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "new case form with errors")

    page.goto(served.url("/people/?q=Testington"))
    assert_accessible(page, "person search")
    page.get_by_role("link", name="Fakeparent Testington").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fakeparent Testington")
    assert_accessible(page, "person page")
