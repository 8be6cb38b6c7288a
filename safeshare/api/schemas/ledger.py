"""The verifiable ledger: signed tree heads, published keys, and proof bundles.

These are the shapes the standalone verifier (``tools/ledger_verify_proof.py``) and a witness
(``safeshare ledger witness``) read: hashes and signatures in lower-case hex, timestamps in UTC as
``YYYY-MM-DDTHH:MM:SS.ffffffZ``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

# Tree sizes: a whole number that fits the database's 64-bit integers.
TreeSize = Annotated[int, Field(ge=0, le=2**62)]


class ConsistencyFilters(Schema):
    old: TreeSize
    new: TreeSize | None = None


class InclusionFilters(Schema):
    size: TreeSize | None = None


class HeadOut(Schema):
    """A signed tree head: Ed25519 over the lines of safeshare.ledger.sth.v1."""

    origin: str
    size: int
    root: str
    timestamp: str
    key_id: str
    signature: str


class PublicKeyOut(Schema):
    key_id: str
    algorithm: str
    public_key: str
    created_at: str | None
    retired_at: str | None


class PublicKeysOut(Schema):
    keys: list[PublicKeyOut]


class InclusionProofOut(Schema):
    """The entry (its canonical bytes as text), its leaf, and the path to a signed head's root."""

    kind: Literal["inclusion"]
    leaf_index: int
    entry: str
    leaf_hash: str
    proof: list[str]
    head: HeadOut


class ConsistencyProofOut(Schema):
    """Proof that the tree signed by ``old`` is a prefix of the tree signed by ``new``."""

    kind: Literal["consistency"]
    old: HeadOut
    new: HeadOut
    proof: list[str]
