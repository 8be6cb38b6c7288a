"""A case's chronology: its own information items and the received items linked to it
(``ReceivedItemLink``), each with its source agency, fact or opinion, date and category, in date
order: newest event first everywhere (the page, the PDF, the API), oldest first when asked
(``oldest_first``). A received item's words show only while its disclosure may be read (neither
expired nor revoked); after that the entry stays, saying so, without them.

Callers obtain the case through ``access_case`` and record the reads of received content that
``case_chronology`` reports in ``Chronology.shown_disclosures``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from safeshare.cases.models import Case, FactOrOpinion
from safeshare.cases.selectors import case_items
from safeshare.core.vocabulary import InformationCategory
from safeshare.disclosures.chronology_render import ChronologyPrintView, ChronologyRow
from safeshare.disclosures.models import Disclosure, DisclosureStatus, ReceivedItemLink
from safeshare.disclosures.redaction import plain_text
from safeshare.people.models import Person


@dataclass(frozen=True)
class ChronologyEntry:
    event_date: dt.date
    category: str
    fact_or_opinion: str
    is_opinion: bool
    source_agency: str
    received: bool
    available: bool
    # The words and who said them: None once a received item's disclosure has expired or been
    # revoked (``unavailable_reason`` says which).
    summary: str | None
    content: str | None
    source: str | None
    unavailable_reason: str
    item_id: uuid.UUID | None  # an item of the case's own agency
    disclosure_id: uuid.UUID | None  # where a received item came from
    item_number: int | None  # its number in that disclosure
    recorded_at: dt.datetime


@dataclass(frozen=True)
class Chronology:
    case: Case
    entries: tuple[ChronologyEntry, ...]
    # Disclosures whose content this chronology shows (each is a recorded read).
    shown_disclosures: tuple[Disclosure, ...]
    # Newest event first unless asked for the oldest first.
    oldest_first: bool = False


def same_child(ours: Person, theirs: Person) -> bool:
    """Could two agencies' records be of the same child? Each agency holds its own Person row,
    so compare what both hold: the NHS number when both have one; otherwise the date of birth and
    the family name (ignoring case and surrounding spaces)."""
    if ours.nhs_number and theirs.nhs_number:
        return ours.nhs_number == theirs.nhs_number
    return (
        ours.date_of_birth == theirs.date_of_birth
        and ours.family_name.strip().casefold() == theirs.family_name.strip().casefold()
    )


def _unavailable_reason(disclosure: Disclosure) -> str:
    if disclosure.status == DisclosureStatus.REVOKED:
        return "Revoked by the sharing agency: the content is no longer available"
    if disclosure.recalled_at is not None:
        return (
            f"Recalled on {disclosure.recalled_at:%-d %B %Y}: the consent it was shared on was "
            "withdrawn, so the content is no longer available"
        )
    if disclosure.is_expired:
        return f"Expired on {disclosure.expires_at:%-d %B %Y}: the content is no longer available"
    return ""


def _received(link: ReceivedItemLink) -> ChronologyEntry:
    item = link.disclosed_item
    disclosure = link.disclosure
    available = disclosure.content_available
    return ChronologyEntry(
        event_date=item.event_date,
        category=item.get_category_display(),
        fact_or_opinion=item.get_fact_or_opinion_display(),
        is_opinion=item.fact_or_opinion == FactOrOpinion.OPINION,
        source_agency=item.source_agency.name,
        received=True,
        available=available,
        summary=plain_text(item.summary) if available else None,
        content=plain_text(item.content) if available else None,
        source=item.source if available else None,
        unavailable_reason="" if available else _unavailable_reason(disclosure),
        item_id=None,
        disclosure_id=disclosure.pk,
        item_number=item.position + 1,
        recorded_at=link.added_at,
    )


def case_chronology(
    *, case: Case, oldest_first: bool = False, readable: QuerySet[Disclosure] | None = None
) -> Chronology:
    """The case's own items and the received items linked to it, newest event first (entries of
    the same day: the latest recorded first), or the other way round with ``oldest_first``."""
    own = [
        ChronologyEntry(
            event_date=item.event_date,
            category=item.get_category_display(),
            fact_or_opinion=item.get_fact_or_opinion_display(),
            is_opinion=item.fact_or_opinion == FactOrOpinion.OPINION,
            source_agency=item.case.agency.name,
            received=False,
            available=True,
            summary=item.summary,
            content=item.content,
            source=item.source,
            unavailable_reason="",
            item_id=item.pk,
            disclosure_id=None,
            item_number=None,
            recorded_at=item.recorded_at,
        )
        for item in case_items(case=case)
    ]
    linked = ReceivedItemLink.objects.filter(case=case)
    if readable is not None:
        # Only what the reader may read of what was received (access.rules.
        # received_disclosure_rule): others in the agency see no trace of it, as if never received.
        linked = linked.filter(disclosure__in=readable)
    links = list(linked.select_related("disclosed_item__source_agency", "disclosure__case"))
    received = [_received(link) for link in links]
    shown: dict[uuid.UUID, Disclosure] = {}
    for link in links:
        if link.disclosure.content_available:
            shown.setdefault(link.disclosure.pk, link.disclosure)
    entries = sorted(
        own + received, key=lambda e: (e.event_date, e.recorded_at), reverse=not oldest_first
    )
    return Chronology(
        case=case,
        entries=tuple(entries),
        shown_disclosures=tuple(shown.values()),
        oldest_first=oldest_first,
    )


def chronology_filtered(
    chronology: Chronology, *, received: bool | None = None, category: str = ""
) -> Chronology:
    """Only the entries received from other agencies (``received=True``), only our own
    (``False``) or both (``None``), of one category (its code; all when empty). The disclosures
    shown are those whose content is still among the entries."""
    label = InformationCategory(category).label if category else ""
    entries = tuple(
        entry
        for entry in chronology.entries
        if (received is None or entry.received == received)
        and (not label or entry.category == label)
    )
    return chronology_narrowed(chronology, entries=entries)


def chronology_narrowed(
    chronology: Chronology, *, entries: Sequence[ChronologyEntry]
) -> Chronology:
    """The chronology with only ``entries`` (some of its own, such as one page of them): the
    disclosures shown are those whose content is still among them, the order stays."""
    still_shown = {entry.disclosure_id for entry in entries if entry.received and entry.available}
    return Chronology(
        case=chronology.case,
        entries=tuple(entries),
        shown_disclosures=tuple(d for d in chronology.shown_disclosures if d.pk in still_shown),
        oldest_first=chronology.oldest_first,
    )


def chronology_filters_described(
    *, received: bool | None = None, category: str = ""
) -> tuple[str, ...]:
    """The filters ``chronology_filtered`` applied, described for a person (none: all shown)."""
    described: list[str] = []
    if received is not None:
        described.append("Received from others only" if received else "Our agency's only")
    if category:
        described.append(f"Category: {InformationCategory(category).label}")
    return tuple(described)


def chronology_print_view(
    chronology: Chronology,
    *,
    printed_by: str,
    generated_at: dt.datetime,
    filters: tuple[str, ...] = (),
) -> ChronologyPrintView:
    """What ``render_chronology`` prints: exactly the chronology's entries (so the PDF shows what
    the page shows, received words still hidden after expiry or revocation)."""
    case = chronology.case
    return ChronologyPrintView(
        case_reference=case.reference,
        child_name=case.subject.display_name,
        generated_at=generated_at,
        printed_by=printed_by,
        filters=filters,
        oldest_first=chronology.oldest_first,
        entries=tuple(
            ChronologyRow(
                event_date=entry.event_date,
                source_agency=entry.source_agency,
                received=entry.received,
                category=entry.category,
                fact_or_opinion=entry.fact_or_opinion,
                is_opinion=entry.is_opinion,
                available=entry.available,
                summary=entry.summary,
                content=entry.content,
                source=entry.source,
                unavailable_reason=entry.unavailable_reason,
                item_number=entry.item_number,
            )
            for entry in chronology.entries
        ),
    )
