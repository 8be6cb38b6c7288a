"""The witness's own checks on a head, before any proof: pure, no database."""

from __future__ import annotations

import pytest

from safeshare.ledger import merkle
from safeshare.ledger.signing import new_signing_keys, sign_head
from safeshare.ledger.witness import WitnessRefused, WitnessState, witness_head

ORIGIN = "testshire.invalid/ledger"


def _no_proofs(old: int, new: int) -> object:
    raise AssertionError(f"no proof should be needed ({old} -> {new})")


def test_witness_refuses_a_first_head_of_size_0_with_another_root() -> None:
    keys = new_signing_keys()
    head = sign_head(
        keys, origin=ORIGIN, size=0, root=b"\x01" * 32, timestamp="2026-11-21T10:00:00.000000Z"
    )
    state = WitnessState()
    with pytest.raises(WitnessRefused, match="empty tree"):
        witness_head(state, head, {keys.active_id: keys.public_key()}, _no_proofs)  # type: ignore[arg-type]
    assert state.heads == []


def test_witness_accepts_the_empty_tree_as_a_first_head() -> None:
    keys = new_signing_keys()
    head = sign_head(
        keys, origin=ORIGIN, size=0, root=merkle.EMPTY_ROOT, timestamp="2026-11-21T10:00:00.000000Z"
    )
    state = WitnessState()
    outcome = witness_head(state, head, {keys.active_id: keys.public_key()}, _no_proofs)  # type: ignore[arg-type]
    assert outcome.added
    assert state.heads == [head]


def test_witness_refuses_a_head_signed_after_its_key_was_retired() -> None:
    keys = new_signing_keys()
    head = sign_head(
        keys, origin=ORIGIN, size=0, root=merkle.EMPTY_ROOT, timestamp="2026-11-21T10:00:00.000000Z"
    )
    published = {keys.active_id: keys.public_key()}
    retired = {keys.active_id: "2026-11-20T09:00:00.000000Z"}
    state = WitnessState()
    with pytest.raises(WitnessRefused, match="after its key"):
        witness_head(state, head, published, _no_proofs, retired)  # type: ignore[arg-type]
    assert state.heads == []
    still_good = {keys.active_id: "2026-11-22T09:00:00.000000Z"}
    assert witness_head(state, head, published, _no_proofs, still_good).added  # type: ignore[arg-type]
