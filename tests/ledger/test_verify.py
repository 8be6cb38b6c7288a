"""``ledger_verify`` recomputes the tree from the entries' stored canonical bytes, and the columns
the database generates from those bytes read back exactly what was encoded."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import replace
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeshare.ledger import merkle
from safeshare.ledger.encoding import canonical_bytes, canonical_json
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry, LedgerLeaf
from safeshare.ledger.sequencer import ledger_sequence, ledger_sequence_pending
from safeshare.ledger.services import ledger_append
from safeshare.ledger.signing import (
    HeadError,
    TreeHead,
    format_timestamp,
    ledger_origin,
    new_signing_keys,
    sign_head,
    signing_keys,
    verify_head,
)
from safeshare.ledger.tree import (
    ledger_consistency_bundle,
    ledger_head_get,
    ledger_inclusion_bundle,
    published_public_keys,
)
from safeshare.ledger.verify import LedgerInvalid, ledger_verify

pytestmark = pytest.mark.django_db


def append(count: int) -> None:
    for number in range(count):
        with transaction.atomic():
            ledger_append(
                event=Event.CASE_VIEWED,
                actor=None,
                purpose="child_protection",
                details={"n": number},
            )


def sequenced_ledger(count: int = 30, batch: int = 7) -> TreeHead:
    append(count)
    ledger_sequence_pending(max_batch=batch)
    return ledger_head_get()


# --- The generated columns read back exactly what the canonical bytes encode ------------------

# Text a database can store (no lone surrogates; PostgreSQL refuses NUL).
stored_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | stored_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(stored_text, children, max_size=4)
    ),
    max_leaves=12,
)
moments = st.datetimes(
    min_value=dt.datetime(1000, 1, 1),  # noqa: DTZ001 - made aware by timezones=
    max_value=dt.datetime(9999, 12, 31),  # noqa: DTZ001
    timezones=st.just(dt.UTC),
)
plain = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    entry_id=st.uuids(),
    occurred_at=moments,
    event_code=st.integers(min_value=0, max_value=2**31 - 1),
    ids=st.lists(st.none() | st.uuids(), min_size=4, max_size=4),
    strings=st.lists(st.one_of(plain, stored_text), min_size=4, max_size=4),
    details=st.dictionaries(stored_text, json_values, max_size=5),
)
def test_the_generated_columns_are_exactly_the_encoded_values(
    entry_id: uuid.UUID,
    occurred_at: dt.datetime,
    event_code: int,
    ids: list[uuid.UUID | None],
    strings: list[str],
    details: dict[str, Any],
) -> None:
    roles, object_type, object_id, purpose = strings
    entry = LedgerEntry.compose(
        entry_id=entry_id,
        occurred_at=occurred_at,
        event_code=event_code,
        actor_id=ids[0],
        actor_agency_id=ids[1],
        subject_person_id=ids[2],
        subject_case_id=ids[3],
        actor_roles=roles,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        details=canonical_json(details),
    )
    with transaction.atomic():  # each example rolls back: generated UUIDs may repeat
        entry.save(force_insert=True)
        stored = LedgerEntry.objects.get(pk=entry.pk)
        found = LedgerEntry.objects.filter(
            entry_id=entry_id, occurred_at=occurred_at, event_code=event_code
        ).values_list("pk", flat=True)
        assert list(found) == [entry.pk]  # filters on the generated columns find it
        transaction.set_rollback(True)
    assert (stored.entry_id, stored.occurred_at, stored.event_code) == (
        entry_id,
        occurred_at,
        event_code,
    )
    assert [stored.actor_id, stored.actor_agency_id] == ids[:2]
    assert [stored.subject_person_id, stored.subject_case_id] == ids[2:]
    assert [stored.actor_roles, stored.object_type, stored.object_id, stored.purpose] == strings
    assert stored.details == canonical_json(details)  # the canonical spelling, as before
    assert stored.canonical_bytes() == canonical_bytes(stored.fields()) == entry.canonical_bytes()


# --- Verification ----------------------------------------------------------------------------


def test_an_untouched_ledger_verifies_with_progress_and_a_summary() -> None:
    head = sequenced_ledger(40, batch=9)
    seen: list[tuple[int, int]] = []
    report = ledger_verify(progress=lambda done, total: seen.append((done, total)))
    assert report.size == head.size
    assert report.heads == 5
    assert report.unsequenced == 0
    assert seen[-1] == (head.size, head.size)
    assert report.summary().startswith(f"ledger ok: {head.size:,} leaves")


def test_an_empty_ledger_verifies() -> None:
    report = ledger_verify()
    assert (report.size, report.heads) == (0, 0)


def test_entries_not_yet_sequenced_are_counted_not_refused() -> None:
    sequenced_ledger(5)
    append(2)
    report = ledger_verify()
    assert report.unsequenced == 2
    assert "2 newer entries not sequenced yet" in report.summary()


def test_tree_spanning_many_chunks_verifies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("safeshare.ledger.verify.CHUNK_LEVEL", 2)  # 4 leaves a chunk
    head = sequenced_ledger(45, batch=11)
    assert ledger_verify().size == head.size


def test_verify_is_consistent_with_an_earlier_saved_head() -> None:
    append(10)
    ledger_sequence()
    saved = ledger_head_get()
    append(13)
    ledger_sequence()
    report = ledger_verify(against=saved)
    assert report.against == saved.size


def test_a_saved_head_larger_than_the_ledger_names_the_first_missing_leaf() -> None:
    head = sequenced_ledger(10)
    keys = signing_keys()
    bigger = sign_head(
        keys,
        origin=ledger_origin(),
        size=head.size + 5,
        root=b"\x01" * 32,
        timestamp=head.timestamp,
    )
    with pytest.raises(LedgerInvalid) as error:
        ledger_verify(against=bigger)
    assert error.value.leaf == head.size
    assert str(error.value).startswith(f"leaf {head.size}: the saved head has size")


def test_a_saved_head_with_another_root_means_history_was_rewritten() -> None:
    head = sequenced_ledger(10)
    forked = sign_head(
        signing_keys(), origin=ledger_origin(), size=head.size - 2, root=b"\x02" * 32,
        timestamp=head.timestamp,
    )  # fmt: skip
    with pytest.raises(LedgerInvalid, match="history was rewritten"):
        ledger_verify(against=forked)


def test_a_saved_head_signed_by_an_unknown_key_is_refused() -> None:
    head = sequenced_ledger(6)
    stranger = sign_head(
        new_signing_keys(), origin=ledger_origin(), size=head.size, root=head.root,
        timestamp=head.timestamp,
    )  # fmt: skip
    with pytest.raises(LedgerInvalid, match="not published"):
        ledger_verify(against=stranger)


def test_verify_checks_signatures_with_the_keys_it_is_given() -> None:
    sequenced_ledger(6)
    with pytest.raises(LedgerInvalid, match="not published"):
        ledger_verify(public_keys={})
    assert ledger_verify(public_keys=published_public_keys()).heads >= 1


def test_a_head_dated_after_its_key_was_retired_is_refused() -> None:
    head = sequenced_ledger(6)
    retired = format_timestamp(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(LedgerInvalid, match="after its key"):
        ledger_verify(public_keys=published_public_keys(), retired={head.key_id: retired})


# --- Proofs from the database verify, and their corruptions do not ------------------------------


def test_every_inclusion_proof_from_the_database_verifies_against_its_signed_root() -> None:
    sequenced_ledger(23, batch=5)
    for leaf in LedgerLeaf.objects.select_related("entry"):
        for size in (None, 20):  # the latest head, and the one at size 20
            if size is not None and leaf.leaf_index >= size:
                continue
            bundle = ledger_inclusion_bundle(entry_id=leaf.entry.entry_id, size=size)
            head = TreeHead.from_json(bundle["head"])
            merkle.verify_inclusion(
                leaf=merkle.leaf_hash(bundle["entry"].encode("ascii")),
                index=bundle["leaf_index"],
                size=head.size,
                proof=[bytes.fromhex(p) for p in bundle["proof"]],
                root=head.root,
            )


def test_every_consistency_proof_between_signed_heads_verifies() -> None:
    sequenced_ledger(31, batch=4)
    from safeshare.ledger.tree import ledger_head_sizes

    sizes = ledger_head_sizes()
    for old in sizes:
        for new in sizes:
            if old > new:
                continue
            bundle = ledger_consistency_bundle(old_size=old, new_size=new)
            merkle.verify_consistency(
                old_size=old,
                new_size=new,
                old_root=bytes.fromhex(bundle["old"]["root"]),
                new_root=bytes.fromhex(bundle["new"]["root"]),
                proof=[bytes.fromhex(p) for p in bundle["proof"]],
            )


def _corruptions(proof: list[bytes]) -> list[list[bytes]]:
    variants = [proof[:-1], [*proof, proof[0]], [b"\x00" * 32, *proof], [*proof, b"\xff" * 32]]
    for position, element in enumerate(proof):
        for bit in (0, 7, 255):
            flipped = bytearray(element)
            flipped[bit // 8] ^= 1 << (bit % 8)
            variants.append([*proof[:position], bytes(flipped), *proof[position + 1 :]])
    return [variant for variant in variants if variant != proof]


def test_corrupted_inclusion_proofs_from_the_database_are_rejected() -> None:
    sequenced_ledger(29, batch=6)
    leaf = LedgerLeaf.objects.select_related("entry").get(leaf_index=13)
    bundle = ledger_inclusion_bundle(entry_id=leaf.entry.pk)
    head = TreeHead.from_json(bundle["head"])
    proof = [bytes.fromhex(p) for p in bundle["proof"]]
    leaf_hash = bytes.fromhex(bundle["leaf_hash"])
    # Another size: some sizes share a proof's shape (RFC 9162), so the size is held by the
    # signature; a head claiming another size no longer verifies.
    keys = published_public_keys()
    for size in (head.size - 1, head.size + 1):
        with pytest.raises(HeadError):
            verify_head(replace(head, size=size), keys)
    attempts: list[dict[str, Any]] = [
        {"index": 12},
        {"index": 14},
        {"size": head.size // 2},
        {"size": head.size * 2},
        {"root": merkle.node_hash(head.root, head.root)},
        {"leaf": merkle.leaf_hash(b"garbage" + bundle["entry"].encode())},
        {"leaf": merkle.leaf_hash(bundle["entry"].encode() + b"garbage")},
        *({"proof": variant} for variant in _corruptions(proof)),
    ]
    for change in attempts:
        arguments = {
            "leaf": leaf_hash,
            "index": 13,
            "size": head.size,
            "proof": proof,
            "root": head.root,
            **change,
        }
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(**arguments)


def test_corrupted_consistency_proofs_from_the_database_are_rejected() -> None:
    from safeshare.ledger.tree import ledger_head_sizes

    sequenced_ledger(29, batch=6)
    old_size, new_size = ledger_head_sizes()[1], ledger_head_sizes()[-1]
    bundle = ledger_consistency_bundle(old_size=old_size, new_size=new_size)
    proof = [bytes.fromhex(p) for p in bundle["proof"]]
    old_root, new_root = bytes.fromhex(bundle["old"]["root"]), bytes.fromhex(bundle["new"]["root"])
    keys = published_public_keys()
    for which in ("old", "new"):
        head = TreeHead.from_json(bundle[which])
        for size in (head.size - 1, head.size + 1):
            with pytest.raises(HeadError):
                verify_head(replace(head, size=size), keys)
    attempts: list[dict[str, Any]] = [
        {"old_size": old_size // 2},
        {"new_size": new_size * 2},
        {"old_root": new_root},
        {"new_root": old_root},
        *({"proof": variant} for variant in _corruptions(proof)),
    ]
    for change in attempts:
        arguments = {
            "old_size": old_size,
            "new_size": new_size,
            "old_root": old_root,
            "new_root": new_root,
            "proof": proof,
            **change,
        }
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(**arguments)


def test_bundles_are_json_with_the_contract_shapes() -> None:
    sequenced_ledger(9)
    leaf = LedgerLeaf.objects.select_related("entry").get(leaf_index=3)
    inclusion = json.loads(json.dumps(ledger_inclusion_bundle(entry_id=leaf.entry.pk)))
    assert set(inclusion) == {"kind", "leaf_index", "entry", "leaf_hash", "proof", "head"}
    assert inclusion["kind"] == "inclusion"
    assert inclusion["entry"].encode("ascii") == leaf.entry.canonical_bytes()
    assert set(inclusion["head"]) == {
        "origin", "size", "root", "timestamp", "key_id", "signature"
    }  # fmt: skip
    consistency = ledger_consistency_bundle(old_size=7, new_size=inclusion["head"]["size"])
    assert set(consistency) == {"kind", "old", "new", "proof"}


def test_a_level_summary_stands_for_the_stored_nodes_only_when_it_matches() -> None:
    """PostgreSQL sends each stored level as (count, ids, SHA-256 of its hashes): a summary equal
    to the computed level's is taken as those nodes; anything else reads the level in full, so
    the first bad node can still be named."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeshare.ledger.verify import LevelDigest, _level_from_digest, _sha256

    sequenced_ledger(8, batch=8)
    computed = [bytes(LedgerLeaf.objects.get(leaf_index=i).leaf_hash) for i in range(8)]
    first_id, joined = merkle.node_id(0, 0), b"".join(computed)
    right = LevelDigest(8, first_id, first_id + 7, _sha256(joined).digest())
    with CaptureQueriesContext(connection) as queries:
        assert _level_from_digest(right, computed, 0, 0) == (8, first_id, first_id + 7, joined)
    assert len(queries) == 0
    wrong_digest = replace(right, digest=bytes(32))
    short = replace(right, count=7, high=first_id + 6)
    for summary in (wrong_digest, short, replace(right, digest=None)):
        with CaptureQueriesContext(connection) as queries:
            stored = _level_from_digest(summary, computed, 0, 0)
        assert len(queries) == 1  # read again, hash by hash
        assert stored == (8, first_id, first_id + 7, joined)  # what the database really holds
