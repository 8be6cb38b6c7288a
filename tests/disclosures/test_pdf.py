"""PDF export: the same HTML as the preview and the recipient's page, watermarked on every page
with the recipient, the purpose and the expiry, and nothing ever fetched but data: URLs."""

from __future__ import annotations

import dataclasses
import http.server
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from weasyprint.formatting_structure.boxes import (  # type: ignore[import-untyped]
    MarginBox,
    TextBox,
)

from safeshare.access.fetch import access_disclosure_content
from safeshare.core import clock
from safeshare.disclosures.pdf import (
    DataOnlyFetcher,
    FetchRefused,
    disclosure_pdf,
    disclosure_print_html,
    print_document,
    watermark_text,
)
from safeshare.disclosures.redaction import Segment
from safeshare.disclosures.render import render_disclosure
from safeshare.disclosures.selectors import disclosure_content_view, disclosure_preview
from tests.conftest import World
from tests.disclosures.helpers import NOW, ItemSelection, issue, sharing
from tests.disclosures.test_render import VIEW


def _squash(text: str) -> str:
    """Text without whitespace: lines break anywhere in a laid-out page."""
    return re.sub(r"\s+", "", text)


def page_texts(document: Any) -> list[str]:
    """The text of each laid-out page, whitespace removed."""
    texts = []
    for page in document.pages:
        boxes = page._page_box.descendants()
        texts.append(_squash("".join(b.text for b in boxes if isinstance(b, TextBox))))
    return texts


def _text_of(box: Any) -> str:
    return _squash("".join(b.text for b in box.descendants() if isinstance(b, TextBox)))


def margin_texts(document: Any) -> list[list[str]]:
    """The text of each margin box (header, footer), page by page."""
    return [
        [_text_of(b) for b in page._page_box.descendants() if isinstance(b, MarginBox)]
        for page in document.pages
    ]


def long_view() -> Any:
    """Enough items to run over several pages."""
    item = VIEW.items[0]
    items = tuple(
        dataclasses.replace(item, summary=(Segment(f"Fake observation {n}"),)) for n in range(40)
    )
    return dataclasses.replace(VIEW, items=items)


def test_pdf_is_a_pdf() -> None:
    assert disclosure_pdf(VIEW).startswith(b"%PDF-")


def test_print_page_holds_exactly_the_renderers_html() -> None:
    html = disclosure_print_html(VIEW)
    assert render_disclosure(VIEW) in html


def test_every_page_carries_the_watermark_with_recipient_purpose_and_expiry() -> None:
    document = print_document(disclosure_print_html(long_view()))
    assert len(document.pages) > 1
    mark = _squash(watermark_text(VIEW))
    for margins in margin_texts(document):
        assert margins.count(mark) == 2  # the top and the bottom of every page
    assert "FakeofficerPlod" in mark
    assert _squash("Child protection (section 47 enquiries)") in mark
    assert _squash("18 February 2027 at 09:00 UTC") in mark


def test_pdf_text_holds_every_item_and_the_summary() -> None:
    view = long_view()
    text = "".join(page_texts(print_document(disclosure_print_html(view))))
    for n in range(40):
        assert _squash(f"Fake observation {n}") in text
    for words in ("Fakechild Testington", "Testshire Constabulary", "[redacted: Informant]"):
        assert _squash(words) in text


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/x.png", "https://example.invalid/", "file:///etc/hostname", "ftp://x/"],
)
def test_fetcher_refuses_anything_but_data_urls(url: str) -> None:
    with pytest.raises(FetchRefused):
        DataOnlyFetcher().fetch(url)


def test_fetcher_allows_a_data_url() -> None:
    response = DataOnlyFetcher().fetch("data:text/plain;base64,aGVsbG8=")
    body = response.file_obj if hasattr(response, "file_obj") else response
    assert body is not None


class _Counting(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def listening() -> Iterator[str]:
    """A local HTTP server that counts requests (nothing should ever reach it)."""
    _Counting.hits = 0
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_image_urls_injected_into_an_item_are_escaped_and_never_fetched(listening: str) -> None:
    nasty = f'<img src="{listening}/a.png"><img src="file:///etc/hostname">'
    view = dataclasses.replace(
        VIEW, items=(dataclasses.replace(VIEW.items[0], content=(Segment(nasty),)),)
    )
    html = disclosure_print_html(view)
    assert "<img" not in html
    assert disclosure_pdf(view).startswith(b"%PDF-")
    assert _Counting.hits == 0


def test_even_raw_markup_with_remote_images_fetches_nothing(listening: str) -> None:
    """Were the renderer ever to let markup through, the fetcher still fetches nothing."""
    raw = (
        f'<html><body><img src="{listening}/b.png"><link rel="stylesheet" href="{listening}/c">'
        '<img src="file:///etc/hostname"><p>Fake</p></body></html>'
    )
    print_document(raw).write_pdf()
    assert _Counting.hits == 0


@pytest.mark.django_db
def test_pdf_is_made_from_the_view_the_recipient_sees(world: World) -> None:
    with clock.frozen(NOW):
        s = sharing(world)
        arguments = {
            "actor": world.worker,
            "decision": s.decision,
            "recipient": s.recipient,
            "items": [ItemSelection(item=world.item)],
        }
        preview = disclosure_preview(**arguments)  # type: ignore[arg-type]
        disclosure = issue(s, **arguments)
        received = disclosure_content_view(
            disclosure=access_disclosure_content(s.recipient, disclosure.pk)
        )
    assert received == preview
    html = disclosure_print_html(received)
    assert render_disclosure(preview) in html
    text = "".join(page_texts(print_document(html)))
    assert _squash(world.item.content) in text
    assert _squash(s.recipient.full_name) in text
