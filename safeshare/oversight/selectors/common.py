"""What the oversight selectors share: which ledger events count as reads of a record, and
names for practitioners and agencies in one query each."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Final

from safeshare.agencies.models import Agency, Practitioner
from safeshare.ledger.events import READ_EVENTS, Event
from safeshare.oversight.unusual import Reason

# Oversight's own reads (who has seen a record, notifications, the review queue, subject access
# exports): recorded and listed like any other, but never notified or flagged (looking at the
# queue would otherwise fill it).
OVERSIGHT_READS: Final = frozenset(
    {
        Event.RECORD_ACCESS_VIEWED,
        Event.NOTIFICATIONS_VIEWED,
        Event.ACCESS_REVIEW_VIEWED,
        Event.SUBJECT_ACCESS_EXPORTED,
    }
)
# Reads of a person's or a case's record: what notifications and the review queue are about.
RECORD_READS: Final = frozenset(READ_EVENTS - OVERSIGHT_READS - {Event.PRACTITIONER_LIST_VIEWED})
# Reads that show a record among others (a list or a search result) rather than open it.
LIST_READS: Final = frozenset({Event.CASE_LISTED, Event.PERSON_LISTED})
_REASONS: Final = frozenset(reason.value for reason in Reason)
_LIST_CODES: Final = frozenset(int(event) for event in LIST_READS)


def _codes(events: Iterable[Event]) -> list[int]:
    return sorted(int(event) for event in events)


def _practitioner_names(ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    rows = Practitioner.objects.filter(pk__in=wanted).values_list("pk", "given_name", "family_name")
    return {pk: f"{given} {family}".strip() for pk, given, family in rows}


def _agency_names(ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    return dict(Agency.objects.filter(pk__in=wanted).values_list("pk", "name"))
