"""A witness: keep the signed heads seen so far, and accept a new one only if it extends them.

Runs at another agency, away from SafeShare's database: it needs the published public keys, a
local state file, and a way to obtain consistency proofs (the API, or files). A head is refused
when its signature does not verify with the published key it names, when it is for another
origin, when it has the size of a head already seen but a different root (a fork), or when no
valid consistency proof links it to the largest head seen. Good heads are added to the state.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeshare.ledger import merkle
from safeshare.ledger.signing import HeadError, TreeHead, parse_timestamp, verify_head

STATE_VERSION = 1


class WitnessRefused(Exception):
    """The head is not accepted; the message says why (one line)."""


@dataclass(frozen=True)
class ConsistencyBundle:
    old: TreeHead
    new: TreeHead
    proof: list[bytes]

    @classmethod
    def from_json(cls, data: Any) -> ConsistencyBundle:
        if not isinstance(data, Mapping) or data.get("kind") != "consistency":
            raise WitnessRefused('the proof is not a consistency bundle ("kind": "consistency")')
        proof = data.get("proof")
        if not isinstance(proof, list) or not all(isinstance(p, str) for p in proof):
            raise WitnessRefused("the consistency proof must be a list of hex strings")
        try:
            elements = [bytes.fromhex(element) for element in proof]
            return cls(
                old=TreeHead.from_json(data.get("old")),
                new=TreeHead.from_json(data.get("new")),
                proof=elements,
            )
        except (HeadError, ValueError) as exc:
            raise WitnessRefused(f"the consistency bundle is malformed: {exc}") from exc


# old size, new size -> the bundle proving the first is a prefix of the second
ProofSource = Callable[[int, int], ConsistencyBundle]


@dataclass
class WitnessState:
    origin: str | None = None
    heads: list[TreeHead] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> WitnessState:
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
                raise WitnessRefused(f"{path} is not a witness state file (version 1)")
            heads = [TreeHead.from_json(item) for item in data.get("heads", [])]
        except (json.JSONDecodeError, HeadError) as exc:
            raise WitnessRefused(f"the state file {path} is damaged: {exc}") from exc
        origin = data.get("origin")
        return cls(origin=origin if isinstance(origin, str) else None, heads=heads)

    def save(self, path: Path) -> None:
        document = {
            "version": STATE_VERSION,
            "origin": self.origin,
            "heads": [head.to_json() for head in sorted(self.heads, key=lambda h: h.size)],
        }
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    def largest(self) -> TreeHead | None:
        return max(self.heads, key=lambda head: head.size, default=None)

    def at(self, size: int) -> TreeHead | None:
        return next((head for head in self.heads if head.size == size), None)


@dataclass(frozen=True)
class WitnessOutcome:
    head: TreeHead
    added: bool
    checked_against: int | None

    def summary(self, path: Path, kept: int) -> str:
        root = self.head.root.hex()[:16]
        if not self.added:
            return f"ok: head at size {self.head.size:,} (root {root}...) already witnessed"
        against = (
            f"consistent with size {self.checked_against:,}"
            if self.checked_against is not None
            else "the first head witnessed (trusted on first use)"
        )
        return (
            f"ok: head at size {self.head.size:,} (root {root}...) is {against}; "
            f"{kept} head{'' if kept == 1 else 's'} in {path}"
        )


def _check_bundle(bundle: ConsistencyBundle, old: TreeHead, new: TreeHead) -> None:
    for mine, theirs in ((old, bundle.old), (new, bundle.new)):
        if mine.size != theirs.size:
            raise WitnessRefused(
                f"the proof is for size {theirs.size}, not for the head of size {mine.size}"
            )
        if mine.root != theirs.root:
            raise WitnessRefused(
                f"the head at size {mine.size} that the proof starts or ends at has a different "
                "root from the one checked here: the ledger's history was rewritten (fork)"
            )
    try:
        merkle.verify_consistency(
            old_size=old.size,
            new_size=new.size,
            old_root=old.root,
            new_root=new.root,
            proof=bundle.proof,
        )
    except merkle.ProofError as exc:
        raise WitnessRefused(
            f"the head at size {new.size} is not consistent with the head at size {old.size}: {exc}"
        ) from exc


def witness_head(
    state: WitnessState,
    head: TreeHead,
    keys: Mapping[str, bytes],
    proofs: ProofSource,
    retired: Mapping[str, str | None] | None = None,
) -> WitnessOutcome:
    """Check ``head`` against ``state``; on success add it to ``state`` (the caller saves).

    ``retired`` (key id -> when it was retired, from the published keys) refuses a head signed
    by a key after its retirement, as ``ledger verify`` does."""
    try:
        verify_head(head, keys)
    except HeadError as exc:
        raise WitnessRefused(str(exc)) from exc
    retired_at = (retired or {}).get(head.key_id)
    if retired_at is not None and parse_timestamp(head.timestamp) > parse_timestamp(retired_at):
        raise WitnessRefused(
            f"the head at size {head.size} is dated after its key {head.key_id} was retired"
        )
    if head.size == 0 and head.root != merkle.EMPTY_ROOT:
        raise WitnessRefused("a head of size 0 must have the empty tree's root")
    if state.origin is not None and head.origin != state.origin:
        raise WitnessRefused(f"the head is for origin {head.origin!r}, not {state.origin!r}")
    same = state.at(head.size)
    if same is not None:
        if same.root != head.root:
            raise WitnessRefused(
                f"a different root for size {head.size} than the head witnessed before: "
                "the ledger's history was rewritten (fork)"
            )
        return WitnessOutcome(head=head, added=False, checked_against=None)
    largest = state.largest()
    checked: int | None = None
    if largest is not None and largest.size > 0 and head.size > 0:
        old, new = (largest, head) if head.size > largest.size else (head, largest)
        _check_bundle(proofs(old.size, new.size), old, new)
        checked = largest.size
    state.origin = state.origin or head.origin
    state.heads.append(head)
    state.heads.sort(key=lambda h: h.size)
    return WitnessOutcome(head=head, added=True, checked_against=checked)
