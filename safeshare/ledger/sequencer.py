"""The sequencer: committed ledger entries become Merkle leaves, in batches, under signed heads.

The request path only inserts ``LedgerEntry`` rows (``ledger_append``), so writers never queue
behind a shared row. The sequencer then, in ONE transaction per batch:

1. takes the sequencer lock: ``pg_advisory_xact_lock`` on PostgreSQL; on SQLite the write lock
   that ``BEGIN IMMEDIATE`` takes when the transaction starts (our settings' transaction mode);
2. reads the current tree size from the latest signed head;
3. selects committed entries that have no leaf yet, in id order ("no leaf yet", never
   "id > last sequenced id": a lower id can commit after a higher one), from a safe low-water
   mark up, at most ``max_batch``;
4. gives them consecutive leaf indexes, writes the leaves and every Merkle node they complete
   (``merkle.new_nodes``), computes the new root, and signs and stores a new head.

All of it commits or none of it does: a crash mid-batch leaves the previous head, leaves and nodes
exactly as they were, and the next run redoes the batch. Two sequencers started at once queue on
the lock; and were the lock ever bypassed, the primary keys (leaf index, node id, head size) and
the unique entry of a leaf would make the second one's commit fail rather than fork the tree.

The low-water mark (``SignedTreeHead.sequenced_below``) is the entry id below which every entry
that will ever commit already has a leaf. It only rises past ids whose writers are known to have
finished: on SQLite, holding the write lock means no other writer is in flight; on PostgreSQL a
writer holds ROW EXCLUSIVE on the entry table from before it draws an id until it ends, so the
sequencer notes the id sequence's last value and the transactions holding that lock, and raises
the mark to that value once all of them have ended (``WriterHorizons``).

The sequencer writes no ledger entry for a batch (that would feed itself for ever); the signed
heads are its record. Publishing a signing key is a ledger event, written before the batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from safeshare.core import clock
from safeshare.ledger import merkle
from safeshare.ledger.key_services import ledger_signing_key_publish
from safeshare.ledger.lock import SequencerLockUnavailable, take_sequencer_lock
from safeshare.ledger.models import LedgerEntry, LedgerLeaf, LedgerSigningKey, SignedTreeHead
from safeshare.ledger.signing import (
    SigningKeys,
    TreeHead,
    format_timestamp,
    ledger_origin,
    reset_cache,
    sign_head,
    signing_keys,
)
from safeshare.ledger.tree import DatabaseNodes, LedgerCorrupt, tree_head

DEFAULT_BATCH = 10_000


class SequencerError(Exception):
    """The sequencer cannot run safely here (configuration, a retired key, a damaged tree)."""


@dataclass(frozen=True)
class SequenceResult:
    old_size: int
    new_size: int
    head: TreeHead | None  # None when there was nothing to add

    @property
    def added(self) -> int:
        return self.new_size - self.old_size


@dataclass
class WriterHorizons:
    """Where the low-water mark may rise to, once the writers seen in flight have all ended.

    Each run notes ``(last id drawn, writers in flight)``. An id at or below a noted value that
    has not committed by the time all those writers have ended never will. A follow loop keeps
    one object across runs, so the mark keeps up under constant load; a single run starts afresh.
    """

    pending: list[tuple[int, frozenset[str]]] = field(default_factory=list)

    def safe_upto(self) -> int | None:
        """Note the present, then the highest id known final (None if none yet).

        Each note stands on its own: a writer that drew an id at or below its value was either
        finished or among its writers in flight when the note was taken.
        """
        self.pending.append(_writer_horizon())
        ended = [last for last, writers in self.pending if _writers_ended(writers)]
        safe = max(ended, default=None)
        if safe is not None:
            self.pending = [(last, writers) for last, writers in self.pending if last > safe]
        del self.pending[:-8]  # under relentless load keep only the most recent notes
        return safe


def _writer_horizon() -> tuple[int, frozenset[str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_sequence_last_value(pg_get_serial_sequence('ledger_ledgerentry', 'id'))"
            )
            last = cursor.fetchone()[0] or 0
            cursor.execute(
                "SELECT DISTINCT virtualtransaction FROM pg_locks"
                " WHERE relation = 'ledger_ledgerentry'::regclass"
                " AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()"
            )
            return last, frozenset(row[0] for row in cursor.fetchall() if row[0])
        # SQLite: we hold the write lock, so no other writer is in flight.
        cursor.execute("SELECT MAX(id) FROM ledger_ledgerentry")
        return cursor.fetchone()[0] or 0, frozenset()


def _writers_ended(writers: frozenset[str]) -> bool:
    if not writers:
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'virtualxid' AND virtualxid = ANY(%s)",
            [sorted(writers)],
        )
        return int(cursor.fetchone()[0]) == 0


def _take_lock() -> None:
    try:
        take_sequencer_lock()
    except SequencerLockUnavailable as exc:
        raise SequencerError(str(exc)) from exc


def _current(latest: SignedTreeHead | None) -> tuple[int, int]:
    """The tree size and low-water mark, after checking the leaves agree with the latest head."""
    size = latest.size if latest is not None else 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(leaf_index) FROM ledger_ledgerleaf")
        top = cursor.fetchone()[0]
    leaves = 0 if top is None else top + 1
    if leaves != size:
        raise LedgerCorrupt(
            f"the leaves end at {leaves} but the latest signed head has size {size}: "
            "run 'safeshare ledger verify'"
        )
    return size, latest.sequenced_below if latest is not None else 0


def _pending(mark: int, max_batch: int) -> list[tuple[Any, ...]]:
    return list(
        LedgerEntry.objects.filter(id__gte=mark, leaf__isnull=True)
        .order_by("id")
        .values_list("id", "canonical")[:max_batch]
    )


def _write(size: int, rows: list[tuple[Any, ...]]) -> tuple[int, bytes]:
    # The leaf is the hash of the entry's stored canonical bytes (ASCII text from the encoder;
    # a row stored out of band is hashed as stored, as verification does, never refused here).
    leaf_hashes = [merkle.leaf_hash(row[1].encode()) for row in rows]
    reader = DatabaseNodes()
    nodes = merkle.new_nodes(reader, size, leaf_hashes)
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO ledger_ledgerleaf (leaf_index, entry_id, leaf_hash) VALUES (%s, %s, %s)",
            [
                (size + offset, row[0], digest)
                for offset, (row, digest) in enumerate(zip(rows, leaf_hashes, strict=True))
            ],
        )
        cursor.executemany(
            "INSERT INTO ledger_merklenode (id, hash) VALUES (%s, %s)",
            [(merkle.node_id(level, index), digest) for level, index, digest in nodes],
        )
    new_size = size + len(rows)
    return new_size, merkle.root(reader, new_size)


class SigningKeyRetired(SequencerError):
    """The key this process holds was retired (rotated by another process)."""


def _ensure_published(keys: SigningKeys) -> None:
    """Publish the active key if it is not yet, under the sequencer lock (two sequencers may
    start at once with the same new key)."""
    with transaction.atomic():
        _take_lock()
        published = LedgerSigningKey.objects.filter(pk=keys.active_id).first()
        if published is None:
            ledger_signing_key_publish(actor=None, public_key=keys.public_key(), source="sequencer")
            return
    if bytes(published.public_key) != keys.public_key():
        raise SequencerError(f"a different public key is published as {keys.active_id}")
    if published.retired_at is not None:
        raise SigningKeyRetired(
            f"the active signing key {keys.active_id} was retired; "
            "run 'safeshare ledger keys rotate'"
        )


def _active_keys(keys: SigningKeys | None) -> SigningKeys:
    if keys is not None:
        _ensure_published(keys)
        return keys
    try:
        _ensure_published(signing_keys())
    except SigningKeyRetired:
        reset_cache()  # another process rotated the keys: read them again, once
        _ensure_published(signing_keys())
    return signing_keys()


def ledger_sequence(
    *,
    max_batch: int = DEFAULT_BATCH,
    keys: SigningKeys | None = None,
    horizons: WriterHorizons | None = None,
) -> SequenceResult:
    """Sequence one batch of committed entries and sign the new head (one transaction)."""
    if max_batch < 1:
        raise ValueError("max_batch must be at least 1")
    keys = _active_keys(keys)
    horizons = horizons or WriterHorizons()
    with transaction.atomic():
        _take_lock()
        if LedgerSigningKey.objects.filter(pk=keys.active_id, retired_at__isnull=False).exists():
            raise SigningKeyRetired(f"the signing key {keys.active_id} was retired meanwhile")
        latest = SignedTreeHead.objects.order_by("-size").first()
        size, mark = _current(latest)
        safe = horizons.safe_upto()  # before the select: every id <= safe is final and visible
        rows = _pending(mark, max_batch)
        if not rows:
            return SequenceResult(size, size, None)
        new_size, root = _write(size, rows)
        covered = rows[-1][0] if len(rows) == max_batch else None
        if safe is not None:
            mark = max(mark, (safe if covered is None else min(safe, covered)) + 1)
        moment = clock.now()
        head = sign_head(
            keys,
            origin=ledger_origin(),
            size=new_size,
            root=root,
            timestamp=format_timestamp(moment),
        )
        row = SignedTreeHead.objects.create(
            size=new_size,
            origin=head.origin,
            root=head.root,
            timestamp=moment,
            key_id=head.key_id,
            signature=head.signature,
            sequenced_below=mark,
        )
    return SequenceResult(size, new_size, tree_head(row))


def _waiting() -> int:
    """About how many entries await a leaf (for progress): counted above the low-water mark,
    where entries and their leaves are both indexed."""
    latest = SignedTreeHead.objects.order_by("-size").first()
    mark = latest.sequenced_below if latest is not None else 0
    entries = LedgerEntry.objects.filter(id__gte=mark).count()
    leaves = LedgerLeaf.objects.filter(entry_id__gte=mark).count()
    return max(entries - leaves, 0)


def ledger_sequence_pending(
    *,
    max_batch: int = DEFAULT_BATCH,
    horizons: WriterHorizons | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SequenceResult:
    """Sequence batch after batch until no committed entry is left without a leaf."""
    horizons = horizons or WriterHorizons()
    first: SequenceResult | None = None
    last: SequenceResult | None = None
    total = _waiting() if progress else 0
    while True:
        result = ledger_sequence(max_batch=max_batch, horizons=horizons)
        first = first or result
        last = result if result.head is not None or last is None else last
        if progress is not None:
            done = last.new_size - first.old_size
            progress(done, max(total, done))
        if result.added < max_batch:
            break
    return SequenceResult(first.old_size, last.new_size, last.head)
