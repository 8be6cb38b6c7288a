"""The access review queue: flagged reads not yet reviewed, reviews made, flagged reads per day."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from safeshare.cases.models import Case
from safeshare.core import clock
from safeshare.ledger.models import LedgerEntry
from safeshare.oversight.labels import event_label, role_labels
from safeshare.oversight.models import AccessReview
from safeshare.oversight.selectors.common import (
    _REASONS,
    _agency_names,
    _practitioner_names,
)
from safeshare.oversight.selectors.scan import (
    _reads_of,
    _uk_date,
    flagged_reads,
    read_flag_reasons,
    review_window_start,
)
from safeshare.oversight.unusual import (
    FlaggedRead,
    Read,
    Reason,
    reason_label,
)
from safeshare.people.models import Person


def reviewed_entry_ids(*, reviews: QuerySet[AccessReview], since: dt.datetime) -> frozenset[int]:
    """Entries reviewed among ``reviews`` (one agency's) that could be in a window from ``since``
    (a review is always made after the read it reviews)."""
    return frozenset(reviews.filter(reviewed_at__gte=since).values_list("entry_id", flat=True))


def review_queue(*, flagged: Sequence[FlaggedRead], reviewed: frozenset[int]) -> list[FlaggedRead]:
    """Flagged reads nobody in the agency has reviewed yet, newest first."""
    return [f for f in reversed(flagged) if f.read.id not in reviewed]


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    flagged: int
    awaiting: int  # of which not reviewed yet


def flagged_per_day(
    *, flagged: Sequence[FlaggedRead], reviewed: frozenset[int], since: dt.datetime
) -> list[DayCount]:
    """Flagged reads per UK day from ``since`` to today, days without any included."""
    totals: dict[dt.date, int] = defaultdict(int)
    awaiting: dict[dt.date, int] = defaultdict(int)
    for f in flagged:
        day = _uk_date(f.read.occurred_at)
        totals[day] += 1
        if f.read.id not in reviewed:
            awaiting[day] += 1
    first, last = _uk_date(since), clock.today()
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return [DayCount(day=d, flagged=totals[d], awaiting=awaiting[d]) for d in days]


@dataclass(frozen=True)
class FlaggedRow:
    read: Read
    reasons: tuple[str, ...]
    event: str
    actor: str
    agency: str
    roles: tuple[str, ...]
    record: str  # the child and case, or the agency holding a record the reviewer may not see
    case: Case | None
    person: Person | None


def _record_words(
    read: Read, case: Case | None, person: Person | None, agencies: dict[uuid.UUID, str]
) -> str:
    if case is not None:
        return f"{case.subject.display_name}, case {case.reference}"
    if person is not None:
        return person.display_name
    holder = agencies.get(read.owning_agency_id) if read.owning_agency_id else None
    return f"A record held by {holder}" if holder else "A record"


def flagged_rows(
    *, flagged: Sequence[FlaggedRead], cases: QuerySet[Case], people: QuerySet[Person]
) -> list[FlaggedRow]:
    """Flagged reads in plain words. Only records in ``cases`` and ``people`` (the reviewer's
    agency's) are named; another agency's record is named by that agency alone."""
    case_ids = {f.read.case_id for f in flagged if f.read.case_id}
    person_ids = {f.read.person_id for f in flagged if f.read.person_id}
    shown_cases = {c.pk: c for c in cases.filter(pk__in=case_ids).select_related("subject")}
    shown_people = {p.pk: p for p in people.filter(pk__in=person_ids)}
    names = _practitioner_names(f.read.actor_id for f in flagged)
    agencies = _agency_names(
        [f.read.actor_agency_id for f in flagged] + [f.read.owning_agency_id for f in flagged]
    )
    rows = []
    for f in flagged:
        read = f.read
        case = shown_cases.get(read.case_id) if read.case_id else None
        person = shown_people.get(read.person_id) if read.person_id else None
        rows.append(
            FlaggedRow(
                read=read,
                reasons=tuple(reason_label(r) for r in f.reasons),
                event=event_label(read.event_code),
                actor=names.get(read.actor_id, "Unknown practitioner") if read.actor_id else "",
                agency=agencies.get(read.actor_agency_id, "") if read.actor_agency_id else "",
                roles=role_labels(read.actor_roles),
                record=_record_words(read, case, person, agencies),
                case=case,
                person=person,
            )
        )
    return rows


def flagged_read_of(*, entry: LedgerEntry) -> FlaggedRead | None:
    """``entry`` with the reasons it is flagged, or None when no rule flags it."""
    reasons = read_flag_reasons(entry=entry)
    if not reasons:
        return None
    return FlaggedRead(read=_reads_of([entry])[0], reasons=reasons)


def review_history(*, reviews: QuerySet[AccessReview]) -> QuerySet[AccessReview]:
    """Reviews already made (one agency's), newest first, with the read and the reviewer."""
    return reviews.select_related("entry", "reviewer").order_by("-reviewed_at")


@dataclass(frozen=True)
class ReviewRow:
    review: AccessReview
    flagged: FlaggedRow
    reviewer: str


def review_rows(
    *, reviews: Sequence[AccessReview], cases: QuerySet[Case], people: QuerySet[Person]
) -> list[ReviewRow]:
    """Reviews in plain words, each with the read it is about and the reasons it was flagged
    for when it was reviewed."""
    reads = _reads_of([review.entry for review in reviews])
    flagged = [
        FlaggedRead(read=read, reasons=tuple(Reason(c) for c in review.reasons if c in _REASONS))
        for review, read in zip(reviews, reads, strict=True)
    ]
    rows = flagged_rows(flagged=flagged, cases=cases, people=people)
    return [
        ReviewRow(review=review, flagged=row, reviewer=review.reviewer.full_name)
        for review, row in zip(reviews, rows, strict=True)
    ]


@dataclass(frozen=True)
class ReviewOverview:
    """One scan of the window: what is flagged, what the agency has reviewed, and per day."""

    since: dt.datetime
    flagged: list[FlaggedRead]
    reviewed: frozenset[int]
    queue: list[FlaggedRead]  # newest first
    per_day: list[DayCount]


def access_review_overview(
    *, reads: QuerySet[LedgerEntry], reviews: QuerySet[AccessReview], agency_id: uuid.UUID
) -> ReviewOverview:
    """Scan the review window of ``reads`` (those a reviewer may see) against ``reviews`` (their
    agency's): about ten queries, whatever the window holds."""
    since = review_window_start()
    flagged = flagged_reads(reads=reads, since=since, agency_id=agency_id)
    reviewed = reviewed_entry_ids(reviews=reviews, since=since)
    return ReviewOverview(
        since=since,
        flagged=flagged,
        reviewed=reviewed,
        queue=review_queue(flagged=flagged, reviewed=reviewed),
        per_day=flagged_per_day(flagged=flagged, reviewed=reviewed, since=since),
    )


def review_of(*, reviews: QuerySet[AccessReview], entry: LedgerEntry) -> AccessReview | None:
    """The review of ``entry`` among ``reviews`` (one agency's), if there is one."""
    return reviews.filter(entry=entry).select_related("reviewer").first()
