"""Reads of the ledger."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Max, QuerySet

from safeshare.ledger.models import LedgerEntry


def ledger_entries_for_person(*, person_id: uuid.UUID) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(subject_person_id=person_id).order_by("id")


def ledger_entries_for_case(*, case_id: uuid.UUID) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(subject_case_id=case_id).order_by("id")


def ledger_entries_for_object(*, obj_type: str, obj_id: str) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(object_type=obj_type, object_id=obj_id).order_by("id")


def ledger_count() -> int:
    return LedgerEntry.objects.count()


def ledger_last_id() -> int:
    """The highest insertion sequence number so far (0 for an empty ledger)."""
    last: int | None = LedgerEntry.objects.aggregate(last=Max("id"))["last"]
    return last or 0


def ledger_entries_of_actor_between(
    *, actor_id: uuid.UUID, start: dt.datetime, end: dt.datetime
) -> QuerySet[LedgerEntry]:
    """What one actor did from ``start`` to ``end`` inclusive, in ledger order (actor index)."""
    return LedgerEntry.objects.filter(
        actor_id=actor_id, occurred_at__gte=start, occurred_at__lte=end
    ).order_by("occurred_at", "id")
