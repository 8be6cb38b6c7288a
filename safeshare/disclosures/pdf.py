"""A disclosure as a PDF (pure: no Django), from the one renderer.

``disclosure_print_html`` wraps exactly the HTML of ``render.render_disclosure(view)`` (what the
preview and the recipient's page show) in a print page with our own small inline stylesheet, and a
watermark on every page (the page's top and bottom margin boxes, filled from an escaped HTML
element with ``string-set``, so no value is ever written into CSS) naming the recipient, the
purpose and the expiry.
``disclosure_pdf`` lays it out with WeasyPrint. Nothing is ever fetched from outside: the URL
fetcher refuses every URL that is not a ``data:`` URL (no http, no file, no ftp), so text that
somehow carried a link could not make the server read a local file or call another machine.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from weasyprint import HTML  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

from safeshare.disclosures.chronology_render import ChronologyPrintView, render_chronology
from safeshare.disclosures.render import DisclosureView, render_disclosure

ALLOWED_PROTOCOLS = ("data",)


class FetchRefused(ValueError):
    """A URL other than ``data:`` was asked for while laying out a PDF."""


class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's fetcher, allowed ``data:`` URLs only (checked twice: by WeasyPrint's own
    ``allowed_protocols`` and here, before anything is opened), no redirects, short timeout."""

    def __init__(self) -> None:
        super().__init__(
            timeout=1, allowed_protocols=list(ALLOWED_PROTOCOLS), allow_redirects=False
        )

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
        if scheme not in ALLOWED_PROTOCOLS:
            raise FetchRefused(f"Only data: URLs may be used in a PDF, not {scheme or 'this'}")
        return super().fetch(url, headers)


_STYLE = """
@page {
  size: A4;
  margin: 22mm 18mm 22mm 18mm;
  @top-center {
    content: string(watermark); font-size: 8pt; color: #942514;
    border-bottom: 0.5pt solid #942514; vertical-align: bottom; padding-bottom: 1mm;
  }
  @bottom-center { content: string(watermark); font-size: 8pt; color: #942514; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; }
}
html { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #0b0c0c; }
h1 { font-size: 16pt; margin: 0 0 6mm 0; }
.govuk-heading-m { font-size: 13pt; margin: 6mm 0 3mm 0; }
.govuk-heading-s { font-size: 11pt; margin: 4mm 0 2mm 0; }
.govuk-summary-list { margin: 0 0 3mm 0; }
.govuk-summary-list__row { display: flex; border-bottom: 0.5pt solid #b1b4b6; padding: 1mm 0; }
.govuk-summary-list__key { font-weight: bold; width: 35%; margin: 0; }
.govuk-summary-list__value { margin: 0; width: 65%; }
.govuk-list { margin: 0; padding-left: 5mm; }
.safeshare-disclosed-item { break-inside: avoid; border-left: 2mm solid #1d70b8;
  padding-left: 3mm; margin-bottom: 4mm; }
.safeshare-opinion { border-left-color: #f47738; }
.safeshare-redaction { background: #0b0c0c; color: #ffffff; padding: 0 1mm; }
.govuk-tag--red { color: #942514; font-weight: bold; }
.safeshare-watermark { string-set: watermark content(); font-size: 8pt; color: #942514; }
"""


def _expiry(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%-d %B %Y at %H:%M} UTC"


def watermark_text(view: DisclosureView) -> str:
    """The line printed on every page: who it was shared with, for what, until when."""
    return (
        f"Shared with {view.recipient}, {view.recipient_agency}. "
        f"For: {view.purpose} only. "
        f"Delete by {_expiry(view.expires_at)}. Do not share further."
    )


def disclosure_print_html(view: DisclosureView) -> str:
    """The print page: ``render_disclosure(view)`` unchanged, the stylesheet and the watermark."""
    mark = escape(watermark_text(view), quote=True)
    recipient = escape(view.recipient, quote=True)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Disclosure to {recipient}</title><style>{_STYLE}</style></head><body>"
        f'<p class="safeshare-watermark">{mark}</p>'
        "<h1>Information shared with you</h1>"
        f"{render_disclosure(view)}"
        "</body></html>"
    )


def print_document(html: str) -> Any:
    """Lay out a print page with the data:-only fetcher (a WeasyPrint ``Document``)."""
    return HTML(string=html, url_fetcher=DataOnlyFetcher(), base_url=None).render()


def disclosure_pdf(view: DisclosureView) -> bytes:
    """The disclosure as a PDF, watermarked on every page."""
    pdf: bytes = print_document(disclosure_print_html(view)).write_pdf()
    return pdf


# --- A case's chronology -------------------------------------------------------------------------

_CHRONOLOGY_STYLE = """
@page { size: A4 landscape; }
.govuk-table { width: 100%; border-collapse: collapse; }
.govuk-table__caption { text-align: left; font-weight: bold; margin-bottom: 2mm; }
.govuk-table__header, .govuk-table__cell { text-align: left; vertical-align: top;
  border-bottom: 0.5pt solid #b1b4b6; padding: 1.5mm 2mm 1.5mm 0; }
.govuk-table__row { break-inside: avoid; }
.govuk-tag { font-weight: bold; font-size: 8pt; }
.govuk-tag--orange { color: #6e3619; }
.govuk-tag--green { color: #005a30; }
.govuk-tag--blue { color: #0c2d4a; }
.safeshare-summary { font-weight: bold; margin: 0 0 1mm 0; }
.safeshare-unavailable { font-style: italic; }
"""


def chronology_watermark_text(view: ChronologyPrintView) -> str:
    """The line printed on every page: which case, who printed it and when."""
    return (
        f"Chronology of {view.case_reference} - printed by {view.printed_by} "
        f"on {view.generated_at.astimezone(dt.UTC):%-d %B %Y}"
    )


def chronology_print_html(view: ChronologyPrintView) -> str:
    """The print page: ``render_chronology(view)`` unchanged, the stylesheet and the watermark."""
    mark = escape(chronology_watermark_text(view), quote=True)
    reference = escape(view.case_reference, quote=True)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Chronology of {reference}</title>"
        f"<style>{_STYLE}{_CHRONOLOGY_STYLE}</style></head><body>"
        f'<p class="safeshare-watermark">{mark}</p>'
        f"<h1>Chronology of case {reference}</h1>"
        f"{render_chronology(view)}"
        "</body></html>"
    )


def chronology_pdf(view: ChronologyPrintView) -> bytes:
    """The case's chronology as a PDF, watermarked on every page."""
    pdf: bytes = print_document(chronology_print_html(view)).write_pdf()
    return pdf
