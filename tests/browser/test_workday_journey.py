"""A social worker's day: an immediate-risk request arrives while they are signed out; the
background worker's timers notice it by themselves and e-mail them through a real SMTP server,
naming nobody; they sign in, and the home page and Your work put the request first.

Everything after the request is made runs in the served instance's own processes (gunicorn and
``manage.py worker``); nothing in this test calls the timers.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    Served,
    axe_violations,
    describe,
    manage,
    sign_in_and_enrol,
)
from tests.browser.seed import (
    INBOX_CHILD,
    INBOX_CHILD_NHS,
    INBOX_WORKER,
    INBOX_WORKER_EMAIL,
)

pytestmark = pytest.mark.browser

# The worker sweeps once a minute (SAFESHARE_SWEEP_MINUTES = 1): allow two sweeps and the send.
EMAIL_WAIT_SECONDS = 150

ASK = """
from safeshare.agencies.models import Agency, Practitioner
from safeshare.disclosures.services import request_create
asked = request_create(
    actor=Practitioner.objects.get(username="fake.outsider"),
    receiving_agency=Agency.objects.get(name="Testshire Children's Services"),
    kind="request",
    purpose="child_protection",
    urgency="immediate_risk",
    information_sought="Any contact with the family this week",
    justification="A strategy discussion this afternoon about an injury",
    nhs_number="{nhs}",
)
print(asked.pk)
"""


def _wait_for_email(served: Served, address: str) -> str:
    deadline = time.monotonic() + EMAIL_WAIT_SECONDS
    while time.monotonic() < deadline:
        found = served.smtp.to(address)
        if found:
            return found[0]
        time.sleep(1)  # waiting for another process (the worker's next sweep), not app time
    worker_log = served.log.with_name("worker.log")
    pytest.fail(f"no e-mail to {address} in {EMAIL_WAIT_SECONDS}s:\n{worker_log.read_text()}")


def _no_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_an_immediate_risk_request_made_while_signed_out_is_emailed_and_waits_first(
    page: Page, served: Served
) -> None:
    asked = manage(served, "shell", "-c", ASK.format(nhs=INBOX_CHILD_NHS))
    request_id = asked.strip().splitlines()[-1]  # the shell may print a banner first

    # The e-mail: sent by the worker's timers through the SMTP server, naming nobody.
    email = _wait_for_email(served, INBOX_WORKER_EMAIL)
    assert "immediate-risk request for information is waiting" in email
    link = served.url(f"/requests/{request_id}/")
    assert link in email
    for personal in (*INBOX_CHILD.split(), INBOX_CHILD_NHS, "Testshire Constabulary", "Outsider"):
        assert personal not in email, f"the e-mail names {personal!r}"

    # Signing in: the home page starts from the work, the urgent request on top.
    sign_in_and_enrol(page, served, INBOX_WORKER)
    page.goto(served.url("/"))
    work = page.locator("table.app-inbox tbody tr").first
    expect(work).to_contain_text(INBOX_CHILD)
    expect(work).to_contain_text("Urgent")
    expect(work).to_contain_text("Testshire Constabulary")
    expect(page.get_by_role("link", name=re.compile(r"Your work \(\d+\)"))).to_be_visible()
    _no_violations(page)

    # Your work: the notice is new since they last looked; the request is first.
    page.get_by_role("link", name=re.compile(r"Your work \(\d+\)")).first.click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("since you last looked")
    first = page.locator("table.app-inbox tbody tr").first
    expect(first).to_contain_text(INBOX_CHILD)
    expect(first).to_contain_text("Urgent")
    _no_violations(page)

    # Following it reaches the request, as the e-mail's link does.
    first.get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.url == link
    expect(page.locator("main")).to_contain_text(INBOX_CHILD.split()[0])
    _no_violations(page)

    # Seen: opening Your work again says nothing new has arrived.
    page.goto(served.url("/work/"))
    expect(page.locator(".govuk-notification-banner")).to_have_count(0)
