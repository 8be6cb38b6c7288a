"""Reading the Merkle tree from the database: the node reader, signed heads, keys and proofs.

``DatabaseNodes`` is the :class:`safeshare.ledger.merkle.NodeReader` over ``ledger_merklenode``:
each call is ONE query, ``WHERE id IN (...)``, so a root or a proof costs one indexed read of at
most ~2 log2(n) rows, whatever the size of the tree. The bundles are the JSON shapes that the API,
the ``safeshare ledger`` command and the standalone verifier (``tools/ledger_verify_proof.py``)
share.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from safeshare.core.exceptions import Conflict, NotFound, ValidationFailed
from safeshare.ledger import merkle
from safeshare.ledger.merkle import NodeKey
from safeshare.ledger.models import LedgerEntry, LedgerLeaf, LedgerSigningKey, SignedTreeHead
from safeshare.ledger.signing import ALGORITHM, TreeHead, format_timestamp

NODE_TABLE = "ledger_merklenode"


class LedgerCorrupt(Exception):
    """The stored tree contradicts itself (a node it needs is missing): run ``ledger verify``."""


class EntryNotSequenced(Conflict):
    """The entry is committed but the sequencer has not given it a leaf yet."""


class DatabaseNodes:
    """A NodeReader over the stored complete subtrees: one ``IN`` query per call."""

    def __init__(self, using: str = DEFAULT_DB_ALIAS, *, table: str = NODE_TABLE) -> None:
        self.using = using
        self.table = table

    def nodes(self, keys: Sequence[NodeKey]) -> list[bytes]:
        if not keys:
            return []
        ids = [merkle.node_id(level, index) for level, index in keys]
        wanted = sorted(set(ids))
        placeholders = ",".join(["%s"] * len(wanted))
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                f"SELECT id, hash FROM {self.table} WHERE id IN ({placeholders})",  # noqa: S608
                wanted,
            )
            found = {row[0]: bytes(row[1]) for row in cursor.fetchall()}
        try:
            return [found[packed] for packed in ids]
        except KeyError as missing:
            level, index = merkle.node_key(missing.args[0])
            raise LedgerCorrupt(f"stored node (level {level}, index {index}) is missing") from None


# --- Heads and keys ---------------------------------------------------------------------------


def tree_head(row: SignedTreeHead) -> TreeHead:
    return TreeHead(
        origin=row.origin,
        size=row.size,
        root=bytes(row.root),
        timestamp=format_timestamp(row.timestamp),
        key_id=row.key_id,
        signature=bytes(row.signature),
    )


def ledger_head_get(*, size: int | None = None) -> TreeHead:
    """The latest signed head, or the one at ``size``; NotFound if there is none."""
    heads = SignedTreeHead.objects.all()
    row = heads.order_by("-size").first() if size is None else heads.filter(size=size).first()
    if row is None:
        raise NotFound(field="size" if size is not None else None)
    return tree_head(row)


def ledger_head_sizes() -> list[int]:
    return list(SignedTreeHead.objects.order_by("size").values_list("size", flat=True))


def ledger_signing_key_list() -> QuerySet[LedgerSigningKey]:
    return LedgerSigningKey.objects.order_by("created_at", "key_id")


def _timestamp_or_none(moment: Any) -> str | None:
    return format_timestamp(moment) if moment is not None else None


def public_keys_document() -> dict[str, Any]:
    """The published public keys, in the contract's JSON shape."""
    return {
        "keys": [
            {
                "key_id": key.key_id,
                "algorithm": key.algorithm or ALGORITHM,
                "public_key": bytes(key.public_key).hex(),
                "created_at": _timestamp_or_none(key.created_at),
                "retired_at": _timestamp_or_none(key.retired_at),
            }
            for key in ledger_signing_key_list()
        ]
    }


def published_public_keys() -> dict[str, bytes]:
    return {key.key_id: bytes(key.public_key) for key in ledger_signing_key_list()}


def published_retirements() -> dict[str, str | None]:
    return {key.key_id: _timestamp_or_none(key.retired_at) for key in ledger_signing_key_list()}


# --- Proof bundles --------------------------------------------------------------------------


def _entry(entry_id: int | uuid.UUID) -> LedgerEntry:
    entries = LedgerEntry.objects.all()
    if isinstance(entry_id, uuid.UUID):
        entry = entries.filter(entry_id=entry_id).first()
    else:
        entry = entries.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound()
    return entry


def ledger_inclusion_bundle(
    *, entry_id: int | uuid.UUID, size: int | None = None
) -> dict[str, Any]:
    """The entry, its leaf, and the proof that the leaf is in the tree of a signed head.

    ``entry_id`` is the entry's database id (int) or its ``entry_id`` (UUID). Without ``size``
    the latest head is used. NotFound when there is no such entry or no head at ``size``;
    EntryNotSequenced (409) before the sequencer has given the entry a leaf; ValidationFailed
    (422) when the entry's leaf comes after the head at ``size``.
    """
    entry = _entry(entry_id)
    leaf = LedgerLeaf.objects.filter(entry=entry).first()
    if leaf is None:
        raise EntryNotSequenced(
            "This ledger entry has not been added to the tree yet; try again in a few seconds",
        )
    head = ledger_head_get(size=size)
    if leaf.leaf_index >= head.size:
        raise ValidationFailed(
            f"The entry is leaf {leaf.leaf_index}, which a tree of size {head.size} does not hold",
            field="size",
        )
    proof = merkle.inclusion_proof(DatabaseNodes(), leaf.leaf_index, head.size)
    return {
        "kind": "inclusion",
        "leaf_index": leaf.leaf_index,
        "entry": entry.canonical_bytes().decode("ascii"),
        "leaf_hash": bytes(leaf.leaf_hash).hex(),
        "proof": [element.hex() for element in proof],
        "head": head.to_json(),
    }


def ledger_consistency_bundle(*, old_size: int, new_size: int | None = None) -> dict[str, Any]:
    """Proof that the signed tree at ``old_size`` is a prefix of the one at ``new_size``.

    Both sizes must be sizes of signed heads (NotFound otherwise); ``new_size`` defaults to the
    latest head; ``old_size`` may not exceed it (ValidationFailed).
    """
    new = ledger_head_get(size=new_size)
    if old_size > new.size:
        raise ValidationFailed(
            f"The old size {old_size} is larger than the new size {new.size}", field="old"
        )
    try:
        old = ledger_head_get(size=old_size)
    except NotFound:
        raise NotFound(field="old") from None
    proof = merkle.consistency_proof(DatabaseNodes(), old.size, new.size)
    return {
        "kind": "consistency",
        "old": old.to_json(),
        "new": new.to_json(),
        "proof": [element.hex() for element in proof],
    }
