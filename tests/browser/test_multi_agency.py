"""The multi-agency picture in Chromium, as a MASH officer: the MASH dashboard and a contact,
identity search, the clerical review queue and a decision, and the pointer index; each page
passes axe-core's WCAG A and AA checks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served, axe_violations, describe, sign_in_and_enrol
from tests.browser.seed import MASH_OFFICER

pytestmark = pytest.mark.browser


def assert_accessible(page: Page, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


@pytest.mark.browser
def test_mash_officer_works_the_multi_agency_picture(page: Page, served: Served) -> None:
    sign_in_and_enrol(page, served, MASH_OFFICER)

    # MASH triage: the timescales dashboard with its chart, and the contact from the police.
    page.goto(served.url("/mash/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Timescales")
    expect(page.locator("svg").first).to_be_visible()
    assert_accessible(page, "MASH dashboard")
    page.goto(served.url("/mash/contacts/"))
    page.get_by_role("link", name=re.compile("Fakechild Testington")).first.click()
    expect(page.get_by_text("Police attended a domestic incident")).to_be_visible()
    assert_accessible(page, "MASH contact")

    # From the contact, search every agency's records for the child as the referrer gave her.
    page.get_by_role("button", name="Find this child across agencies").click()
    expect(page.get_by_role("table").first).to_be_visible()
    expect(page.get_by_text("Fakechild Testington").first).to_be_visible()
    assert_accessible(page, "identity search results")

    page.goto(served.url("/mash/contacts/new/"))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "record a contact, with errors")

    # Identity search from the navigation, with an error first.
    page.get_by_role("link", name="Find a child").click()
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "identity search with errors")
    page.get_by_label("Family name").fill("Testington")
    page.get_by_label("Given name").fill("Fakechild")
    born = page.get_by_role("group", name="Date of birth (optional)")  # the GOV.UK date input
    born.get_by_label("Day").fill("1")
    born.get_by_label("Month").fill("4")
    born.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("table").first).to_be_visible()

    # The clerical review queue: the GP's record with day and month swapped.
    assert served.pending_pairs == 1
    page.goto(served.url("/linkage/review/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "review queue")
    page.get_by_role("link", name=re.compile("Review", re.IGNORECASE)).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are these the same person?")
    expect(page.get_by_text("Day and month swapped")).to_be_visible()
    assert_accessible(page, "review pair")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "review pair with errors")
    page.get_by_label("Yes").check()
    page.get_by_label("Why did you decide this?").fill(
        "The GP confirmed the date of birth was entered the American way"
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()

    # The pointer index of Fakechild (her case is the council's, so the officer may see it).
    page.goto(served.url(f"/cases/{served.case_id}/"))
    page.get_by_role("link", name=re.compile("Who else knows this child")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who else knows this child")
    expect(page.get_by_role("rowheader", name="Testshire Constabulary")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Testshire Surgery")).to_be_visible()
    assert_accessible(page, "pointer index")

    # The officer doubts the surgery's record: it goes back to review with a reason.
    page.get_by_role("link", name=re.compile("not be the same child.*Testshire Surgery")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This may not be the same child")
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "dispute a pointer, with errors")
    page.get_by_label("Why may this not be the same child?").fill(
        "The surgery says its patient has a different mother"
    )
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Sent to the MASH")
