"""The sharing decision wizard in Chromium: question pages to a recorded decision, checked by axe.

Signs in as "fake.decide", a worker allocated to the seeded case and kept for this test alone, so
enrolling the authenticator is always the first sign-in.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    Served,
    axe_violations,
    describe,
    sign_in_and_enrol,
)

pytestmark = pytest.mark.browser

USERNAME = "fake.decide"  # allocated to the seeded case, used by no other test


def sign_in(page: Page, served: Served, username: str) -> None:
    sign_in_and_enrol(page, served, username)
    assert page.url == served.url("/"), page.url


def assert_accessible(page: Page, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


def answer(page: Page, label: str) -> None:
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Continue").click()


@pytest.mark.browser
def test_practitioner_walks_the_wizard_to_a_recorded_decision(page: Page, served: Served) -> None:
    sign_in(page, served, USERNAME)
    page.goto(served.url(f"/cases/{served.case_id}/"))
    page.get_by_role("link", name="Decide whether to share").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Why would the information be shared?"
    )
    assert_accessible(page, "question page")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "question page with errors")
    answer(page, "Child protection (section 47 enquiries)")

    page.get_by_label("Which agency would receive the information?").select_option(
        label="Testshire Constabulary"
    )
    page.get_by_role("button", name="Continue").click()
    answer(page, "Yes")  # clear and legitimate
    answer(page, "Yes")  # identifies a living person
    answer(page, "Yes")  # confidential
    answer(page, "Neither")
    answer(page, "Someone is in immediate danger")
    expect(page.get_by_text("Our records say: Consent not yet asked")).to_be_visible()
    answer(page, "Consent not yet asked")
    answer(page, "None of these")
    answer(page, "No")  # statutory duty
    answer(page, "No")  # advice

    expect(page.locator("#recommendation")).to_contain_text(
        "Refer to children's social care or police now"
    )
    expect(page.get_by_text("FC-01")).to_be_visible()
    assert_accessible(page, "recommendation page")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your decision")
    page.fill("#id_reasons", "Fakechild said she was afraid to go home tonight.")
    page.fill("#id_what_to_share", "What Fakechild said, when, and who heard it.")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before recording your decision"
    )
    assert_accessible(page, "check your answers")
    page.get_by_role("button", name="Record decision").click()

    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Decision recorded")
    page.get_by_role("link", name="View the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sharing decision: Refer to children's social care or police now"
    )
    assert_accessible(page, "decision page")
