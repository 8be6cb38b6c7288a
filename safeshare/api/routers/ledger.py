"""The verifiable ledger: signed tree heads, public keys, consistency and inclusion proofs.

Heads, keys and consistency proofs hold no personal data: any signed-in practitioner of any agency
may fetch them (LEDGER_VERIFY), so that every agency can witness the ledger. An inclusion proof
shows one entry, metadata about who did what to a child: LEDGER_PROVE, for information-governance
officers (entries made by their own agency's staff) and system administrators; any other entry
answers 404, like a missing one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import access_ledger_entry
from safeshare.api.auth import authorised
from safeshare.api.errors import responses
from safeshare.api.schemas.ledger import (
    ConsistencyFilters,
    ConsistencyProofOut,
    HeadOut,
    InclusionFilters,
    InclusionProofOut,
    PublicKeysOut,
    TreeSize,
)
from safeshare.ledger.tree import (
    ledger_consistency_bundle,
    ledger_head_get,
    ledger_inclusion_bundle,
    public_keys_document,
)

router = Router(tags=["ledger"])


@router.get("/ledger/head", response=responses(200, HeadOut), summary="The latest signed head")
@declares(Capability.LEDGER_VERIFY)
def ledger_head_latest_get(request: HttpRequest) -> dict[str, Any]:
    """The latest signed tree head (LEDGER_VERIFY; 404 before the first head is signed)."""
    authorised(request, Capability.LEDGER_VERIFY)
    return ledger_head_get().to_json()


@router.get(
    "/ledger/heads/{size}", response=responses(200, HeadOut), summary="The signed head at a size"
)
@declares(Capability.LEDGER_VERIFY)
def ledger_head_at_get(request: HttpRequest, size: Path[TreeSize]) -> dict[str, Any]:
    """The signed tree head of exactly ``size`` leaves (LEDGER_VERIFY; 404 if none was signed)."""
    authorised(request, Capability.LEDGER_VERIFY)
    return ledger_head_get(size=size).to_json()


@router.get(
    "/ledger/keys", response=responses(200, PublicKeysOut), summary="The published signing keys"
)
@declares(Capability.LEDGER_VERIFY)
def ledger_keys_get(request: HttpRequest) -> dict[str, Any]:
    """Every public key that signs or signed tree heads, retired ones included (LEDGER_VERIFY)."""
    authorised(request, Capability.LEDGER_VERIFY)
    return public_keys_document()


@router.get(
    "/ledger/consistency",
    response=responses(200, ConsistencyProofOut),
    summary="Consistency proof between two signed heads",
)
@declares(Capability.LEDGER_VERIFY)
def ledger_consistency_get(
    request: HttpRequest, filters: Query[ConsistencyFilters]
) -> dict[str, Any]:
    """Proof that the head at ``old`` is a prefix of the head at ``new`` (default: the latest).

    LEDGER_VERIFY; 404 when no head was signed at either size; 422 when ``old`` exceeds ``new``.
    """
    authorised(request, Capability.LEDGER_VERIFY)
    return ledger_consistency_bundle(old_size=filters.old, new_size=filters.new)


@router.get(
    "/ledger/entries/{entry_id}/inclusion",
    response=responses(200, InclusionProofOut),
    summary="Inclusion proof for a ledger entry",
)
@declares(Capability.LEDGER_PROVE)
def ledger_inclusion_get(
    request: HttpRequest, entry_id: uuid.UUID, filters: Query[InclusionFilters]
) -> dict[str, Any]:
    """The entry and the proof that it is in the tree of the head at ``size`` (default latest).

    LEDGER_PROVE; 404 for an entry the caller may not prove (information governance: entries of
    their own agency's staff only) or no head at ``size``; 409 before the entry is sequenced;
    422 when the head at ``size`` is older than the entry's leaf. The read is recorded.
    """
    actor = authorised(request, Capability.LEDGER_PROVE)
    entry = access_ledger_entry(actor, entry_id)
    return ledger_inclusion_bundle(entry_id=entry.pk, size=filters.size)
