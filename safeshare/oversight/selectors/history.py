"""Who has seen or changed a record: the ledger entries about a case or a person."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from django.db.models import QuerySet

from safeshare.cases.models import Case
from safeshare.ledger.events import READ_EVENTS
from safeshare.ledger.models import LedgerEntry
from safeshare.ledger.selectors import (
    ledger_entries_for_case,
    ledger_entries_for_person,
)
from safeshare.oversight.labels import event_label, purpose_label, role_labels
from safeshare.oversight.selectors.common import (
    _agency_names,
    _codes,
    _practitioner_names,
)
from safeshare.people.models import Person

RECORD_ACCESS_FILTERS: Final[dict[str, str]] = {
    "all": "Everything",
    "reads": "Reads only",
    "changes": "Changes only",
    "outside": "Outside my agency only",
}


# ---------------------------------------------------------------------------------------------
# Who has seen or changed this record
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    """One ledger entry about a record, in plain words."""

    entry: LedgerEntry
    event: str
    is_read: bool
    actor: str
    agency: str
    outside: bool  # the actor's agency is not the agency holding the record
    roles: tuple[str, ...]
    purpose: str


def record_access_entries(*, record: Case | Person, show: str = "all") -> QuerySet[LedgerEntry]:
    """Every ledger entry about ``record``, newest first: for a case, the entries naming the case;
    for a person, every entry naming the person (their cases included). ``show`` narrows it to
    "reads", "changes" or "outside" (actors of another agency); anything else shows everything."""
    if isinstance(record, Case):
        entries = ledger_entries_for_case(case_id=record.pk)
    else:
        entries = ledger_entries_for_person(person_id=record.pk)
    entries = entries.order_by("-occurred_at", "-id")
    reads = _codes(READ_EVENTS)
    if show == "reads":
        return entries.filter(event_code__in=reads)
    if show == "changes":
        return entries.exclude(event_code__in=reads)
    if show == "outside":
        return entries.filter(actor_agency_id__isnull=False).exclude(
            actor_agency_id=record.agency_id
        )
    return entries


def entry_rows(*, entries: Sequence[LedgerEntry], agency_id: uuid.UUID) -> list[EntryRow]:
    """Entries in plain words, naming actors and their agencies in two queries for the page."""
    names = _practitioner_names(e.actor_id for e in entries)
    agencies = _agency_names(e.actor_agency_id for e in entries)
    reads = _codes(READ_EVENTS)
    return [
        EntryRow(
            entry=e,
            event=event_label(e.event_code),
            is_read=e.event_code in reads,
            actor=(
                names.get(e.actor_id, "Unknown practitioner") if e.actor_id else "SafeShare itself"
            ),
            agency=agencies.get(e.actor_agency_id, "") if e.actor_agency_id else "",
            outside=e.actor_agency_id is not None and e.actor_agency_id != agency_id,
            roles=role_labels(e.actor_roles),
            purpose=purpose_label(e.purpose),
        )
        for e in entries
    ]
