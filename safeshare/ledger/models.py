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


# --- The verifiable ledger: the Merkle tree over the entries, and its signed heads ---------------
# Written only by the sequencer (safeshare.ledger.sequencer), in one transaction per batch, and
# append-only in the database (migration 0004's triggers), like the entries themselves.


class MerkleNode(models.Model):
    """A complete subtree of the Merkle tree; level 0 nodes are the leaf hashes.

    The key is ``merkle.node_id(level, index)``. A complete subtree never changes once its last
    leaf is appended, so a node is written once and never updated.
    """

    id = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = "Merkle node"

    def __str__(self) -> str:
        return f"node {self.id}"


class LedgerLeaf(models.Model):
    """The place of one entry in the tree: consecutive indexes from 0, in sequencing order."""

    leaf_index = models.BigIntegerField(primary_key=True)
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="leaf")
    leaf_hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = "ledger leaf"

    def __str__(self) -> str:
        return f"leaf {self.leaf_index}"


class SignedTreeHead(models.Model):
    """A checkpoint: the tree's size and root, signed (Ed25519) by the sequencer's key.

    ``sequenced_below`` is not signed: it is the sequencer's own bookkeeping, the entry id below
    which every committed entry already has a leaf, so that the next batch need not look lower.
    """

    size = models.BigIntegerField(primary_key=True)
    origin = models.CharField(max_length=200)
    root = models.BinaryField(max_length=32)
    timestamp = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.BinaryField(max_length=64)
    sequenced_below = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "signed tree head"

    def __str__(self) -> str:
        return f"tree head at size {self.size}"


class LedgerSigningKey(models.Model):
    """A published public key that signs (or signed) tree heads. Private keys are never here.

    Retiring a key (it signs nothing new; old heads still verify with it) is the only change the
    database allows to a row.
    """

    key_id = models.CharField(max_length=16, primary_key=True)
    algorithm = models.CharField(max_length=20, default="ed25519")
    public_key = models.BinaryField(max_length=32)
    created_at = models.DateTimeField(default=clock.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ledger signing key"

    def __str__(self) -> str:
        return f"signing key {self.key_id}"
