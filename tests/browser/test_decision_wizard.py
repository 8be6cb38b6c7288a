"""The sharing decision wizard in Chromium: question pages to a recorded decision, checked by axe.

Signs in once as "fake.decide", a worker allocated to the seeded case and kept for these tests
alone, so enrolling the authenticator is always the first sign-in; both journeys share that
signed-in browser context. Every page is answered through its own form: clicking labels, opening
the GOV.UK conditional reveals, following the Change links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import (
    Served,
    axe_violations,
    describe,
    sign_in_and_enrol,
)

pytestmark = pytest.mark.browser

USERNAME = "fake.decide"  # allocated to the seeded case, used by no other test
MAX_QUESTION_PAGES = 9
MAX_EMERGENCY_QUESTION_PAGES = 3
NOT_QUESTION_PAGES = ("recommendation", "decision", "check")
STEP_URL = re.compile(r"/decisions/new/([a-z-]+)/")


@pytest.fixture(scope="module")
def signed_in(browser: Browser, served: Served) -> Iterator[Page]:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_and_enrol(page, served, USERNAME)
    assert page.url == served.url("/"), page.url
    yield page
    context.close()


def _govuk_conditional_radio(node: dict[str, Any]) -> bool:
    """A GOV.UK radio that controls a conditional reveal, faulted only for its aria-expanded."""
    html = str(node.get("html", ""))
    values = [
        value
        for check in node.get("all", []) + node.get("any", []) + node.get("none", [])
        for value in (check.get("data") or {}).get("values", [])
    ]
    return (
        html.startswith('<input class="govuk-radios__input"')
        and 'aria-controls="conditional-' in html
        and bool(values)
        and all(re.fullmatch(r'aria-expanded="(true|false)"', value) for value in values)
    )


def not_known_govuk_frontend_issue(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations less govuk-frontend's one documented known issue.

    govuk-frontend's radios put ``aria-expanded`` on a radio that reveals conditional content.
    ARIA does not allow it on role=radio, so axe reports aria-allowed-attr, but the Design System
    keeps it on purpose because screen readers announce the reveal (alphagov/govuk-frontend#979,
    listed under known issues in #1280). Only that attribute, on such a radio, is let through;
    anything else about the same element, or any other violation, still fails.
    """
    kept = []
    for violation in violations:
        if violation["id"] == "aria-allowed-attr" and all(
            _govuk_conditional_radio(node) for node in violation["nodes"]
        ):
            continue
        kept.append(violation)
    return kept


def assert_accessible(page: Page, name: str) -> None:
    violations = not_known_govuk_frontend_issue(axe_violations(page))
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


def h1(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def question(page: Page, legend: str) -> Locator:
    """A question's fieldset, found by its legend."""
    return page.get_by_role("group", name=legend, exact=True)


def reveal(page: Page, radio_id: str) -> Locator:
    return page.locator(f"#conditional-{radio_id}")


def proceed(page: Page, pages: list[str]) -> None:
    """Submit the page's form with its Continue button and note the question page it was."""
    match = STEP_URL.search(page.url)
    assert match, page.url
    if match.group(1) not in NOT_QUESTION_PAGES:
        pages.append(match.group(1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def start(page: Page, served: Served) -> None:
    page.goto(served.url(f"/cases/{served.case_id}/"))
    page.get_by_role("link", name="Decide whether to share").click()
    expect(h1(page)).to_have_text("Is anyone in immediate danger?")


def purpose_and_recipient(page: Page, pages: list[str]) -> None:
    expect(h1(page)).to_have_text("Why would you share the information, and with whom?")
    question(page, "Why would the information be shared?").get_by_label(
        "Child protection (section 47 enquiries)"
    ).check()
    page.get_by_label("Which agency would receive the information?").select_option(
        label="Testshire Constabulary"
    )
    proceed(page, pages)


@pytest.mark.browser
def test_longest_journey_to_a_recorded_decision(signed_in: Page, served: Served) -> None:
    page = signed_in
    pages: list[str] = []
    start(page, served)

    # 1. Immediate danger: first an empty answer, to see the error summary.
    assert_accessible(page, "danger question")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select whether anyone is in immediate danger"
    )
    assert_accessible(page, "danger question with errors")
    page.get_by_label("No", exact=True).check()
    proceed(page, pages)

    # 2. Purpose and recipient on one page.
    assert_accessible(page, "purpose and recipient")
    purpose_and_recipient(page, pages)

    # 3. Who asked, revealing whether they were checked.
    expect(h1(page)).to_have_text("Has anyone asked you for this information?")
    other_agency = reveal(page, "id_asked_by_2")
    expect(other_agency).to_be_hidden()
    page.get_by_label("Yes, another practitioner or agency").check()
    expect(other_agency).to_be_visible()
    expect(page.locator("#id_asked_by_2")).to_have_attribute("aria-expanded", "true")
    assert_accessible(page, "asked, with the reveal open")
    other_agency.get_by_label("Yes", exact=True).check()
    proceed(page, pages)

    # 4. Purpose clear and legitimate.
    expect(h1(page)).to_have_text("Is the purpose of sharing clear and legitimate?")
    page.get_by_label("Yes", exact=True).check()
    proceed(page, pages)

    # 5. The information: answered contradictorily on purpose, to be changed below.
    expect(h1(page)).to_have_text("What is the information, and who is it about?")
    question(page, "Does the information identify a living person?").get_by_label(
        "No", exact=True
    ).check()
    question(page, "Who is the information about?").get_by_label("The child", exact=True).check()
    question(page, "What kind of information is it?").get_by_label(
        "Special category data", exact=False
    ).check()
    question(page, "Is the information confidential?").get_by_label("Yes", exact=True).check()
    assert_accessible(page, "the information")
    proceed(page, pages)

    # 6. The graded worry about harm.
    expect(h1(page)).to_have_text("What is your worry about the child?")
    assert_accessible(page, "harm")
    page.get_by_label("The child may be a child in need").check()
    proceed(page, pages)

    # 7. The young person's confidentiality (the information is about the child).
    expect(h1(page)).to_have_text("Has the child asked you to keep this confidential?")
    expect(page.get_by_text("(from their date of birth)")).to_be_visible()
    page.locator("#id_young_person_confidentiality_1").check()
    proceed(page, pages)

    # 8. Consent, once, revealing what follows from the answer.
    expect(h1(page)).to_have_text("What is the position on consent to share?")
    expect(page.get_by_text("Our records say: Consent not yet asked")).to_be_visible()
    page.get_by_label("Consent refused").check()
    proceed(page, pages)  # nothing answered in the reveal: the error lands on this page
    pages.pop()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what it would do")
    refused = reveal(page, "id_consent_1")
    expect(refused).to_be_visible()
    assert_accessible(page, "consent, with the reveal open and an error")
    refused.get_by_label("Place a child at increased risk of harm").check()
    proceed(page, pages)

    # 9. Statutory duty and advice, revealing who advised.
    expect(h1(page)).to_have_text("Does the law require you to share, and have you had advice?")
    question(page, "Is there a statutory duty or a court order to share?").get_by_label(
        "No", exact=True
    ).check()
    question(page, "Have you sought advice about this?").get_by_label("Yes", exact=True).check()
    page.get_by_label("Who gave you advice?").fill("Fakename Testperson, DSL")
    page.get_by_label("What did they advise?").fill("Share what the police need, no more.")
    assert_accessible(page, "duty and advice, with the reveal open")
    proceed(page, pages)

    assert len(pages) <= MAX_QUESTION_PAGES, pages
    assert pages == [
        "danger",
        "purpose",
        "asked",
        "clear-purpose",
        "information",
        "harm",
        "young-person",
        "consent",
        "duty-and-advice",
    ]

    # The contradiction is shown back with Change links, and nothing can be decided.
    expect(page.locator("#recommendation")).to_contain_text(
        "Check your answers: some of them contradict each other"
    )
    expect(page.get_by_role("button", name="Continue")).to_have_count(0)
    assert_accessible(page, "recommendation: check your answers")
    page.get_by_role("link", name="Change identifies a living person").first.click()
    expect(h1(page)).to_have_text("What is the information, and who is it about?")
    question(page, "Does the information identify a living person?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("#recommendation")).to_contain_text("Share without consent")
    expect(page.get_by_text("SR-03", exact=True)).to_be_visible()
    assert_accessible(page, "recommendation page")
    page.get_by_role("button", name="Continue").click()

    expect(h1(page)).to_have_text("Your decision")
    page.fill("#id_reasons", "Fakechild said her father hits her when she is late home.")
    page.fill("#id_what_to_share", "What Fakechild said, when, and who heard it.")
    page.get_by_label("Child's health, development and exposure to harm").check()
    assert_accessible(page, "decision page")
    page.get_by_role("button", name="Continue").click()

    expect(h1(page)).to_have_text("Check your answers before recording your decision")
    assert_accessible(page, "check your answers")
    page.get_by_role("link", name="Change worry about the child").click()
    expect(h1(page)).to_have_text("What is your worry about the child?")
    page.get_by_label("The child is suffering, or is likely to suffer, significant harm").check()
    page.get_by_role("button", name="Continue").click()
    expect(h1(page)).to_have_text("Check your answers before recording your decision")
    expect(page.locator(".govuk-summary-list").first).to_contain_text(
        "The child is suffering, or is likely to suffer, significant harm"
    )
    page.get_by_role("button", name="Record decision").click()

    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Decision recorded")
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Share without consent")
    page.get_by_role("link", name="View the decision").click()
    expect(h1(page)).to_have_text("Sharing decision: Share without consent")
    assert_accessible(page, "decision record")


@pytest.mark.browser
def test_emergency_journey_reaches_the_recommendation_quickly(
    signed_in: Page, served: Served
) -> None:
    page = signed_in
    pages: list[str] = []
    start(page, served)
    page.get_by_label("Yes", exact=True).check()
    proceed(page, pages)
    purpose_and_recipient(page, pages)

    expect(page.locator("#recommendation")).to_contain_text(
        "Refer to children's social care or police now"
    )
    assert len(pages) <= MAX_EMERGENCY_QUESTION_PAGES, pages
    assert pages == ["danger", "purpose"]
    expect(page.get_by_text("EM-01", exact=True)).to_be_visible()
    assert_accessible(page, "emergency recommendation")
    page.get_by_role("button", name="Continue").click()

    expect(h1(page)).to_have_text("Your decision")
    page.fill("#id_reasons", "Fakechild said she was afraid to go home tonight.")
    page.fill("#id_what_to_share", "What Fakechild said, when, and who heard it.")
    page.get_by_role("button", name="Continue").click()

    expect(h1(page)).to_have_text("Check your answers before recording your decision")
    situation = page.locator(".govuk-summary-list").first
    expect(situation.locator(".govuk-summary-list__key")).to_have_text(
        ["Anyone in immediate danger", "Purpose", "Recipient"]
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text(
        "Refer to children's social care or police now"
    )
