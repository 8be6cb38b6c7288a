"""Recording a MASH contact in Chromium, as a MASH officer: the empty form, check your answers,
"Change" (every other answer kept: the main concern, the radios, the selects, the dates), record,
and the contact in the hub's list; each page passes axe-core's WCAG A and AA checks.

Signs in as "fake.mashjourney", a MASH officer used by no other test. Only what the pages render
is submitted: visible fields filled by their labels, the page's own buttons clicked (the check
page's answers travel in its own hidden inputs). Dates are filled whichever way the form renders
them: one date box, or the GOV.UK date input's "Day", "Month" and "Year".
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Served, axe_violations, describe, sign_in_and_enrol
from tests.browser.seed import MASH_JOURNEY_OFFICER

pytestmark = pytest.mark.browser

RECEIVED = dt.date.today() - dt.timedelta(days=1)  # noqa: DTZ011 - the server's real today
BORN = dt.date(2017, 6, 5)
CHILD = "Fakejourney Hubchild"
REFERRER_AGENCY = "Testshire Constabulary"


def assert_accessible(page: Page, name: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


def _label(text: str) -> re.Pattern[str]:
    """A question's label, with or without " (optional)" after it."""
    return re.compile(r"^\s*" + re.escape(text) + r"( \(optional\))?\s*$")


def _date_boxes(page: Page, label: str) -> Locator | None:
    """The GOV.UK date input's fieldset for ``label``, when the form renders one."""
    group = page.get_by_role("group", name=re.compile(r"^\s*" + re.escape(label)))
    if group.count() and group.get_by_label("Day", exact=True).count():
        return group
    return None


def fill_date(page: Page, label: str, day: dt.date) -> None:
    boxes = _date_boxes(page, label)
    if boxes is None:
        page.get_by_label(_label(label)).fill(day.isoformat())
        return
    boxes.get_by_label("Day", exact=True).fill(str(day.day))
    boxes.get_by_label("Month", exact=True).fill(str(day.month))
    boxes.get_by_label("Year", exact=True).fill(str(day.year))


def expect_date(page: Page, label: str, day: dt.date) -> None:
    boxes = _date_boxes(page, label)
    if boxes is None:
        expect(page.get_by_label(_label(label))).to_have_value(day.isoformat())
        return
    for box, part in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
        value = boxes.get_by_label(box, exact=True).input_value()
        assert value.lstrip("0") == str(part), (label, box, value)


def answer(page: Page, question: str) -> Locator:
    """The answer cell of a row of the check page's summary list."""
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(
            ".govuk-summary-list__key", has_text=re.compile("^" + re.escape(question) + "$")
        )
    )
    return row.locator(".govuk-summary-list__value")


def expect_every_answer_kept(page: Page) -> None:
    """The form as it was filled in: dates, time, radios, selects and text."""
    expect_date(page, "Date received", RECEIVED)
    expect(page.get_by_label(_label("Time received"))).to_have_value("21:30")
    expect(page.get_by_label("Police notification (PPN)")).to_be_checked()
    expect(page.get_by_label(_label("Referrer's agency"))).to_have_value(
        re.compile(r"^[0-9a-f-]{36}$")
    )
    agency = page.get_by_label(_label("Referrer's agency")).locator("option:checked")
    expect(agency).to_have_text(REFERRER_AGENCY)
    expect(page.get_by_label(_label("Referrer's name"))).to_have_value("PC Testy Journeyman")
    expect(page.get_by_label("Not told: telling them could put the child at risk")).to_be_checked()
    expect(page.get_by_label(_label("Why do they not know, or not agree?"))).to_have_value(
        "The father is the suspected abuser"
    )
    expect(page.get_by_label(_label("Child's given name"))).to_have_value("Fakejourney")
    expect(page.get_by_label(_label("Child's family name"))).to_have_value("Hubchild")
    expect_date(page, "Child's date of birth", BORN)
    expect(page.get_by_label(_label("Child's postcode"))).to_have_value("ZZ99 7JJ")
    main_concern = page.get_by_label(_label("Main concern")).locator("option:checked")
    expect(main_concern).to_have_text("Domestic abuse")
    expect(page.get_by_label(_label("MASH officer")).locator("option:checked")).to_have_text("Me")


@pytest.mark.browser
def test_mash_officer_records_a_contact_changing_an_answer_on_the_way(
    page: Page, served: Served
) -> None:
    sign_in_and_enrol(page, served, MASH_JOURNEY_OFFICER)

    # The empty form, from the hub's list of contacts.
    page.goto(served.url("/mash/contacts/"))
    page.get_by_role("link", name="Record a contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a contact")
    assert_accessible(page, "record a contact")

    fill_date(page, "Date received", RECEIVED)
    page.get_by_label(_label("Time received")).fill("21:30")
    page.get_by_label("Police notification (PPN)").check()
    page.get_by_label(_label("Referrer's agency")).select_option(label=REFERRER_AGENCY)
    page.get_by_label(_label("Referrer's name")).fill("PC Testy Journeyman")
    page.get_by_label(_label("Referrer's role")).fill("Public protection officer")
    page.get_by_label("Not told: telling them could put the child at risk").check()
    page.get_by_label(_label("Why do they not know, or not agree?")).fill(
        "The father is the suspected abuser"
    )
    page.get_by_label(_label("Child's given name")).fill("Fakejourney")
    page.get_by_label(_label("Child's family name")).fill("Hubchild")
    fill_date(page, "Child's date of birth", BORN)
    page.get_by_label(_label("Child's postcode")).fill("ZZ99 7JJ")
    page.get_by_label(_label("Main concern")).select_option(label="Domestic abuse")
    page.get_by_label(_label("What are the concerns?")).fill(
        "Police attended a domestic incident at the fake address; the child was present"
    )
    page.get_by_role("button", name="Continue").click()

    # Check your answers.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the contact before you record it"
    )
    expect(answer(page, "Main concern")).to_have_text("Domestic abuse")
    expect(answer(page, "Referrer's agency")).to_have_text(REFERRER_AGENCY)
    expect(answer(page, "How was it received?")).to_have_text("Police notification (PPN)")
    expect(answer(page, "Child's date of birth")).to_have_text("5 June 2017")
    assert_accessible(page, "check the contact")

    # "Change" one answer: back on the form at that question, with every answer kept.
    page.get_by_role("button", name="Change how to contact the referrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a contact")
    assert page.url.endswith("#id_referrer_contact"), page.url
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect_every_answer_kept(page)
    assert_accessible(page, "record a contact, changing an answer")
    page.get_by_label(_label("How to contact the referrer")).fill("01234 000111")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the contact before you record it"
    )
    expect(answer(page, "How to contact the referrer")).to_have_text("01234 000111")
    expect(answer(page, "Main concern")).to_have_text("Domestic abuse")
    expect(answer(page, "Do the parents or carers know about this contact?")).to_have_text(
        "Not told: telling them could put the child at risk"
    )
    expect(answer(page, "Referrer's agency")).to_have_text(REFERRER_AGENCY)
    assert_accessible(page, "check the contact again")
    page.get_by_role("button", name="Record the contact").click()

    # Recorded: the contact's page, then the hub's list.
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Contact recorded")
    expect(page.get_by_role("heading", level=1)).to_have_text(CHILD)
    expect(page.get_by_text("the child was present")).to_be_visible()
    expect(page.get_by_text("01234 000111")).to_be_visible()
    assert_accessible(page, "the recorded contact")
    page.get_by_role("link", name="All contacts").click()
    row = page.get_by_role("row").filter(has_text=CHILD)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(REFERRER_AGENCY)
    assert_accessible(page, "the hub's contacts")
