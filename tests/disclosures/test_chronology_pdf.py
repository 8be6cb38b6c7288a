"""A case's chronology as a PDF: the pure renderer escapes every value and prints only what the
chronology holds (received words left out after revocation), watermarked on every page with the
case, who printed it and when."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from safeshare.core import clock
from safeshare.disclosures.chronology import (
    case_chronology,
    chronology_filtered,
    chronology_filters_described,
    chronology_print_view,
)
from safeshare.disclosures.chronology_render import (
    ChronologyPrintView,
    ChronologyRow,
    render_chronology,
)
from safeshare.disclosures.pdf import (
    chronology_pdf,
    chronology_print_html,
    chronology_watermark_text,
    print_document,
)
from safeshare.disclosures.services import disclosure_revoke, received_items_add_to_case
from tests.conftest import World
from tests.disclosures.helpers import NOW, Sharing, issue, sharing
from tests.disclosures.test_pdf import margin_texts, page_texts

ROW = ChronologyRow(
    event_date=dt.date(2026, 9, 1),
    source_agency="Fakeshire <Police>",
    received=True,
    category="Concern",
    fact_or_opinion="Professional opinion",
    is_opinion=True,
    available=True,
    summary='Fake <script>alert("x")</script> worry',
    content="Line one\nLine & two",
    source="Fake teacher",
    unavailable_reason="",
    item_number=2,
)
VIEW = ChronologyPrintView(
    case_reference="TST-<1>",
    child_name="Testy O'Fakeson",
    generated_at=dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC),
    printed_by="Fakeofficer Testshire",
    filters=("Received from others only",),
    entries=(ROW,),
)


@pytest.fixture
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def test_the_renderer_escapes_every_value() -> None:
    html = render_chronology(VIEW)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Fakeshire &lt;Police&gt;" in html
    assert "TST-&lt;1&gt;" in html
    assert "Testy O&#x27;Fakeson" in html
    assert "Line one<br>Line &amp; two" in html
    assert "1 September 2026" in html
    assert "Received from others only" in html
    assert "item 2" in html


def test_an_unavailable_entry_prints_why_and_none_of_its_words() -> None:
    gone = dataclasses.replace(
        ROW,
        available=False,
        summary=None,
        content=None,
        source=None,
        unavailable_reason="Revoked by the sharing agency: the content is no longer available",
    )
    html = render_chronology(dataclasses.replace(VIEW, entries=(gone,)))
    assert "Revoked by the sharing agency" in html
    assert "Fake teacher" not in html
    assert "Line one" not in html


def test_no_entries_prints_nothing_to_show() -> None:
    html = render_chronology(dataclasses.replace(VIEW, entries=(), filters=()))
    assert "Nothing to show." in html
    assert "<table" not in html


def test_the_pdf_is_watermarked_on_every_page_with_the_case_and_who_printed_it() -> None:
    assert chronology_watermark_text(VIEW) == (
        "Chronology of TST-<1> - printed by Fakeofficer Testshire on 2 November 2026"
    )
    many = dataclasses.replace(VIEW, entries=(ROW,) * 40)
    html = chronology_print_html(many)
    assert render_chronology(many) in html
    document = print_document(html)
    assert len(document.pages) > 1
    mark = "".join(chronology_watermark_text(many).split())
    for margins in margin_texts(document):
        assert margins.count(mark) == 2  # top and bottom
    assert "Fakeshire<Police>" in page_texts(document)[0]
    assert chronology_pdf(VIEW).startswith(b"%PDF-")


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_clock")
def test_received_words_hidden_after_revocation_are_hidden_in_the_pdf_too(world: World) -> None:
    s: Sharing = sharing(world)
    disclosure = issue(s)
    received_items_add_to_case(actor=s.recipient, disclosure=disclosure, case=world.other_case)

    def printed() -> str:
        chronology = chronology_filtered(case_chronology(case=world.other_case), received=True)
        view = chronology_print_view(
            chronology,
            printed_by=s.recipient.full_name,
            generated_at=clock.now(),
            filters=chronology_filters_described(received=True),
        )
        assert view.child_name == world.other_case.subject.display_name
        assert view.case_reference == world.other_case.reference
        assert len(view.entries) == len(chronology.entries) == 1
        return "".join(page_texts(print_document(chronology_print_html(view))))

    before = printed()
    assert "".join(world.item.content.split()) in before
    disclosure_revoke(actor=world.worker, disclosure=disclosure, reason="Shared in error")
    after = printed()
    assert "".join(world.item.content.split()) not in after
    assert "".join(world.item.summary.split()) not in after
    assert "Revokedbythesharingagency" in after
