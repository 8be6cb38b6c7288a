"""The one renderer of a disclosure as its recipient sees it (pure: no Django).

"Preview as recipient", the recipient's own page and the PDF export all render the same
``DisclosureView`` (built by ``selectors.disclosure_view``) with ``render_disclosure``, so what the
sharer previews is byte for byte what the recipient gets. Every value is escaped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from safeshare.disclosures.redaction import Segment


@dataclass(frozen=True)
class ItemView:
    category: str
    fact_or_opinion: str
    is_opinion: bool
    source: tuple[Segment, ...]
    how_known: str
    event_date: dt.date
    source_agency: str
    summary: tuple[Segment, ...]
    content: tuple[Segment, ...]
    third_party_included: bool  # shared as it is, with a recorded reason
    # Shared with the informant's identity redacted (the source withheld or redacted).
    third_party_redacted: bool = False


@dataclass(frozen=True)
class AddressView:
    whose: str
    lines: str
    postcode: str
    is_protected: bool


@dataclass(frozen=True)
class DisclosureView:
    child_name: str
    child_date_of_birth: str
    sharing_agency: str
    shared_by: str
    recipient: str
    recipient_agency: str
    purpose: str
    lawful_basis: tuple[str, ...]
    expires_at: dt.datetime
    items: tuple[ItemView, ...]
    addresses: tuple[AddressView, ...]


def _text(value: str) -> str:
    return escape(value, quote=True)


def _when(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%-d %B %Y at %H:%M} UTC"


def _day(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _segments(segments: tuple[Segment, ...]) -> str:
    parts = []
    for segment in segments:
        if segment.redacted:
            parts.append(
                f'<span class="safeshare-redaction">[redacted: {_text(segment.reason)}]</span>'
            )
        else:
            parts.append(_text(segment.text))
    return "".join(parts)


def _row(key: str, value: str) -> str:
    return (
        '<div class="govuk-summary-list__row">'
        f'<dt class="govuk-summary-list__key">{_text(key)}</dt>'
        f'<dd class="govuk-summary-list__value">{value}</dd></div>'
    )


def _item(number: int, item: ItemView) -> str:
    kind = "opinion" if item.is_opinion else "fact"
    rows = "".join(
        (
            _row("Fact or opinion", _text(item.fact_or_opinion)),
            _row("Source", _segments(item.source)),
            _row("How known", _text(item.how_known)),
            _row("Date", _text(_day(item.event_date))),
            _row("Source agency", _text(item.source_agency)),
            _row("Category", _text(item.category)),
        )
    )
    if item.third_party_included:
        third_party = (
            '<p class="govuk-body safeshare-third-party">Contains third-party information, '
            "shared with a recorded reason. Do not share it further.</p>"
        )
    elif item.third_party_redacted:
        third_party = (
            '<p class="govuk-body safeshare-third-party">Contains third-party information: who '
            "gave it has been withheld to protect them. Do not try to identify them, and do not "
            "share it further.</p>"
        )
    else:
        third_party = ""
    return (
        f'<section class="safeshare-disclosed-item safeshare-{kind}">'
        f'<h3 class="govuk-heading-s">{number}. {_segments(item.summary)}</h3>'
        f'<dl class="govuk-summary-list">{rows}</dl>'
        f'<p class="govuk-body">{_segments(item.content)}</p>{third_party}</section>'
    )


def _address(address: AddressView) -> str:
    protected = (
        '<strong class="govuk-tag govuk-tag--red">Protected address</strong> '
        if address.is_protected
        else ""
    )
    return (
        f"<li>{protected}{_text(address.whose)}: {_text(address.lines)}, "
        f"{_text(address.postcode)}</li>"
    )


def render_disclosure(view: DisclosureView) -> str:
    """The disclosure as an HTML fragment (GOV.UK Frontend classes), every value escaped."""
    basis = "".join(f"<li>{_text(line)}</li>" for line in view.lawful_basis)
    summary = "".join(
        (
            _row("Child", _text(view.child_name)),
            _row("Date of birth", _text(view.child_date_of_birth)),
            _row("Shared by", _text(f"{view.shared_by}, {view.sharing_agency}")),
            _row("Shared with", _text(f"{view.recipient}, {view.recipient_agency}")),
            _row("Purpose", _text(view.purpose)),
            _row("Lawful basis", f'<ul class="govuk-list">{basis}</ul>'),
            _row("Available until", _text(_when(view.expires_at))),
        )
    )
    items = "".join(_item(number, item) for number, item in enumerate(view.items, start=1))
    addresses = (
        '<h2 class="govuk-heading-m">Addresses</h2><ul class="govuk-list">'
        + "".join(_address(a) for a in view.addresses)
        + "</ul>"
        if view.addresses
        else ""
    )
    return (
        '<article class="safeshare-disclosure">'
        f'<dl class="govuk-summary-list">{summary}</dl>'
        f'<h2 class="govuk-heading-m">Information shared</h2>{items}{addresses}'
        '<p class="govuk-body">Use this information only for the purpose stated, do not share '
        "it further without a decision of your own, and delete it when it expires.</p>"
        "</article>"
    )
