"""The append-only ledger table.

Rows are only ever inserted: there is no update or delete path in code, and database triggers
(migration 0002) refuse UPDATE and DELETE on both SQLite and PostgreSQL. The row holds references
and metadata, never personal free text: content lives encrypted in its own table.

There is no hash chain here on purpose: chaining each row to the previous one would make every
writer queue behind one "latest" row. The Merkle tree (its own issue) is built afterwards by a
sequencer over committed rows, using ``canonical_bytes``.
"""

from __future__ import annotations

import uuid

from django.db import models

from safeshare.core import clock
from safeshare.ledger.encoding import EntryFields, canonical_bytes


class LedgerEntry(models.Model):
    # Database insertion sequence; not the Merkle leaf index (the sequencer assigns that).
    id = models.BigAutoField(primary_key=True)
    entry_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(default=clock.now, editable=False)
    event_code = models.PositiveIntegerField()
    actor_id = models.UUIDField(null=True, blank=True)
    actor_agency_id = models.UUIDField(null=True, blank=True)
    actor_roles = models.CharField(max_length=200, blank=True)
    subject_person_id = models.UUIDField(null=True, blank=True)
    subject_case_id = models.UUIDField(null=True, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    purpose = models.CharField(max_length=100, blank=True)
    details = models.TextField(default="{}")

    class Meta:
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["subject_person_id", "occurred_at"], name="ledger_person_idx"),
            models.Index(fields=["subject_case_id", "occurred_at"], name="ledger_case_idx"),
            models.Index(fields=["actor_id", "occurred_at"], name="ledger_actor_idx"),
            models.Index(fields=["event_code", "occurred_at"], name="ledger_event_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_code} at {self.occurred_at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise LedgerIsAppendOnly("ledger entries cannot be changed")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise LedgerIsAppendOnly("ledger entries cannot be deleted")

    def fields(self) -> EntryFields:
        return EntryFields(
            entry_id=self.entry_id,
            occurred_at=self.occurred_at,
            event_code=self.event_code,
            actor_id=self.actor_id,
            actor_agency_id=self.actor_agency_id,
            actor_roles=self.actor_roles,
            subject_person_id=self.subject_person_id,
            subject_case_id=self.subject_case_id,
            object_type=self.object_type,
            object_id=self.object_id,
            purpose=self.purpose,
            details=self.details,
        )

    def canonical_bytes(self) -> bytes:
        return canonical_bytes(self.fields())


class LedgerIsAppendOnly(Exception):
    """Something tried to change or remove a ledger entry."""
