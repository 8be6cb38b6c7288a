"""Reads of the ledger."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from safeshare.ledger.models import LedgerEntry


def ledger_entries_for_person(*, person_id: uuid.UUID) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(subject_person_id=person_id).order_by("id")


def ledger_entries_for_case(*, case_id: uuid.UUID) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(subject_case_id=case_id).order_by("id")


def ledger_entries_for_object(*, obj_type: str, obj_id: str) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(object_type=obj_type, object_id=obj_id).order_by("id")


def ledger_count() -> int:
    return LedgerEntry.objects.count()
