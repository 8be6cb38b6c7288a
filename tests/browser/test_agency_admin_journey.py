"""An agency administrator, in Chromium, through the pages' own forms: removes a role from a
manager who changed job, deactivates them when they leave, and reactivates them with only the
role chosen again; the error summary on a missing reason; no WCAG A/AA violations on any page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served, axe_violations, describe, sign_in_and_enrol
from tests.browser.seed import AGENCY_ADMIN, LEAVER_NAME

pytestmark = pytest.mark.browser


def assert_accessible(page: Page, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


def roles_shown(page: Page) -> str:
    row = page.locator(".govuk-summary-list__row", has_text="Roles")
    return row.locator(".govuk-summary-list__value").inner_text()


@pytest.mark.browser
def test_agency_admin_removes_a_role_deactivates_and_reactivates(
    page: Page, served: Served
) -> None:
    sign_in_and_enrol(page, served, AGENCY_ADMIN)
    page.goto(served.url("/practitioners/"))
    page.get_by_role("link", name=LEAVER_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LEAVER_NAME)
    assert "Designated safeguarding lead" in roles_shown(page)
    assert_accessible(page, "practitioner page")

    # Remove the DSL role: the confirm page asks why; without an answer, the error summary.
    page.get_by_role("link", name="Remove the role Designated safeguarding lead or manager").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remove the role")
    page.get_by_role("button", name="Remove role").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select why you are removing this role"
    )
    assert_accessible(page, "remove a role, with errors")
    page.get_by_label("They have changed job or team").check()
    page.get_by_role("button", name="Remove role").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LEAVER_NAME)
    assert "Designated safeguarding lead" not in roles_shown(page)
    expect(
        page.get_by_role(
            "table", name="Roles removed, deactivations and reactivations, newest first"
        )
    ).to_contain_text("They have changed job or team")

    # Deactivate: they are signed out and lose every role.
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate this practitioner")
    assert_accessible(page, "deactivate")
    page.get_by_label("They have left the agency").check()
    page.get_by_label("Note").fill("Last day was Friday")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Deactivated")
    assert roles_shown(page) == "None"

    # Reactivate: no role is ticked; only the one chosen comes back.
    page.get_by_role("button", name="Reactivate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reactivate this practitioner")
    expect(page.get_by_label("Designated safeguarding lead or manager")).not_to_be_checked()
    assert_accessible(page, "reactivate")
    page.get_by_label("They have come back to work").check()
    page.get_by_label("Practitioner", exact=True).check()
    page.get_by_role("button", name="Reactivate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LEAVER_NAME)
    shown = roles_shown(page)
    assert "Practitioner" in shown
    assert "Designated safeguarding lead" not in shown
