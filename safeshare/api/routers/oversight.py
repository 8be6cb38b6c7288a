"""Oversight of the ledger: who has seen or changed a record, notifications of access from
outside the agency, the review queue of unusual access, and subject access request exports.

Every read here is itself recorded in the ledger (RECORD_ACCESS_VIEWED, NOTIFICATIONS_VIEWED,
ACCESS_REVIEW_VIEWED, SUBJECT_ACCESS_EXPORTED).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ValidationInfo, field_validator

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import (
    access_case_history,
    access_flagged_read,
    access_person_for_subject_access,
    access_person_history,
    record_access_review_read,
    record_notifications_read,
)
from safeshare.access.scopes import (
    access_reviews_visible_to,
    cases_held_by_agency_of,
    cases_notifying,
    people_held_by_agency_of,
    people_notifying,
    reads_reviewable_by,
)
from safeshare.api.auth import authorised
from safeshare.api.errors import responses
from safeshare.api.schemas.oversight import (
    AccessGroupPageOut,
    FlaggedReadDetailOut,
    LedgerEntryPageOut,
    MarkerOut,
    MarkSeenIn,
    NotificationPageOut,
    ReviewIn,
    ReviewOut,
    ReviewPageOut,
    ReviewQueueOut,
    SubjectAccessOut,
)
from safeshare.cases.models import Case
from safeshare.oversight.models import AccessReview, NotificationMarker
from safeshare.oversight.sar import export_mapping, subject_access_export
from safeshare.oversight.selectors import (
    AccessGroupRow,
    EntryRow,
    FlaggedRow,
    NotificationRow,
    RecordAccessFilters,
    access_review_overview,
    entry_rows,
    flagged_read_of,
    flagged_rows,
    group_rows,
    notification_marker,
    notification_rows,
    notification_window_start,
    notifications_unread_count,
    outside_reads,
    record_access_entries,
    record_access_groups,
    review_history,
    review_of,
    review_rows,
)
from safeshare.oversight.services import access_review_record, notifications_mark_seen
from safeshare.people.models import Person

router = Router(tags=["oversight"])


class Page(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


class HistoryFilters(Page):
    show: Literal["all", "reads", "changes", "outside"] = Field(
        "all", description="Everything, reads only, changes only, or actors of other agencies"
    )
    group: Literal["none", "person_day_kind"] = Field(
        "none",
        description=(
            "none: every entry on its own; person_day_kind: one group per person, day (UK time) "
            "and kind of entry, with how many times and the first and last time"
        ),
    )
    date_from: dt.date | None = Field(None, description="The first day (UK time) to include")
    date_to: dt.date | None = Field(None, description="The last day (UK time) to include")
    agency_id: uuid.UUID | None = Field(None, description="Only entries by this agency's staff")
    actor_id: uuid.UUID | None = Field(None, description="Only entries by this practitioner")
    event_code: int | None = Field(None, ge=1, description="Only entries of this event")

    @field_validator("date_to")
    @classmethod
    def _days_in_order(cls, date_to: dt.date | None, info: ValidationInfo) -> dt.date | None:
        date_from = info.data.get("date_from")
        if date_to and date_from and date_from > date_to:
            raise ValueError("date_to must be the same as or after date_from")
        return date_to

    def filters(self) -> RecordAccessFilters:
        return RecordAccessFilters(
            show=self.show,
            date_from=self.date_from,
            date_to=self.date_to,
            agency_id=self.agency_id,
            actor=self.actor_id,
            event_code=self.event_code,
        )


def _entry_out(row: EntryRow) -> dict[str, Any]:
    entry = row.entry
    return {
        "entry_id": entry.entry_id,
        "occurred_at": entry.occurred_at,
        "event_code": entry.event_code,
        "event": row.event,
        "is_read": row.is_read,
        "actor_id": entry.actor_id,
        "actor": row.actor,
        "actor_agency_id": entry.actor_agency_id,
        "actor_agency": row.agency,
        "outside_agency": row.outside,
        "roles": list(row.roles),
        "purpose": row.purpose,
    }


def _group_out(row: AccessGroupRow) -> dict[str, Any]:
    return {
        "actor_id": row.actor_id,
        "actor": row.actor,
        "actor_agency_id": row.agency_id,
        "actor_agency": row.agency,
        "outside_agency": row.outside,
        "day": row.day,
        "event_code": row.event_code,
        "event": row.event,
        "is_read": row.is_read,
        "times": row.times,
        "first_at": row.first_at,
        "last_at": row.last_at,
    }


def _history(record: Case | Person, filters: HistoryFilters) -> dict[str, Any]:
    entries = record_access_entries(record=record, filters=filters.filters())
    if filters.group == "person_day_kind":
        groups = record_access_groups(entries=entries)
        shown = list(groups[filters.offset : filters.offset + filters.limit])
        return {
            "group": filters.group,
            "count": groups.count(),
            "limit": filters.limit,
            "offset": filters.offset,
            "groups": [
                _group_out(row) for row in group_rows(groups=shown, agency_id=record.agency_id)
            ],
        }
    page = list(entries[filters.offset : filters.offset + filters.limit])
    return {
        "count": entries.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_entry_out(row) for row in entry_rows(entries=page, agency_id=record.agency_id)],
    }


@router.get(
    "/cases/{case_id}/record-access",
    response=responses(200, LedgerEntryPageOut | AccessGroupPageOut),
    summary="Who has seen or changed a case",
)
@declares(Capability.RECORD_ACCESS_VIEW)
def case_record_access_get(
    request: HttpRequest, case_id: uuid.UUID, filters: Query[HistoryFilters]
) -> dict[str, Any]:
    """Every ledger entry naming the case, newest first, with who (name, agency, roles at the
    time), what, why and when; or, with ``group=person_day_kind``, one group per person, day and
    kind of entry. Narrowed by days, agency, practitioner and event (RECORD_ACCESS_VIEW: DSLs and
    information governance of the agency holding the case; 404 for anyone else; 422 for a bad
    filter or ``date_to`` before ``date_from``). The request is itself recorded."""
    actor = authorised(request, Capability.RECORD_ACCESS_VIEW)
    case = access_case_history(actor, case_id, shown=filters.show)
    return _history(case, filters)


@router.get(
    "/people/{person_id}/record-access",
    response=responses(200, LedgerEntryPageOut | AccessGroupPageOut),
    summary="Who has seen or changed a person's record",
)
@declares(Capability.RECORD_ACCESS_VIEW)
def person_record_access_get(
    request: HttpRequest, person_id: uuid.UUID, filters: Query[HistoryFilters]
) -> dict[str, Any]:
    """Every ledger entry naming the person (their cases included), newest first, or grouped
    and narrowed like the case's (RECORD_ACCESS_VIEW, agency holding the person only; 404
    otherwise; 422 for a bad filter). Recorded."""
    actor = authorised(request, Capability.RECORD_ACCESS_VIEW)
    person = access_person_history(actor, person_id, shown=filters.show)
    return _history(person, filters)


def _record_ref(case: Case | None, person: Person | None, description: str) -> dict[str, Any]:
    return {
        "case_id": case.pk if case else None,
        "case_reference": case.reference if case else None,
        "person_id": person.pk if person else None,
        "person_name": person.display_name if person else None,
        "description": description,
    }


def _notification_out(row: NotificationRow) -> dict[str, Any]:
    if row.case is not None:
        description = f"{row.case.subject.display_name}, case {row.case.reference}"
    else:
        description = row.person.display_name if row.person else "A record"
    return {
        "entry_id": row.entry.entry_id,
        "sequence": row.entry.id,
        "occurred_at": row.entry.occurred_at,
        "is_new": row.is_new,
        "event_code": row.entry.event_code,
        "event": row.event,
        "actor": row.actor,
        "actor_agency": row.agency,
        "roles": list(row.roles),
        "record": _record_ref(row.case, row.person, description),
    }


@router.get(
    "/notifications",
    response=responses(200, NotificationPageOut),
    summary="Access from outside the agency",
)
@declares(Capability.NOTIFICATION_VIEW)
def notification_list_get(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    """Reads by practitioners of other agencies of the records the caller is told about (cases
    they are allocated to; every case of the agency for a DSL), newest first, over the
    notification window. ``is_new`` marks those after ``seen_up_to`` (NOTIFICATION_VIEW).
    Each record shown is recorded as read (NOTIFICATIONS_VIEWED)."""
    actor = authorised(request, Capability.NOTIFICATION_VIEW)
    cases, people = cases_notifying(actor), people_notifying(actor)
    entries = outside_reads(
        cases=cases, people=people, agency_id=actor.agency_id, since=notification_window_start()
    )
    shown = list(entries[page.offset : page.offset + page.limit])
    record_notifications_read(
        actor=actor, records=[(e.subject_person_id, e.subject_case_id) for e in shown]
    )
    marker = notification_marker(practitioner=actor)
    rows = notification_rows(entries=shown, marker=marker, cases=cases, people=people)
    return {
        "count": entries.count(),
        "unread": notifications_unread_count(practitioner=actor, cases=cases, people=people),
        "seen_up_to": marker,
        "limit": page.limit,
        "offset": page.offset,
        "items": [_notification_out(row) for row in rows],
    }


@router.post(
    "/notifications/seen",
    response=responses(200, MarkerOut),
    summary="Mark notifications seen",
)
@declares(Capability.NOTIFICATION_VIEW)
def notification_seen_post(request: HttpRequest, payload: MarkSeenIn) -> NotificationMarker:
    """Mark notifications seen up to ``up_to`` (a notification's ``sequence``, normally the
    newest one shown). The marker never moves back; a number beyond the ledger is 422 naming
    ``up_to`` (NOTIFICATION_VIEW). Recorded (NOTIFICATIONS_SEEN)."""
    actor = authorised(request, Capability.NOTIFICATION_VIEW)
    return notifications_mark_seen(actor=actor, up_to=payload.up_to)


def _flagged_out(row: FlaggedRow, reasons: Sequence[str]) -> dict[str, Any]:
    read = row.read
    return {
        "entry_id": read.entry_id,
        "occurred_at": read.occurred_at,
        "event_code": read.event_code,
        "event": row.event,
        "actor_id": read.actor_id,
        "actor": row.actor,
        "actor_agency": row.agency,
        "roles": list(row.roles),
        "reasons": list(reasons),
        "reason_labels": list(row.reasons),
        "record": _record_ref(row.case, row.person, row.record),
    }


def _review_out(review: AccessReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "entry_id": review.entry.entry_id,
        "outcome": review.outcome,
        "reasons": list(review.reasons),
        "note": review.note,
        "reviewer": review.reviewer.full_name,
        "reviewed_at": review.reviewed_at,
    }


@router.get(
    "/access-review",
    response=responses(200, ReviewQueueOut),
    summary="Unusual access waiting for review",
)
@declares(Capability.ACCESS_REVIEW)
def access_review_queue_get(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    """Reads flagged by the unusual-access rules over the review window, by the caller's
    agency's practitioners or of records it holds, not yet reviewed by the agency, newest first;
    with flagged reads per day (ACCESS_REVIEW: information governance). Each record shown is
    recorded as read (ACCESS_REVIEW_VIEWED)."""
    actor = authorised(request, Capability.ACCESS_REVIEW)
    overview = access_review_overview(
        reads=reads_reviewable_by(actor),
        reviews=access_reviews_visible_to(actor),
        agency_id=actor.agency_id,
    )
    shown = overview.queue[page.offset : page.offset + page.limit]
    record_access_review_read(
        actor=actor, records=[(f.read.person_id, f.read.case_id) for f in shown]
    )
    rows = flagged_rows(
        flagged=shown, cases=cases_held_by_agency_of(actor), people=people_held_by_agency_of(actor)
    )
    return {
        "since": overview.since,
        "count": len(overview.queue),
        "limit": page.limit,
        "offset": page.offset,
        "items": [
            _flagged_out(row, [str(r) for r in flagged.reasons])
            for row, flagged in zip(rows, shown, strict=True)
        ],
        "per_day": overview.per_day,
    }


@router.get(
    "/access-review/reviews",
    response=responses(200, ReviewPageOut),
    summary="Reviews of unusual access already made",
)
@declares(Capability.ACCESS_REVIEW)
def access_review_history_get(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    """The caller's agency's reviews, newest first, each with the read it is about and the
    reasons it was flagged for (ACCESS_REVIEW). Each record shown is recorded as read."""
    actor = authorised(request, Capability.ACCESS_REVIEW)
    reviews = review_history(reviews=access_reviews_visible_to(actor))
    shown = list(reviews[page.offset : page.offset + page.limit])
    rows = review_rows(
        reviews=shown, cases=cases_held_by_agency_of(actor), people=people_held_by_agency_of(actor)
    )
    record_access_review_read(
        actor=actor,
        records=[(row.flagged.read.person_id, row.flagged.read.case_id) for row in rows],
    )
    items: list[dict[str, Any]] = [
        {
            "read": _flagged_out(row.flagged, list(row.review.reasons)),
            "review": _review_out(row.review),
        }
        for row in rows
    ]
    return {"count": reviews.count(), "limit": page.limit, "offset": page.offset, "items": items}


@router.get(
    "/access-review/{entry_id}",
    response=responses(200, FlaggedReadDetailOut),
    summary="One flagged read",
)
@declares(Capability.ACCESS_REVIEW)
def access_review_get(request: HttpRequest, entry_id: uuid.UUID) -> dict[str, Any]:
    """A read the caller may review (by their agency's practitioners or of its records), why it
    is flagged (``read`` is null when no rule flags it) and the agency's review if made
    (ACCESS_REVIEW; 404 for any other entry). Recorded (ACCESS_REVIEW_VIEWED)."""
    actor = authorised(request, Capability.ACCESS_REVIEW)
    entry = access_flagged_read(actor, entry_id)
    flagged = flagged_read_of(entry=entry)
    review = review_of(reviews=access_reviews_visible_to(actor), entry=entry)
    read = None
    if flagged is not None:
        row = flagged_rows(
            flagged=[flagged],
            cases=cases_held_by_agency_of(actor),
            people=people_held_by_agency_of(actor),
        )[0]
        read = _flagged_out(row, [str(r) for r in flagged.reasons])
    return {"read": read, "review": _review_out(review) if review else None}


@router.post(
    "/access-review/{entry_id}",
    response=responses(201, ReviewOut),
    summary="Record a review of a flagged read",
)
@declares(Capability.ACCESS_REVIEW)
def access_review_post(
    request: HttpRequest, entry_id: uuid.UUID, payload: ReviewIn
) -> Status[dict[str, Any]]:
    """Record whether a flagged read was appropriate, for the caller's agency (ACCESS_REVIEW).
    A note is needed unless ``appropriate`` (422 naming ``note``); a read no rule flags, or one
    the agency has already reviewed, is 409. The note is stored encrypted."""
    actor = authorised(request, Capability.ACCESS_REVIEW)
    entry = access_flagged_read(actor, entry_id)
    review = access_review_record(
        actor=actor, entry=entry, outcome=payload.outcome, note=payload.note
    )
    return Status(201, _review_out(review))


@router.get(
    "/people/{person_id}/subject-access",
    response=responses(200, SubjectAccessOut),
    summary="Subject access request export",
)
@declares(Capability.SAR_EXPORT)
def subject_access_get(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    """What was shared about the person, with whom (agency and its kind; practitioners by role),
    when and why (purpose, lawful basis in plain words), from recorded sharing decisions.
    Other people's details and practitioners' free text are withheld, and the export says so
    (SAR_EXPORT: information governance of the agency holding the person; 404 otherwise).
    Recorded (SUBJECT_ACCESS_EXPORTED)."""
    actor = authorised(request, Capability.SAR_EXPORT)
    person = access_person_for_subject_access(actor, person_id, export_format="api")
    return export_mapping(subject_access_export(person=person, produced_by=actor.agency))
