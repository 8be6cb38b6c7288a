"""A case's chronology as a PDF through the API: the same access and recorded reads as the
chronology, optional filters, received words left out after revocation, 404 for anyone who may
not see the case."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from safeshare.agencies.models import Practitioner
from safeshare.api.routers import disclosures as router
from safeshare.core import clock
from safeshare.disclosures import pdf
from safeshare.disclosures.chronology_render import ChronologyPrintView, render_chronology
from safeshare.disclosures.models import Disclosure
from safeshare.disclosures.services import disclosure_revoke, received_items_add_to_case
from safeshare.ledger.events import Event
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.conftest import World
from tests.disclosures.helpers import NOW, Sharing, issue, sharing
from tests.factories import AllocationFactory, ItemFactory

pytestmark = pytest.mark.django_db

Caller = Callable[[Practitioner], ApiCaller]


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    s = sharing(world)
    AllocationFactory(case=world.other_case, practitioner=s.recipient)  # they may see it
    return s


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[ChronologyPrintView]:
    views: list[ChronologyPrintView] = []

    def capture(view: ChronologyPrintView) -> bytes:
        views.append(view)
        return pdf.chronology_pdf(view)

    monkeypatch.setattr(router, "chronology_pdf", capture)
    return views


def received(s: Sharing) -> Disclosure:
    disclosure = issue(s)
    received_items_add_to_case(actor=s.recipient, disclosure=disclosure, case=s.world.other_case)
    return disclosure


def url(s: Sharing) -> str:
    return f"/api/cases/{s.world.other_case.pk}/chronology/pdf"


def test_recipient_downloads_the_chronology_pdf_of_the_entries_the_chronology_shows(
    s: Sharing, call_as: Caller, printed: list[ChronologyPrintView]
) -> None:
    ItemFactory(case=s.world.other_case, recorded_by=s.recipient, summary="Fake officer visit")
    received(s)
    caller = call_as(s.recipient)
    response: Any = caller.get(url(s))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")
    entries = caller.get(f"/api/cases/{s.world.other_case.pk}/chronology").json()
    (view,) = printed
    assert [e.summary for e in view.entries] == [e["summary"] for e in entries]
    assert [e.received for e in view.entries] == [e["received"] for e in entries]
    assert view.printed_by == s.recipient.full_name
    assert ledger_count(Event.CHRONOLOGY_RECEIVED_VIEWED, actor_id=s.recipient.pk) == 2

    assert caller.get(url(s), source="ours").status_code == 200
    assert [e.received for e in printed[-1].entries] == [False]
    assert printed[-1].filters == ("Our agency's only",)
    # Only our own entries: no received content read this time.
    assert ledger_count(Event.CHRONOLOGY_RECEIVED_VIEWED, actor_id=s.recipient.pk) == 2
    assert caller.get(url(s), source="nonsense").status_code == 422
    assert caller.get(url(s), category="nonsense").status_code == 422


def test_the_chronology_pdf_leaves_out_received_words_after_revocation(
    s: Sharing, call_as: Caller, printed: list[ChronologyPrintView]
) -> None:
    disclosure = received(s)
    disclosure_revoke(actor=s.world.worker, disclosure=disclosure, reason="Shared in error")
    response: Any = call_as(s.recipient).get(url(s))
    assert response.content.startswith(b"%PDF-")
    html = render_chronology(printed[-1])
    assert s.world.item.summary not in html
    assert "Revoked by the sharing agency" in html
    assert ledger_count(Event.CHRONOLOGY_RECEIVED_VIEWED) == 0


def test_people_who_may_not_see_the_case_get_404_for_its_chronology_pdf(
    s: Sharing, call_as: Caller
) -> None:
    received(s)
    for who in (s.world.worker, s.world.dsl):
        response: Any = call_as(who).get(url(s))
        assert response.status_code == 404
        assert response.json() == not_found_body()
    assert ledger_count(Event.CHRONOLOGY_RECEIVED_VIEWED) == 0
