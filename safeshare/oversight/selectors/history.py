"""Who has seen or changed a record: the ledger entries about a case or a person, one by one or
grouped by person, day and kind of access (one row for the forty times a practitioner opened a
case on one day), narrowed by date range, agency, person and kind of access."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import TruncDate

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
# The person filter's value for entries SafeShare itself wrote (no practitioner).
SYSTEM_ACTOR: Final = "system"
SYSTEM_ACTOR_NAME: Final = "SafeShare itself"


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


@dataclass(frozen=True)
class RecordAccessFilters:
    """What to narrow a record's history to. Days are local calendar days (``TIME_ZONE``), both
    ends included; ``actor`` is a practitioner's id or ``SYSTEM_ACTOR``."""

    show: str = "all"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    agency_id: uuid.UUID | None = None
    actor: uuid.UUID | str | None = None
    event_code: int | None = None


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def record_access_entries(
    *, record: Case | Person, show: str = "all", filters: RecordAccessFilters | None = None
) -> QuerySet[LedgerEntry]:
    """Every ledger entry about ``record``, newest first: for a case, the entries naming the case;
    for a person, every entry naming the person (their cases included). ``show`` (or
    ``filters.show``) narrows it to "reads", "changes" or "outside" (actors of another agency);
    anything else shows everything. ``filters`` narrows it further by day, the actor's agency,
    the actor and the kind of entry (its event)."""
    if isinstance(record, Case):
        entries = ledger_entries_for_case(case_id=record.pk)
    else:
        entries = ledger_entries_for_person(person_id=record.pk)
    entries = entries.order_by("-occurred_at", "-id")
    if filters is not None:
        show = filters.show
        entries = _narrowed(entries, filters)
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


def _narrowed(
    entries: QuerySet[LedgerEntry], filters: RecordAccessFilters
) -> QuerySet[LedgerEntry]:
    if filters.date_from is not None:
        entries = entries.filter(occurred_at__gte=_local_midnight(filters.date_from))
    if filters.date_to is not None:
        after = filters.date_to + dt.timedelta(days=1)
        entries = entries.filter(occurred_at__lt=_local_midnight(after))
    if filters.agency_id is not None:
        entries = entries.filter(actor_agency_id=filters.agency_id)
    if filters.actor == SYSTEM_ACTOR:
        entries = entries.filter(actor_id__isnull=True)
    elif filters.actor is not None:
        entries = entries.filter(actor_id=filters.actor)
    if filters.event_code is not None:
        entries = entries.filter(event_code=filters.event_code)
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


# ---------------------------------------------------------------------------------------------
# Grouped: one row per person, day and kind of access
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessGroupRow:
    """The entries one person (or SafeShare itself) made about a record on one day of one kind,
    in plain words: how many, the first and the last."""

    actor_id: uuid.UUID | None
    actor: str
    agency_id: uuid.UUID | None
    agency: str
    outside: bool
    day: dt.date
    event_code: int
    event: str
    is_read: bool
    times: int
    first_at: dt.datetime
    last_at: dt.datetime

    @property
    def actor_value(self) -> str:
        """The person filter's value that picks out this group's actor."""
        return str(self.actor_id) if self.actor_id else SYSTEM_ACTOR


def record_access_groups(*, entries: QuerySet[LedgerEntry]) -> QuerySet[Any]:
    """``entries`` (from ``record_access_entries``) counted by actor, their agency, local day
    and event, the group seen last first: one GROUP BY query (and a COUNT for a page of it)."""
    return (
        entries.order_by()
        .annotate(day=TruncDate("occurred_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("actor_id", "actor_agency_id", "day", "event_code")
        .annotate(times=Count("id"), first_at=Min("occurred_at"), last_at=Max("occurred_at"))
        .order_by("-last_at", "-day", "event_code", "actor_id")
    )


def group_rows(*, groups: Sequence[dict[str, Any]], agency_id: uuid.UUID) -> list[AccessGroupRow]:
    """Groups in plain words, naming actors and their agencies in two queries for the page."""
    names = _practitioner_names(g["actor_id"] for g in groups)
    agencies = _agency_names(g["actor_agency_id"] for g in groups)
    reads = _codes(READ_EVENTS)
    return [
        AccessGroupRow(
            actor_id=g["actor_id"],
            actor=(
                names.get(g["actor_id"], "Unknown practitioner")
                if g["actor_id"]
                else SYSTEM_ACTOR_NAME
            ),
            agency_id=g["actor_agency_id"],
            agency=agencies.get(g["actor_agency_id"], "") if g["actor_agency_id"] else "",
            outside=g["actor_agency_id"] is not None and g["actor_agency_id"] != agency_id,
            day=g["day"],
            event_code=g["event_code"],
            event=event_label(g["event_code"]),
            is_read=g["event_code"] in reads,
            times=g["times"],
            first_at=g["first_at"],
            last_at=g["last_at"],
        )
        for g in groups
    ]


@dataclass(frozen=True)
class RecordAccessChoices:
    """Who and what appears in a record's history, for the filters: (value, label) pairs."""

    agencies: tuple[tuple[str, str], ...]
    people: tuple[tuple[str, str], ...]
    kinds: tuple[tuple[str, str], ...]


def record_access_choices(*, record: Case | Person, show: str = "all") -> RecordAccessChoices:
    """The agencies, people and kinds of entry in ``record``'s history (what ``show`` shows of
    it), by name: three DISTINCT queries on the record's index, and one each for the names."""
    entries = record_access_entries(record=record, show=show).order_by()
    actor_ids = set(entries.values_list("actor_id", flat=True).distinct())
    agency_ids = set(entries.values_list("actor_agency_id", flat=True).distinct())
    codes = set(entries.values_list("event_code", flat=True).distinct())
    names = _practitioner_names(actor_ids)
    people = sorted(
        ((str(pk), names.get(pk, "Unknown practitioner")) for pk in actor_ids if pk),
        key=lambda pair: (pair[1].casefold(), pair[0]),
    )
    if None in actor_ids:
        people.append((SYSTEM_ACTOR, SYSTEM_ACTOR_NAME))
    agencies = _agency_names(agency_ids)
    return RecordAccessChoices(
        agencies=tuple(
            sorted(((str(pk), name) for pk, name in agencies.items()), key=lambda p: p[1])
        ),
        people=tuple(people),
        kinds=tuple(sorted(((str(code), event_label(code)) for code in codes), key=lambda p: p[1])),
    )
