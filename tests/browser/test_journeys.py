"""Whole journeys through a served instance in Chromium: sign in, enrol, find a case, record."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Served, sign_in_and_enrol

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")  # noqa: S108 - a developer's look at the page, never committed


@pytest.mark.browser
def test_practitioner_signs_in_finds_their_case_and_records_information(
    page: Page, served: Served
) -> None:
    sign_in_and_enrol(page, served, "fake.journey")

    # The dashboard, then the case list through the service navigation.
    assert page.url == served.url("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    row = page.get_by_role("row").filter(has_text=served.case_reference)
    expect(row).to_contain_text("1 April 2016")
    row.get_by_role("link", name=served.child_name).click()

    # The case page: the child, the people involved and the chronology.
    expect(page.get_by_role("heading", level=1)).to_have_text(served.child_name)
    expect(page.get_by_text("999 000 0018")).to_be_visible()
    expect(page.get_by_role("link", name="Fakeparent Testington", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Attended school tired")).to_be_visible()
    expect(page.get_by_text("Special category: Health")).to_be_visible()

    # Record information: first with a mistake, then properly.
    page.get_by_role("button", name="Record information").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record information")
    page.fill("#id_summary", "Seen with a bruise on the arm")
    page.get_by_role("button", name="Record information").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    category_link = summary.get_by_role("link", name="Select the category of information")
    expect(category_link).to_have_attribute("href", "#id_category_0")
    expect(summary.get_by_role("link", name="Enter the information")).to_have_attribute(
        "href", "#id_content"
    )
    category_link.click()
    expect(page.locator("#id_category_0")).to_be_focused()
    # What was typed is kept.
    expect(page.locator("#id_summary")).to_have_value("Seen with a bruise on the arm")

    page.check("#id_category_0")
    page.fill("#id_content", "Fakechild had a bruise on the left arm at drop-off.")
    page.check("#id_fact_or_opinion_0")
    page.fill("#id_source", "Class teacher")
    page.check("#id_how_known_0")
    event_date = page.get_by_role("group", name="Date of the event")  # the GOV.UK date input
    event_date.get_by_label("Day").fill("12")
    event_date.get_by_label("Month").fill("1")
    event_date.get_by_label("Year").fill("2026")
    page.check("#id_is_confidential")
    page.get_by_role("button", name="Record information").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(served.child_name)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Information recorded: Seen with a bruise on the arm"
    )
    new_item = page.locator(".app-chronology__item").filter(
        has_text="Seen with a bruise on the arm"
    )
    expect(new_item).to_contain_text("12 January 2026")
    expect(new_item).to_contain_text("Confidential")
    expect(new_item).to_contain_text("Fakechild had a bruise on the left arm at drop-off.")

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "case.png"), full_page=True)


@pytest.mark.browser
def test_practitioner_in_other_agency_gets_the_not_found_page_for_the_case(
    page: Page, served: Served
) -> None:
    sign_in_and_enrol(page, served, "fake.outsider")
    forbidden = page.goto(served.url(f"/cases/{served.case_id}/"))
    assert forbidden is not None
    assert forbidden.status == 404
    forbidden_text = page.locator("main").inner_text()
    assert served.child_name not in page.content()
    assert served.case_reference not in page.content()

    missing = page.goto(served.url("/cases/00000000-0000-4000-8000-000000000000/"))
    assert missing is not None
    assert missing.status == 404
    assert page.locator("main").inner_text() == forbidden_text

    # Their own agency's case opens normally.
    own = page.goto(served.url(f"/cases/{served.other_case_id}/"))
    assert own is not None
    assert own.status == 200
