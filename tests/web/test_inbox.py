""" "Your work" in the browser: the page for each role, the count in the header, and the home page
that starts from it (with "Find a child")."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator

import pytest
from django.test import Client

from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.workday.inbox import inbox_count, inbox_for
from tests.conftest import World
from tests.web.conftest import SignIn
from tests.workday.inbox_world import NOW, InboxWorld, build

pytestmark = pytest.mark.django_db

_HEADER_COUNT = re.compile(r'href="/work/"[^>]*>\s*(?:<strong[^>]*>)?Your work \((\d+)\)')


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def iw(world: World) -> InboxWorld:
    return build(world)


def _page(client: Client, path: str = "/work/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _links(html: str) -> set[str]:
    table = html.split('class="govuk-table app-inbox"', 1)[1].split("</table>", 1)[0]
    return set(re.findall(r'<a class="govuk-link" href="([^"]+)"', table))


def _header_count(html: str) -> int:
    found = _HEADER_COUNT.search(html)
    assert found is not None, "no count in the header"
    return int(found.group(1))


@pytest.mark.parametrize(
    "name",
    ["worker", "dsl", "dsl2", "mash", "recipient", "recall_recipient", "police_dsl", "ig"],
)
def test_the_page_lists_each_roles_work_with_links_to_where_it_is_done(
    iw: InboxWorld, sign_in: SignIn, name: str
) -> None:
    practitioner = iw.cast[name]
    rows = inbox_count(practitioner, now=clock.now())
    if name != "ig":  # information governance also has the access review queue
        assert rows == len(iw.expected[name])
    html = _page(sign_in(practitioner))
    assert '<h1 class="govuk-heading-l">Your work</h1>' in html
    assert html.count('<tr class="govuk-table__row" data-kind=') == rows
    assert f"<strong>{rows}</strong> item" in html
    assert _header_count(html) == rows
    links = _links(html)
    assert links
    assert links <= {work.url for work in inbox_for(practitioner, now=clock.now())}


def test_the_worker_sees_the_urgent_request_first_with_its_child_and_requester(
    iw: InboxWorld, sign_in: SignIn
) -> None:
    html = _page(sign_in(iw.cast["worker"]))
    first = html.split('data-kind="', 2)[1]
    assert first.startswith("request")
    assert html_lib.escape(iw.world.case.subject.display_name) in first
    assert html_lib.escape(iw.cast["police_worker"].full_name) in first
    assert "Urgent" in first
    assert f'href="/requests/{iw.request.pk if iw.request else ""}/"' in first
    assert "No deadline" in html  # the read-back to confirm


def test_someone_with_nothing_waiting_sees_the_empty_state_and_a_zero_count(
    iw: InboxWorld, sign_in: SignIn
) -> None:
    html = _page(sign_in(iw.cast["school_dsl"]))
    assert "Nothing is waiting for you." in html
    assert "app-inbox" not in html
    assert _header_count(html) == 0


def test_the_header_shows_the_count_on_every_page(iw: InboxWorld, sign_in: SignIn) -> None:
    client = sign_in(iw.cast["recipient"])
    account = _page(client, "/account/")
    assert _header_count(account) == 9
    assert re.search(r'href="/work/">\s*Your work \(9\)', account), "not the current page"
    current = _page(client)
    assert re.search(r'href="/work/" aria-current="(true|page)"', current)


def test_showing_the_page_records_the_reads_of_the_children_it_names(
    iw: InboxWorld, sign_in: SignIn
) -> None:
    recipient = iw.cast["recipient"]
    client = sign_in(recipient)

    def listed() -> int:
        return LedgerEntry.objects.filter(
            actor_id=recipient.pk, event_code=int(Event.DISCLOSURE_LISTED)
        ).count()

    before = listed()
    _page(client, "/account/")  # the header's count names nobody
    assert listed() == before
    _page(client)
    assert listed() == before + 9


def test_the_home_page_starts_from_the_inbox_and_finding_a_child(
    iw: InboxWorld, sign_in: SignIn
) -> None:
    html = _page(sign_in(iw.cast["recipient"]), "/")
    assert html.index('id="your-work"') < html.index('id="find-a-child"')
    assert html.count('<tr class="govuk-table__row" data-kind=') == 5  # the most urgent five
    assert 'href="/work/">See all your work (9 waiting)</a>' in html
    form = html.split('aria-label="Find a child"', 1)[1].split("</form>", 1)[0]
    assert 'name="q"' in form
    assert (
        html.split('aria-label="Find a child"', 1)[0]
        .rstrip()
        .endswith('action="/people/" novalidate role="search"')
    )
    assert 'href="/identities/search/"' in html


def test_the_home_page_says_when_nothing_is_waiting(iw: InboxWorld, sign_in: SignIn) -> None:
    html = _page(sign_in(iw.cast["colleague"]), "/")
    assert "Nothing is waiting for you." in html
    assert 'id="find-a-child"' in html


def test_home_page_offers_no_search_to_those_who_cannot_search(
    iw: InboxWorld, sign_in: SignIn
) -> None:
    html = _page(sign_in(iw.cast["agency_admin"]), "/")
    assert 'id="your-work"' in html
    assert 'id="find-a-child"' not in html


def test_the_find_a_child_form_searches_the_existing_people_search(
    iw: InboxWorld, sign_in: SignIn
) -> None:
    client = sign_in(iw.cast["worker"])
    subject = iw.world.case.subject
    html = _page(client, f"/people/?q={subject.family_name}")
    assert html_lib.escape(subject.display_name) in html


def test_the_inbox_needs_signing_in(iw: InboxWorld) -> None:
    response = Client().get("/work/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]
