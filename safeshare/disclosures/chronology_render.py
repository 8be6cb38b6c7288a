"""The one renderer of a case's chronology for print (pure: no Django).

``chronology.chronology_print_view`` builds a ``ChronologyPrintView`` from exactly the entries the
chronology page shows (same case, same filters); ``render_chronology`` turns it into an HTML table
fragment with GOV.UK Frontend classes, and ``pdf.chronology_pdf`` lays that out. Every value is
escaped; a received item whose disclosure expired or was revoked shows only why its words are gone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class ChronologyRow:
    event_date: dt.date
    source_agency: str
    received: bool
    category: str
    fact_or_opinion: str
    is_opinion: bool
    available: bool
    # None once a received item's disclosure expired or was revoked.
    summary: str | None
    content: str | None
    source: str | None
    unavailable_reason: str
    item_number: int | None


@dataclass(frozen=True)
class ChronologyPrintView:
    case_reference: str
    child_name: str  # as our agency holds it
    generated_at: dt.datetime
    printed_by: str
    filters: tuple[str, ...]  # each applied filter, described for a person
    entries: tuple[ChronologyRow, ...]
    oldest_first: bool = False  # the entries' order, as the page showed them


def _text(value: str) -> str:
    return escape(value, quote=True)


def _when(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%-d %B %Y at %H:%M} UTC"


def _day(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _cell(html: str) -> str:
    return f'<td class="govuk-table__cell">{html}</td>'


def _what(row: ChronologyRow) -> str:
    kind = _text(row.fact_or_opinion)
    if not row.available:
        return f'{kind}. <span class="safeshare-unavailable">{_text(row.unavailable_reason)}</span>'
    colour = "orange" if row.is_opinion else "green"
    parts = [
        f'<strong class="govuk-tag govuk-tag--{colour}">{kind}</strong>',
        f'<p class="govuk-body safeshare-summary">{_text(row.summary or "")}</p>',
        '<p class="govuk-body">'
        + "<br>".join(_text(line) for line in (row.content or "").splitlines())
        + "</p>",
    ]
    if row.source:
        parts.append(f'<p class="govuk-body-s">Source: {_text(row.source)}</p>')
    if row.received and row.item_number is not None:
        parts.append(
            f'<p class="govuk-body-s">Shared by {_text(row.source_agency)}, '
            f"item {row.item_number}</p>"
        )
    return "".join(parts)


def _row(row: ChronologyRow) -> str:
    received = (
        '<br><strong class="govuk-tag govuk-tag--blue">Received</strong>' if row.received else ""
    )
    return (
        '<tr class="govuk-table__row">'
        + _cell(_text(_day(row.event_date)))
        + _cell(_text(row.source_agency) + received)
        + _cell(_text(row.category))
        + _cell(_what(row))
        + "</tr>"
    )


def render_chronology(view: ChronologyPrintView) -> str:
    """The chronology as an HTML fragment: who and when, the filters, then a table of entries."""
    filters = "; ".join(_text(f) for f in view.filters) if view.filters else "None"
    heading = (
        '<dl class="govuk-summary-list">'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Case</dt>'
        f'<dd class="govuk-summary-list__value">{_text(view.case_reference)}</dd></div>'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Child</dt>'
        f'<dd class="govuk-summary-list__value">{_text(view.child_name)}</dd></div>'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Printed</dt>'
        f'<dd class="govuk-summary-list__value">{_text(_when(view.generated_at))} by '
        f"{_text(view.printed_by)}</dd></div>"
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Filters</dt>'
        f'<dd class="govuk-summary-list__value">{filters}</dd></div></dl>'
    )
    if not view.entries:
        empty = '<p class="govuk-body">Nothing to show.</p>'
        return f'<article class="safeshare-chronology">{heading}{empty}</article>'
    rows = "".join(_row(row) for row in view.entries)
    order = "oldest first" if view.oldest_first else "newest first"
    return (
        f'<article class="safeshare-chronology">{heading}'
        '<table class="govuk-table" id="chronology">'
        f'<caption class="govuk-table__caption">Chronology, {order}</caption>'
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">Date</th>'
        '<th scope="col" class="govuk-table__header">Source</th>'
        '<th scope="col" class="govuk-table__header">Category</th>'
        '<th scope="col" class="govuk-table__header">What happened</th>'
        f'</tr></thead><tbody class="govuk-table__body">{rows}</tbody></table></article>'
    )
