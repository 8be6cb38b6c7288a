"""Rules that flag unusual access to records, for information governance to review (pure Python).

Each rule is one small named function ``rule(read, context) -> bool`` over a ledger read and the
facts gathered for the whole scan (``ScanContext``). The selector (``selectors.flagged_reads``)
gathers those facts from the database in a fixed number of queries and runs every rule over every
read; nothing here touches the database, so the rules are tested and timed alone.

The rules (docs/how-to/oversight.md says the same for readers):

- ``outside_agency``: someone read a record held by an agency other than their own (any read,
  including a search hit or a list).
- ``out_of_hours``: a record was opened outside UK working hours (before 07:00 or from 20:00, UK
  time, by default), at a weekend or on an England and Wales bank holiday.
- ``many_children``: a practitioner opened records of more distinct children within an hour than
  the limit (30 by default): every open past the limit is flagged.
- ``no_allocation``: someone opened a record of their own agency without holding an allocation to
  a case of that child on that day (agency-wide access by a DSL, MASH or information governance
  officer: "break glass", reviewed after the fact).
- ``protected_address``: someone opened the record of a person with a protected address.

"Opened" means a read of the record itself (a person, a case, an item, a consent record, a
decision); list and search hits count for ``outside_agency`` only, since a list page shows
twenty-five children at a time and would drown the queue.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final, NamedTuple

from safeshare.core.workdays import UK, is_working_day

HOUR: Final = dt.timedelta(hours=1)


class Reason(StrEnum):
    OUTSIDE_AGENCY = "outside_agency"
    OUT_OF_HOURS = "out_of_hours"
    MANY_CHILDREN = "many_children"
    NO_ALLOCATION = "no_allocation"
    PROTECTED_ADDRESS = "protected_address"


REASON_LABELS: Final[dict[Reason, str]] = {
    Reason.OUTSIDE_AGENCY: "Access from outside the agency that holds the record",
    Reason.OUT_OF_HOURS: "Opened outside working hours, at a weekend or on a bank holiday",
    Reason.MANY_CHILDREN: "One of many children's records opened by one person within an hour",
    Reason.NO_ALLOCATION: "Opened without an allocation to the child's case (agency-wide access)",
    Reason.PROTECTED_ADDRESS: "Record of a person with a protected address",
}


def reason_label(code: str) -> str:
    try:
        return REASON_LABELS[Reason(code)]
    except ValueError:
        return code


class Read(NamedTuple):
    """One ledger read, as the rules see it (a tuple: a scan builds one per read in the window)."""

    id: int  # the ledger's insertion sequence
    entry_id: uuid.UUID
    occurred_at: dt.datetime
    event_code: int
    actor_id: uuid.UUID | None
    actor_agency_id: uuid.UUID | None
    person_id: uuid.UUID | None
    case_id: uuid.UUID | None
    owning_agency_id: uuid.UUID | None  # the agency holding the record read (None: unknown)
    is_open: bool  # the record itself was opened (not a list or search hit)
    actor_roles: str = ""  # for showing, not for the rules

    @property
    def same_agency(self) -> bool:
        return self.actor_agency_id is not None and self.actor_agency_id == self.owning_agency_id


@dataclass(frozen=True)
class ScanContext:
    """Facts about the reads of one scan, gathered before the rules run."""

    working_hours: tuple[int, int] = (7, 20)  # UK local hours: [start, end)
    allocated: frozenset[int] = frozenset()  # reads made while the actor held an allocation
    protected_people: frozenset[uuid.UUID] = frozenset()  # people with a protected address
    over_hourly_limit: frozenset[int] = frozenset()  # reads past the distinct-children limit


Rule = Callable[[Read, ScanContext], bool]


def outside_agency(read: Read, context: ScanContext) -> bool:
    """A record held by one agency read by a practitioner of another."""
    return (
        read.actor_agency_id is not None
        and read.owning_agency_id is not None
        and read.actor_agency_id != read.owning_agency_id
    )


@functools.lru_cache(maxsize=4096)
def _working_hour(hour_start: dt.datetime, working_hours: tuple[int, int]) -> bool:
    local = hour_start.astimezone(UK)
    start, end = working_hours
    return is_working_day(local.date()) and start <= local.hour < end


def within_working_hours(moment: dt.datetime, working_hours: tuple[int, int]) -> bool:
    """On a working day (not a weekend or bank holiday) between the hours, in UK time.

    UK time is always a whole number of hours from UTC, so the answer is the same for a whole
    UTC hour: it is worked out once per hour (a scan reads thousands of entries an hour).
    """
    hour_start = moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    return _working_hour(hour_start, working_hours)


def non_working_periods(
    start: dt.datetime, end: dt.datetime, working_hours: tuple[int, int]
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The UTC periods ``[from, to)`` between ``start`` and ``end`` outside working hours:
    exactly the moments ``within_working_hours`` says no to (for the database to select)."""
    periods: list[tuple[dt.datetime, dt.datetime]] = []
    moment = start.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    while moment < end:
        following = moment + HOUR
        if not within_working_hours(moment, working_hours):
            if periods and periods[-1][1] == moment:
                periods[-1] = (periods[-1][0], following)
            else:
                periods.append((moment, following))
        moment = following
    return periods


def out_of_hours(read: Read, context: ScanContext) -> bool:
    """A record opened outside working hours, at a weekend or on a bank holiday."""
    return read.is_open and not within_working_hours(read.occurred_at, context.working_hours)


def many_children(read: Read, context: ScanContext) -> bool:
    """An open past the practitioner's limit of distinct children within an hour."""
    return read.id in context.over_hourly_limit


def no_allocation(read: Read, context: ScanContext) -> bool:
    """An open of one's own agency's record without an allocation to the child's case."""
    return read.is_open and read.same_agency and read.id not in context.allocated


def protected_address(read: Read, context: ScanContext) -> bool:
    """An open of the record of a person with a protected address."""
    return read.is_open and read.person_id in context.protected_people


RULES: Final[tuple[tuple[Reason, Rule], ...]] = (
    (Reason.OUTSIDE_AGENCY, outside_agency),
    (Reason.OUT_OF_HOURS, out_of_hours),
    (Reason.MANY_CHILDREN, many_children),
    (Reason.NO_ALLOCATION, no_allocation),
    (Reason.PROTECTED_ADDRESS, protected_address),
)


def reasons_for(read: Read, context: ScanContext) -> tuple[Reason, ...]:
    """Every rule that flags ``read``, in the order of ``RULES`` (empty: not unusual)."""
    return tuple(reason for reason, rule in RULES if rule(read, context))


def reads_over_hourly_limit(reads: Iterable[Read], limit: int) -> frozenset[int]:
    """The opens at which a practitioner has opened more than ``limit`` distinct children's
    records within the hour ending at that open (a sliding window per practitioner).

    ``reads`` must be in ledger order (time, then sequence).
    """
    windows: dict[uuid.UUID, tuple[deque[tuple[dt.datetime, uuid.UUID]], Counter[uuid.UUID]]] = {}
    flagged: set[int] = set()
    for read in reads:
        if not read.is_open or read.actor_id is None or read.person_id is None:
            continue
        if read.actor_id not in windows:
            windows[read.actor_id] = (deque(), Counter())
        window, children = windows[read.actor_id]
        while window and window[0][0] < read.occurred_at - HOUR:
            _, person_id = window.popleft()
            children[person_id] -= 1
            if not children[person_id]:
                del children[person_id]
        window.append((read.occurred_at, read.person_id))
        children[read.person_id] += 1
        if len(children) > limit:
            flagged.add(read.id)
    return frozenset(flagged)


@dataclass(frozen=True)
class FlaggedRead:
    read: Read
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def flag(reads: Sequence[Read], context: ScanContext) -> list[FlaggedRead]:
    """The reads that at least one rule flags, in the order given."""
    flagged = []
    for read in reads:
        reasons = reasons_for(read, context)
        if reasons:
            flagged.append(FlaggedRead(read=read, reasons=reasons))
    return flagged
