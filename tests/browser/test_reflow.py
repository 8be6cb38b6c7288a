"""At 320 CSS pixels wide nothing scrolls the page sideways (WCAG 2.2 SC 1.4.10 Reflow): wide
tables scroll inside their own labelled region. The main table pages, for each role, with axe
finding no WCAG A/AA violation; and the header's service navigation by role (a practitioner
finds Agencies and Agreements at the foot of the page, not in the header)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Served, axe_violations, describe, sign_in_and_enrol
from tests.browser.seed import REFLOW_CHILD, REFLOW_USERS

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


@pytest.fixture
def narrow(browser: Browser) -> Iterator[Page]:
    """A fresh context 320 CSS pixels wide (the CSP lets the test inject axe-core)."""
    context = browser.new_context(bypass_csp=True, viewport=NARROW)
    page = context.new_page()
    yield page
    context.close()


def assert_reflows(page: Page, name: str) -> None:
    """No sideways scrolling of the page, every table in a focusable named region, and axe
    happy."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], (
        f"{name} ({page.url}) is {width}px wide at 320px, because of: {too_wide(page)}"
    )
    unwrapped = page.evaluate(
        "[...document.querySelectorAll('main table')]"
        ".filter(t => !t.closest('.app-table-container[role=region][tabindex=\"0\"]')).length"
    )
    assert unwrapped == 0, f"{name} ({page.url}): {unwrapped} table(s) not in a scroll region"
    violations = axe_violations(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


def too_wide(page: Page) -> list[str]:
    """The innermost elements reaching past the right edge, outside the tables' scrolling
    regions (to say what to fix)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 320 + 1)
        .filter(e => !e.parentElement.closest('.app-table-container'))
        .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > 321))
        .slice(0, 5)
        .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}: `
          + `${Math.round(e.getBoundingClientRect().right)}px`)"""
    )
    return found


def visit(page: Page, served: Served, path: str, name: str) -> None:
    page.goto(served.url(path))
    assert_reflows(page, name)


def header_links(page: Page) -> list[str]:
    return [
        text.strip() for text in page.locator(".govuk-service-navigation__link").all_inner_texts()
    ]


def open_the_childs_case(page: Page, served: Served) -> None:
    page.goto(served.url("/cases/"))
    page.get_by_role("link", name=REFLOW_CHILD).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REFLOW_CHILD)


def test_practitioner_pages_reflow_and_agencies_are_in_the_footer_not_the_header(
    narrow: Page, served: Served
) -> None:
    page = narrow
    sign_in_and_enrol(page, served, REFLOW_USERS["practitioner"])
    assert_reflows(page, "home page")

    # The header menu opens within the width, and leaves out Agencies and Agreements.
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#navigation")).to_be_visible()
    assert_reflows(page, "home page with the menu open")
    links = header_links(page)
    assert "Cases" in links
    assert any(link.startswith("Your work (") for link in links)
    assert "Agencies" not in links
    assert "Agreements" not in links
    # ...which the foot of the home page still reaches.
    more = page.locator(".govuk-footer__navigation")
    expect(more.get_by_role("heading", name="More in SafeShare")).to_be_visible()
    more.get_by_role("link", name="Agencies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")
    assert_reflows(page, "agencies")
    page.goto(served.url("/"))
    page.locator(".govuk-footer__navigation").get_by_role(
        "link", name="Information sharing agreements"
    ).click()
    assert_reflows(page, "agreements")

    visit(page, served, "/work/", "your work")
    visit(page, served, "/cases/", "case list")
    open_the_childs_case(page, served)
    assert_reflows(page, "case page")
    page.get_by_role("link", name="Chronology").first.click()
    expect(page.locator("#chronology-order")).to_contain_text("Newest first")
    assert_reflows(page, "chronology")
    page.get_by_role("link", name="Show oldest first").click()
    expect(page.locator("#chronology-order")).to_contain_text("Oldest first")
    assert "order=oldest" in page.url
    assert_reflows(page, "chronology, oldest first")
    # Filtering keeps the order (the form carries it).
    page.get_by_label("Source").select_option(label="Our agency")
    page.get_by_role("button", name="Filter").click()
    assert "order=oldest" in page.url
    expect(page.locator("#chronology-order")).to_contain_text("Oldest first")

    visit(page, served, f"/people/?q={REFLOW_CHILD.split()[1]}", "person search")
    visit(page, served, "/notifications/", "notifications")
    visit(page, served, "/requests/", "requests")
    visit(page, served, "/disclosures/", "shared with me")
    visit(page, served, "/account/", "your account")


def test_dsl_pages_reflow_and_who_has_seen_the_record_is_grouped(
    narrow: Page, served: Served
) -> None:
    page = narrow
    sign_in_and_enrol(page, served, REFLOW_USERS["dsl"])
    assert_reflows(page, "home page")
    visit(page, served, "/decisions/approvals/", "approvals")
    visit(page, served, "/mash/", "MASH dashboard")
    open_the_childs_case(page, served)
    page.get_by_role("link", name="Who has seen this record").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has seen or changed this record")
    assert_reflows(page, "who has seen this record")
    caption = page.locator("#record-access-caption")
    expect(caption).to_contain_text("by person, day and kind of access")
    worker_row = (
        page.locator("tbody tr")
        .filter(has_text="Testy ReflowPractitioner")
        .filter(has_text="Opened the case")
    )
    expect(worker_row).to_have_count(1)
    times = int(worker_row.locator("td").nth(4).get_by_role("link").inner_text().split()[0])
    assert times >= 12  # the seed's twelve, and this test file's own visits
    # A group's number opens its own entries.
    worker_row.get_by_role("link").click()
    expect(caption).to_contain_text(f"{times} entries")
    assert "view=each" in page.url
    assert_reflows(page, "one group's entries")

    # The page's own filter form: a bad range shows the error summary.
    page.goto(page.url.split("?")[0])
    _fill_date(page, "Date from", "2", "3", "2026")  # the GOV.UK date input's boxes
    _fill_date(page, "Date to", "1", "3", "2026")
    page.get_by_role("button", name="Show").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("The date to must be the same as or after the date from")
    assert_reflows(page, "who has seen this record, with an error")
    _fill_date(page, "Date from", "", "", "")
    _fill_date(page, "Date to", "", "", "")
    page.get_by_role("combobox", name="Person").select_option(label="Testy ReflowDsl")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("Testy ReflowDsl")
    assert rows.filter(has_text="Testy ReflowPractitioner").count() == 0


def _fill_date(page: Page, question: str, day: str, month: str, year: str) -> None:
    boxes = page.get_by_role("group", name=re.compile(rf"^{question}"))
    boxes.get_by_label("Day").fill(day)
    boxes.get_by_label("Month").fill(month)
    boxes.get_by_label("Year").fill(year)


def test_information_governance_pages_reflow(narrow: Page, served: Served) -> None:
    page = narrow
    sign_in_and_enrol(page, served, REFLOW_USERS["information_governance"])
    page.get_by_role("button", name="Menu").click()
    assert "Agreements" in header_links(page)
    assert "Agencies" in header_links(page)
    visit(page, served, "/access-review/", "access review")
    visit(page, served, "/agreements/", "agreements")
    page.get_by_role("link", name="ISA-BROWSER-1").first.click()
    assert_reflows(page, "agreement")
    visit(page, served, "/linkage/", "linkage")
    open_the_childs_case(page, served)
    page.get_by_role("link", name="Who has seen this record").first.click()
    assert_reflows(page, "who has seen this record")


def test_agency_admin_pages_reflow_with_agencies_in_the_header(
    narrow: Page, served: Served
) -> None:
    page = narrow
    sign_in_and_enrol(page, served, REFLOW_USERS["agency_admin"])
    page.get_by_role("button", name="Menu").click()
    links = header_links(page)
    assert {"Agencies", "Agreements", "Practitioners"} <= set(links)
    visit(page, served, "/practitioners/", "practitioners")
    visit(page, served, "/agencies/", "agencies")
    visit(page, served, "/agreements/", "agreements")


def test_mash_officer_pages_reflow(narrow: Page, served: Served) -> None:
    page = narrow
    sign_in_and_enrol(page, served, REFLOW_USERS["mash_officer"])
    visit(page, served, "/mash/", "MASH dashboard")
    visit(page, served, "/mash/contacts/", "MASH contacts")
    page.locator("main table a.govuk-link").first.click()
    assert_reflows(page, "MASH contact")
    visit(page, served, "/linkage/review/", "review matches")
