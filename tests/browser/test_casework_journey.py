"""Casework basics in Chromium, through the pages' own forms: a DSL allocates a second worker,
reallocates the case with a reason, records a parent in the case, gives the child a protected
address (a refuge) and records the move out of it; axe finds no WCAG A/AA violation on any of
the pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served, axe_violations, describe, sign_in_and_enrol
from tests.browser.seed import CASEWORK_CHILD, CASEWORK_DSL, CASEWORK_WORKERS

pytestmark = pytest.mark.browser


def accessible(page: Page, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


def fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_dsl_allocates_reallocates_and_records_people_and_a_protected_address(
    page: Page, served: Served
) -> None:
    first, second = CASEWORK_WORKERS
    sign_in_and_enrol(page, served, CASEWORK_DSL)
    page.goto(served.url("/cases/"))
    page.get_by_role("link", name=CASEWORK_CHILD).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CASEWORK_CHILD)
    allocations = page.get_by_role(
        "region", name="Practitioners allocated to the case, now and before"
    )
    expect(allocations).to_contain_text(first)
    accessible(page, "case page")

    # Allocate the second worker as key worker: first forgetting who, then properly.
    page.get_by_role("link", name="Allocate a practitioner").click()
    accessible(page, "allocate")
    page.get_by_role("button", name="Allocate").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Select the practitioner")).to_be_visible()
    accessible(page, "allocate, with an error")
    page.get_by_label("Practitioner", exact=True).select_option(label=f"{second}, Social worker")
    page.get_by_label("Key worker").check()
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Case allocated to {second}"
    )
    expect(allocations).to_contain_text(second)

    # Reallocate the first worker's part to the DSL, with a reason.
    page.get_by_role("link", name=f"Reallocate from {first}").click()
    accessible(page, "reallocate")
    page.get_by_label("Who should take over the case?").select_option(
        label="Testy Managerworth, Team manager"
    )
    page.get_by_label("They are away for a long time").check()
    page.get_by_role("button", name="Reallocate").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Case reallocated from {first} to Testy Managerworth"
    )
    expect(allocations.get_by_role("row").filter(has_text=first)).to_contain_text(
        "they are away for a long time"
    )

    # End the key worker's allocation.
    page.get_by_role("link", name=f"End {second}\u2019s allocation").click()
    accessible(page, "end allocation")
    page.get_by_label("Their work on the case has finished").check()
    page.get_by_role("button", name="End allocation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{second} is no longer allocated"
    )

    # Record the child's mother, new to the agency.
    page.get_by_role("link", name="Add a person involved").click()
    accessible(page, "add a person involved")
    page.get_by_label("Given name").fill("Fakemum")
    page.get_by_label("Family name").fill("Casewell")
    page.get_by_role("group", name="Sex").get_by_label("Female").check()
    page.get_by_label("Parent", exact=True).check()
    page.get_by_label("They have parental responsibility for the child").check()
    page.get_by_role("button", name="Add to the case").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Fakemum Casewell added as parent"
    )
    people = page.get_by_role(
        "region", name="People involved in the case and their relationship to the child"
    )
    expect(people).to_contain_text("Fakemum Casewell")

    # The child's record: a protected address (a refuge), then the move out of it.
    page.get_by_role("link", name="View record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CASEWORK_CHILD)
    page.get_by_role("link", name="Add an address").click()
    accessible(page, "add an address")
    page.get_by_label("Address", exact=True).fill("Flat 9, Nowhere Refuge\nFaketown")
    page.get_by_label("Postcode").fill("zz99 9zz")
    fill_date(page, "Date they moved in (optional)", "2", "11", "2026")
    page.get_by_label("This is a protected address").check()
    page.get_by_role("button", name="Add address").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Address added")
    card = page.locator(".govuk-summary-card").filter(has_text="Nowhere Refuge")
    expect(card).to_contain_text("Protected address")
    expect(card).to_contain_text("Do not share this address")
    accessible(page, "person page")

    card.get_by_role("link", name="Record that they moved out").click()
    accessible(page, "move out")
    page.get_by_role("button", name="Record that they moved out").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date they moved out")
    accessible(page, "move out, with an error")
    fill_date(page, "Date they moved out", "30", "11", "2026")
    page.get_by_role("button", name="Record that they moved out").click()
    expect(page.locator(".govuk-summary-card").filter(has_text="Nowhere Refuge")).to_contain_text(
        "Previous address"
    )
