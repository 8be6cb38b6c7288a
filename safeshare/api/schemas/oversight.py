"""Oversight of the ledger: who has seen a record, notifications, access review, SAR export."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import StrictInt

from safeshare.api.schemas.common import InputSchema, Text20000
from safeshare.oversight.models import ReviewOutcome
from safeshare.oversight.unusual import Reason


class LedgerEntryOut(Schema):
    """One ledger entry about a record, in plain words."""

    entry_id: uuid.UUID
    occurred_at: dt.datetime
    event_code: int
    event: str
    is_read: bool
    actor_id: uuid.UUID | None
    actor: str
    actor_agency_id: uuid.UUID | None
    actor_agency: str
    outside_agency: bool
    roles: list[str]
    purpose: str


class LedgerEntryPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[LedgerEntryOut]


class AccessGroupOut(Schema):
    """The entries one person (or SafeShare itself, ``actor_id`` null) made about a record on one
    day (UK time) of one kind: how many, the first and the last."""

    actor_id: uuid.UUID | None
    actor: str
    actor_agency_id: uuid.UUID | None
    actor_agency: str
    outside_agency: bool
    day: dt.date
    event_code: int
    event: str
    is_read: bool
    times: int
    first_at: dt.datetime
    last_at: dt.datetime


class AccessGroupPageOut(Schema):
    """A page of groups (``group=person_day_kind``), the group seen last first; ``count`` counts
    the groups."""

    group: str
    count: int
    limit: int
    offset: int
    groups: list[AccessGroupOut]


class RecordRefOut(Schema):
    """The record an entry is about, as far as the caller may know it."""

    case_id: uuid.UUID | None
    case_reference: str | None
    person_id: uuid.UUID | None
    person_name: str | None
    description: str


class NotificationOut(Schema):
    entry_id: uuid.UUID
    sequence: int
    occurred_at: dt.datetime
    is_new: bool
    event_code: int
    event: str
    actor: str
    actor_agency: str
    roles: list[str]
    record: RecordRefOut


class NotificationPageOut(Schema):
    count: int
    unread: int
    seen_up_to: int
    limit: int
    offset: int
    items: list[NotificationOut]


class MarkSeenIn(InputSchema):
    up_to: StrictInt


class MarkerOut(Schema):
    seen_up_to: int


class FlaggedReadOut(Schema):
    entry_id: uuid.UUID
    occurred_at: dt.datetime
    event_code: int
    event: str
    actor_id: uuid.UUID | None
    actor: str
    actor_agency: str
    roles: list[str]
    reasons: list[Reason]
    reason_labels: list[str]
    record: RecordRefOut


class DayCountOut(Schema):
    day: dt.date
    flagged: int
    awaiting: int


class ReviewQueueOut(Schema):
    since: dt.datetime
    count: int
    limit: int
    offset: int
    items: list[FlaggedReadOut]
    per_day: list[DayCountOut]


class ReviewIn(InputSchema):
    outcome: ReviewOutcome
    note: Text20000 = ""  # at most 5000 characters (422 naming "note" beyond)


class ReviewOut(Schema):
    id: uuid.UUID
    entry_id: uuid.UUID
    outcome: ReviewOutcome
    reasons: list[str]
    note: str
    reviewer: str
    reviewed_at: dt.datetime


class ReviewedReadOut(Schema):
    read: FlaggedReadOut
    review: ReviewOut


class ReviewPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReviewedReadOut]


class FlaggedReadDetailOut(Schema):
    read: FlaggedReadOut | None  # None: no rule flags it (nothing to review)
    review: ReviewOut | None


class BasisLineOut(Schema):
    citation: str
    title: str
    explanation: str


class SharedRecordOut(Schema):
    source: str
    reference: str
    shared_on: dt.datetime
    shared_by: str
    decided_by_role: str
    recipient: str
    recipient_type: str
    purpose: str
    decision: str
    consent: str
    kinds_of_information: list[str]
    lawful_basis: list[BasisLineOut]
    approval: str
    person_to_be_told: bool


class SubjectAccessOut(Schema):
    """What was shared about a person, with whom, when and why; other people's details withheld
    (``withheld`` says what and ``withheld_why`` why)."""

    person: str
    date_of_birth: str
    held_by: str
    produced_at: dt.datetime
    produced_by: str
    records: list[SharedRecordOut]
    withheld: list[str]
    withheld_why: str
    not_included: str
    sources: list[str]
