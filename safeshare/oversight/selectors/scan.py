"""The unusual-access scan: the rules of ``unusual.py`` run over a bounded window of ledger
reads, after the database has left out the reads no rule could flag."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    DateField,
    Exists,
    Func,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast

from safeshare.cases.models import Case, CaseAllocation, Involvement
from safeshare.core import clock
from safeshare.core.workdays import UK
from safeshare.ledger.models import LedgerEntry
from safeshare.ledger.selectors import ledger_entries_of_actor_between
from safeshare.oversight.selectors.common import (
    _LIST_CODES,
    RECORD_READS,
    _codes,
)
from safeshare.oversight.unusual import (
    HOUR,
    FlaggedRead,
    Read,
    Reason,
    ScanContext,
    flag,
    non_working_periods,
    reads_over_hourly_limit,
)
from safeshare.people.models import Address, Person

# ---------------------------------------------------------------------------------------------
# The review queue of unusual access
# ---------------------------------------------------------------------------------------------

_READ_FIELDS: Final = (
    "id",
    "entry_id",
    "occurred_at",
    "event_code",
    "actor_id",
    "actor_agency_id",
    "subject_person_id",
    "subject_case_id",
)


def review_window_start() -> dt.datetime:
    return clock.now() - dt.timedelta(days=settings.SAFESHARE_ACCESS_REVIEW_WINDOW_DAYS)


def _uk_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(UK).date()


_CHUNK: Final = 5000  # ids per IN list (well inside SQLite's limit on query parameters)


def _chunks(ids: Iterable[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    wanted = sorted(set(ids))
    for first in range(0, len(wanted), _CHUNK):
        yield wanted[first : first + _CHUNK]


def _allocation_checker(actor_ids: set[uuid.UUID], since: dt.datetime) -> Any:
    """A function (actor, case ids, day) -> held an allocation to one of the cases that day,
    built from the allocations of ``actor_ids`` current on or after ``since``."""
    periods: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[dt.date, dt.date | None]]] = defaultdict(
        list
    )
    for chunk in _chunks(actor_ids):
        allocations = CaseAllocation.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=_uk_date(since)),
            practitioner_id__in=chunk,
        ).values_list("practitioner_id", "case_id", "started_on", "ended_on")
        for practitioner_id, case_id, started_on, ended_on in allocations:
            periods[(practitioner_id, case_id)].append((started_on, ended_on))

    def held(actor_id: uuid.UUID, case_ids: Iterable[uuid.UUID], day: dt.date) -> bool:
        return any(
            start <= day and (end is None or day <= end)
            for case_id in case_ids
            for start, end in periods.get((actor_id, case_id), ())
        )

    return held


def _cases_of_people(person_ids: set[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    """For ``person_ids``: the cases each is the subject of or involved in."""
    found: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for chunk in _chunks(person_ids):
        subjects = Case.objects.filter(subject_id__in=chunk).values_list("pk", "subject_id")
        involved = Involvement.objects.filter(person_id__in=chunk).values_list(
            "case_id", "person_id"
        )
        for case_id, person_id in [*subjects, *involved]:
            found[person_id].add(case_id)
    return found


def _owners(
    case_ids: Iterable[uuid.UUID], person_ids: Iterable[uuid.UUID]
) -> tuple[dict[uuid.UUID, uuid.UUID], dict[uuid.UUID, uuid.UUID]]:
    """The agency holding each case and each person."""
    cases: dict[uuid.UUID, uuid.UUID] = {}
    people: dict[uuid.UUID, uuid.UUID] = {}
    for chunk in _chunks(case_ids):
        cases.update(Case.objects.filter(pk__in=chunk).values_list("pk", "agency_id"))
    for chunk in _chunks(person_ids):
        people.update(Person.objects.filter(pk__in=chunk).values_list("pk", "agency_id"))
    return cases, people


def _protected(person_ids: set[uuid.UUID]) -> frozenset[uuid.UUID]:
    """Those of ``person_ids`` with a protected address."""
    found: set[uuid.UUID] = set()
    for chunk in _chunks(person_ids):
        found.update(
            Address.objects.filter(is_protected=True, person_id__in=chunk).values_list(
                "person_id", flat=True
            )
        )
    return frozenset(found)


def _read(
    row: tuple[Any, ...],
    case_owner: dict[uuid.UUID, uuid.UUID],
    person_owner: dict[uuid.UUID, uuid.UUID],
) -> Read:
    pk, entry_id, at, code, actor, agency, person, case, roles = row
    owner = case_owner.get(case) if case else person_owner.get(person) if person else None
    return Read(
        id=pk,
        entry_id=entry_id,
        occurred_at=at,
        event_code=code,
        actor_id=actor,
        actor_agency_id=agency,
        actor_roles=roles,
        person_id=person,
        case_id=case,
        owning_agency_id=owner,
        is_open=code not in _LIST_CODES,
    )


def _reads_of(entries: Sequence[LedgerEntry]) -> list[Read]:
    """Ledger entries as the rules see them (two queries for the agencies holding the records)."""
    case_owner, person_owner = _owners(
        {e.subject_case_id for e in entries if e.subject_case_id},
        {e.subject_person_id for e in entries if e.subject_person_id},
    )
    return [
        _read(
            (
                e.id,
                e.entry_id,
                e.occurred_at,
                e.event_code,
                e.actor_id,
                e.actor_agency_id,
                e.subject_person_id,
                e.subject_case_id,
                e.actor_roles,
            ),
            case_owner,
            person_owner,
        )
        for e in entries
    ]


def _scan(window: QuerySet[LedgerEntry], since: dt.datetime) -> list[FlaggedRead]:
    """Run every rule over ``window`` (reads of records, in ledger order); report those from
    ``since``. Seven queries (more only past 5,000 distinct people or cases), no N+1."""
    rows = list(window.values_list(*_READ_FIELDS, "actor_roles"))
    if not rows:
        return []
    case_ids = {row[7] for row in rows if row[7]}
    person_ids = {row[6] for row in rows if row[6]}
    case_owner, person_owner = _owners(case_ids, person_ids)
    protected = _protected(person_ids)
    held = _allocation_checker({row[4] for row in rows if row[4]}, since)
    cases_of_person = _cases_of_people(person_ids)
    reads: list[Read] = []
    allocated: set[int] = set()
    for row in rows:
        read = _read(row, case_owner, person_owner)
        reads.append(read)
        if read.case_id:
            case_ids = {read.case_id}
        elif read.person_id:
            case_ids = cases_of_person.get(read.person_id, set())
        else:
            case_ids = set()
        if read.actor_id is not None and held(read.actor_id, case_ids, _uk_date(read.occurred_at)):
            allocated.add(read.id)
    start, end = settings.SAFESHARE_WORKING_HOURS
    context = ScanContext(
        working_hours=(int(start), int(end)),
        allocated=frozenset(allocated),
        protected_people=protected,
        over_hourly_limit=reads_over_hourly_limit(
            reads, settings.SAFESHARE_ACCESS_REVIEW_HOURLY_LIMIT
        ),
    )
    return [f for f in flag(reads, context) if f.read.occurred_at >= since]


class UtcHour(Func):
    """The UTC hour of a timestamp as text, "YYYY-MM-DD HH", with each database's own built-in
    function (Django's Trunc runs Python for every row on SQLite)."""

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="strftime('%%%%Y-%%%%m-%%%%d %%%%H', %(expressions)s)",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')",
            **extra,
        )


def _burst_actors(opens: QuerySet[LedgerEntry], limit: int) -> set[uuid.UUID]:
    """Practitioners who might pass the distinct-children limit: a sliding hour spans at most two
    clock hours, so nobody whose distinct children in any two consecutive clock hours add up to
    no more than ``limit`` can pass it. One aggregate query."""
    per_hour = (
        opens.order_by()
        .annotate(hour=UtcHour("occurred_at"))
        .values("actor_id", "hour")
        .annotate(children=Count("subject_person_id", distinct=True))
        .values_list("actor_id", "hour", "children")
    )
    counts: dict[tuple[uuid.UUID, dt.datetime], int] = {
        (actor, dt.datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=dt.UTC)): children
        for actor, hour, children in per_hour
        if actor is not None
    }
    return {
        actor
        for (actor, hour), children in counts.items()
        if children + counts.get((actor, hour - HOUR), 0) > limit
    }


def _candidates(
    window: QuerySet[LedgerEntry], agency_id: uuid.UUID, since: dt.datetime
) -> QuerySet[LedgerEntry]:
    """The reads of ``window`` that some rule could flag, selected by the database: every read
    the rules flag is among them (a test checks), most ordinary reads are not, so the scan
    loads a small part of the window. ``agency_id`` is the reviewer's agency."""
    start, end = settings.SAFESHARE_WORKING_HOURS
    opens = window.exclude(event_code__in=_LIST_CODES)
    held_cases = Case.objects.filter(agency_id=agency_id).values("pk")
    held_people = Person.objects.filter(agency_id=agency_id).values("pk")
    allocated_that_day = CaseAllocation.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=OuterRef("utc_day")),
        case_id=OuterRef("subject_case_id"),
        practitioner_id=OuterRef("actor_id"),
        started_on__lte=OuterRef("utc_day"),
    )
    outside = (
        ~Q(actor_agency_id=agency_id)
        | Q(subject_person_id__isnull=True)
        | ~Q(subject_person_id__in=held_people)
        | (Q(subject_case_id__isnull=False) & ~Q(subject_case_id__in=held_cases))
    )
    late = Q()
    for period_start, period_end in non_working_periods(
        since - HOUR, clock.now() + HOUR, (start, end)
    ):
        late |= Q(occurred_at__gte=period_start, occurred_at__lt=period_end)
    unallocated = Q(subject_case_id__isnull=True) | ~Exists(allocated_that_day)
    protected = Q(
        subject_person_id__in=Address.objects.filter(is_protected=True).values("person_id")
    )
    bursts = _burst_actors(opens, settings.SAFESHARE_ACCESS_REVIEW_HOURLY_LIMIT)
    return window.annotate(utc_day=Cast("occurred_at", DateField())).filter(
        outside
        | Q(actor_id__in=bursts)
        | (~Q(event_code__in=_LIST_CODES) & (late | unallocated | protected))
    )


def flagged_reads(
    *, reads: QuerySet[LedgerEntry], since: dt.datetime, agency_id: uuid.UUID | None = None
) -> list[FlaggedRead]:
    """The reads of records in ``reads`` since ``since`` that a rule flags, oldest first.

    The practitioner's hour before ``since`` is read too, so the distinct-children count is right
    at the start of the window. With ``agency_id`` (the reviewer's agency, whose reads ``reads``
    holds) the database first leaves out the reads no rule could flag.
    """
    window = reads.filter(
        event_code__in=_codes(RECORD_READS),
        occurred_at__gte=since - HOUR,
        actor_id__isnull=False,
    ).order_by("occurred_at", "id")
    if agency_id is not None:
        window = _candidates(window, agency_id, since).order_by("occurred_at", "id")
    return _scan(window, since)


def read_flag_reasons(*, entry: LedgerEntry) -> tuple[Reason, ...]:
    """Why ``entry`` is unusual (empty when no rule flags it), from the entry and its actor's
    other reads in the hour before it."""
    if entry.actor_id is None or entry.event_code not in _codes(RECORD_READS):
        return ()
    window = ledger_entries_of_actor_between(
        actor_id=entry.actor_id, start=entry.occurred_at - HOUR, end=entry.occurred_at
    ).filter(event_code__in=_codes(RECORD_READS))
    for flagged in _scan(window, entry.occurred_at):
        if flagged.read.id == entry.id:
            return flagged.reasons
    return ()
