"""The sequencer: committed entries become consecutive leaves under signed heads, in batches."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction

from safeshare.ledger import merkle
from safeshare.ledger.events import Event
from safeshare.ledger.models import (
    LedgerEntry,
    LedgerLeaf,
    LedgerSigningKey,
    MerkleNode,
    SignedTreeHead,
)
from safeshare.ledger.sequencer import (
    SequencerError,
    WriterHorizons,
    ledger_sequence,
    ledger_sequence_pending,
)
from safeshare.ledger.services import ledger_append
from safeshare.ledger.signing import signing_keys, verify_head
from safeshare.ledger.tree import DatabaseNodes, LedgerCorrupt, published_public_keys
from safeshare.ledger.verify import ledger_verify

pytestmark = pytest.mark.django_db


def _new_entry_pk() -> int:
    """An entry inserted straight into the table (not through ``ledger_append``)."""
    (entry,) = LedgerEntry.objects.bulk_create(
        [LedgerEntry.compose(event_code=1, actor_roles="system")]
    )
    return entry.pk


ROOT = Path(__file__).resolve().parents[2]


def append(count: int, purpose: str = "") -> list[LedgerEntry]:
    entries = []
    for number in range(count):
        with transaction.atomic():
            entries.append(
                ledger_append(
                    event=Event.AGENCY_UPDATED, actor=None, purpose=purpose, details={"n": number}
                )
            )
    return entries


def leaf_entry_ids() -> list[int]:
    return list(LedgerLeaf.objects.order_by("leaf_index").values_list("entry_id", flat=True))


def entry(entry_id: int) -> LedgerEntry:
    """An entry inserted with a chosen id, as another connection's commit would appear."""
    row = LedgerEntry.compose(id=entry_id, event_code=Event.AGENCY_UPDATED, actor_roles="system")
    row.save(force_insert=True)
    return row


class NothingSafeYet(WriterHorizons):
    """As on PostgreSQL while some writer that drew an id is still in flight."""

    def safe_upto(self) -> int | None:
        return None


def test_sequencer_gives_committed_entries_consecutive_leaves_in_id_order() -> None:
    entries = append(5)
    result = ledger_sequence()
    all_ids = list(LedgerEntry.objects.order_by("id").values_list("id", flat=True))
    assert leaf_entry_ids() == all_ids  # the key's publication entry first, then ours
    assert {e.pk for e in entries} <= set(all_ids)
    assert result.old_size == 0
    assert result.new_size == len(all_ids)
    indexes = list(LedgerLeaf.objects.order_by("leaf_index").values_list("leaf_index", flat=True))
    assert indexes == list(range(len(all_ids)))


def test_each_leaf_hash_is_the_rfc6962_hash_of_the_entry_canonical_bytes() -> None:
    append(3)
    ledger_sequence()
    for leaf in LedgerLeaf.objects.select_related("entry"):
        assert bytes(leaf.leaf_hash) == merkle.leaf_hash(leaf.entry.canonical_bytes())
        node = MerkleNode.objects.get(pk=merkle.node_id(0, leaf.leaf_index))
        assert bytes(node.hash) == bytes(leaf.leaf_hash)


def test_signed_head_carries_the_root_of_the_whole_tree_and_verifies() -> None:
    append(6)
    result = ledger_sequence()
    assert result.head is not None
    leaves = [
        bytes(h)
        for h in LedgerLeaf.objects.order_by("leaf_index").values_list("leaf_hash", flat=True)
    ]
    memory = merkle.MemoryNodes()
    memory.append_leaves(leaves)
    assert result.head.root == merkle.root(memory, len(leaves))
    verify_head(result.head, published_public_keys())
    stored = SignedTreeHead.objects.get(size=result.new_size)
    assert bytes(stored.root) == result.head.root


def test_batches_extend_the_tree_and_sign_one_head_each() -> None:
    append(20)
    first = ledger_sequence(max_batch=8)
    second = ledger_sequence(max_batch=8)
    assert (first.old_size, first.new_size) == (0, 8)
    assert (second.old_size, second.new_size) == (8, 16)
    assert list(SignedTreeHead.objects.order_by("size").values_list("size", flat=True)) == [8, 16]
    # Stored nodes are every complete subtree: roots come from O(log n) of them.
    assert merkle.root(DatabaseNodes(), 16) == second.head.root  # type: ignore[union-attr]


def test_nothing_to_sequence_signs_no_new_head() -> None:
    append(2)
    ledger_sequence()
    heads = SignedTreeHead.objects.count()
    result = ledger_sequence()
    assert result.head is None
    assert result.added == 0
    assert SignedTreeHead.objects.count() == heads


def test_sequencing_writes_no_ledger_entry_of_its_own() -> None:
    append(3)
    ledger_sequence()  # publishes the signing key (a ledger event) the first time
    append(4)
    before = LedgerEntry.objects.count()
    ledger_sequence()
    assert LedgerEntry.objects.count() == before


def test_first_run_publishes_the_signing_key_as_a_ledger_event() -> None:
    append(1)
    ledger_sequence()
    key = LedgerSigningKey.objects.get()
    assert key.key_id == signing_keys().active_id
    assert bytes(key.public_key) == signing_keys().public_key()
    published = LedgerEntry.objects.get(event_code=Event.LEDGER_SIGNING_KEY_PUBLISHED)
    assert published.object_id == key.key_id
    assert LedgerLeaf.objects.filter(entry=published).exists()


def test_pending_sequences_batch_after_batch_until_none_is_left() -> None:
    append(25)
    seen: list[tuple[int, int]] = []
    result = ledger_sequence_pending(max_batch=10, progress=lambda d, t: seen.append((d, t)))
    assert result.new_size == LedgerEntry.objects.count()
    assert not LedgerEntry.objects.filter(leaf__isnull=True).exists()
    assert seen[-1][0] == result.new_size
    assert ledger_verify().size == result.new_size


def test_entry_committed_after_a_higher_id_is_sequenced_on_the_next_run() -> None:
    """Selection is "no leaf yet", never "id above the last sequenced id"."""
    append(3)
    ledger_sequence()
    top = LedgerEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # A writer drew id top + 1 and is still in flight; a later writer's top + 2 commits first.
    entry(top + 2)
    horizons = NothingSafeYet()
    assert ledger_sequence(horizons=horizons).added == 1
    latest = SignedTreeHead.objects.order_by("-size").first()
    assert latest is not None
    assert latest.sequenced_below <= top + 1  # the mark did not pass the id still in flight
    late = entry(top + 1)  # the lower id commits last
    result = ledger_sequence(horizons=horizons)
    assert result.added == 1
    assert leaf_entry_ids()[-1] == late.pk
    assert ledger_verify().size == result.new_size


def test_low_water_mark_rises_only_to_what_is_known_final() -> None:
    append(4)
    ledger_sequence()
    head = SignedTreeHead.objects.order_by("-size").first()
    assert head is not None
    # On SQLite the sequencer holds the write lock: every id drawn so far is final.
    assert head.sequenced_below == LedgerEntry.objects.order_by("-id").first().pk + 1  # type: ignore[union-attr]
    append(2)
    ledger_sequence(horizons=NothingSafeYet())
    assert SignedTreeHead.objects.order_by("-size").first().sequenced_below == head.sequenced_below  # type: ignore[union-attr]


def test_a_failure_mid_batch_leaves_nothing_half_written(monkeypatch: pytest.MonkeyPatch) -> None:
    append(5)
    ledger_sequence()
    before = (
        LedgerLeaf.objects.count(),
        MerkleNode.objects.count(),
        SignedTreeHead.objects.count(),
    )
    append(7)

    def fail(*args: Any, **kwargs: Any) -> Any:
        assert LedgerLeaf.objects.count() > before[0]  # leaves were written in the transaction
        raise RuntimeError("the sequencer died here")

    monkeypatch.setattr("safeshare.ledger.sequencer.sign_head", fail)
    with pytest.raises(RuntimeError):
        ledger_sequence()
    assert (
        LedgerLeaf.objects.count(),
        MerkleNode.objects.count(),
        SignedTreeHead.objects.count(),
    ) == before
    monkeypatch.undo()
    result = ledger_sequence()
    assert result.added == 7
    assert ledger_verify().size == result.new_size


def test_sequencer_refuses_to_extend_a_tree_whose_leaves_disagree_with_its_head() -> None:
    append(3)
    ledger_sequence()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_ledgerleaf (leaf_index, entry_id, leaf_hash) VALUES (%s, %s, %s)",
            [99, _new_entry_pk(), b"\0" * 32],
        )
    append(1)
    with pytest.raises(LedgerCorrupt):
        ledger_sequence()


def test_sequencer_refuses_a_retired_signing_key() -> None:
    append(1)
    ledger_sequence()
    LedgerSigningKey.objects.update(retired_at="2026-01-01T00:00:00Z")
    append(1)
    with pytest.raises(SequencerError, match="retired"):
        ledger_sequence()


def test_sequencer_holds_the_database_lock_for_the_whole_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    append(2)
    if connection.vendor == "postgresql":
        from safeshare.ledger import sequencer

        real_write = sequencer._write
        held: list[bool] = []

        def write(*args: Any) -> Any:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'"
                    " AND pid = pg_backend_pid() AND granted"
                )
                held.append(cursor.fetchone()[0] == 1)
            return real_write(*args)

        monkeypatch.setattr(sequencer, "_write", write)
        ledger_sequence()
        assert held == [True]
        return
    # SQLite: the lock is BEGIN IMMEDIATE's; without that transaction mode the sequencer refuses.
    options = {**connection.settings_dict["OPTIONS"], "transaction_mode": "DEFERRED"}
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    with pytest.raises(SequencerError, match="IMMEDIATE"):
        ledger_sequence()


# --- Real concurrency, in a subprocess against a throwaway database ---------------------------


@contextlib.contextmanager
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """A database URL for the scenario: SQLite in tmp_path, or a scratch PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield f"sqlite://{tmp_path / 'race.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    params = settings.DATABASES["default"]
    name = f"{params['NAME']}_race_{secrets.token_hex(3)}"
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or "5432"
    user = params.get("USER") or "postgres"
    admin = f"postgresql://{user}@{host}:{port}/postgres"
    with psycopg.connect(admin, autocommit=True) as admin_connection:
        admin_connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"postgres://{user}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as admin_connection:
            admin_connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def run_scenario(name: str, tmp_path: Path) -> dict[str, Any]:
    with scratch_database(tmp_path) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "SAFESHARE_DATA_DIR": str(tmp_path),
        }
        done = subprocess.run(
            [sys.executable, "-m", "tests.ledger.sequencer_race", name],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_two_sequencers_started_at_once_never_fork_or_duplicate_the_tree(tmp_path: Path) -> None:
    result = run_scenario("two_sequencers", tmp_path)
    assert result["errors"] == []
    assert result["unsequenced"] == 0
    assert result["leaves"] == result["entries"] == result["distinct_leaf_entries"]
    assert result["head_sizes"] == sorted(set(result["head_sizes"]))
    assert result["head_sizes"][-1] == result["leaves"]
    assert result["verify"].startswith("ledger ok:"), result["verify"]


def test_a_sequencer_killed_mid_batch_leaves_the_tree_as_it_was(tmp_path: Path) -> None:
    result = run_scenario("crash_mid_batch", tmp_path)
    assert result["crash_status"] == 3
    written = int(result["crash_output"].split("leaves written before dying: ")[1].split()[0])
    assert written > result["before"]["leaves"]  # it had written leaves, uncommitted
    for what in ("leaves", "head_sizes", "distinct_leaf_entries"):
        assert result["after_crash"][what] == result["before"][what]
    assert result["after"]["unsequenced"] == 0
    assert result["verify"].startswith("ledger ok:"), result["verify"]


def test_a_writer_still_in_flight_is_never_skipped(tmp_path: Path) -> None:
    result = run_scenario("late_commit", tmp_path)
    assert result["unsequenced"] == 0
    assert result["verify"].startswith("ledger ok:"), result["verify"]
    if connection.vendor == "sqlite":
        # The sequencer's BEGIN IMMEDIATE waits for the writer, then sees its entry.
        assert result["sequencer_waited_for_the_writer"] is True
        assert result["added"] == 1
        assert result["slow_sequenced"] is True
        assert result["final_mark"] == result["slow_id"] + 1
        return
    # PostgreSQL: ids commit out of order; the lower one is picked up later, and the low-water
    # mark does not pass it while its writer is in flight.
    assert result["slow_id"] < min(result["fast_ids"])
    assert result["first_added"] == 3
    assert result["slow_had_leaf_while_in_flight"] is False
    assert result["mark_while_in_flight"] <= result["slow_id"]
    assert result["second_added"] == 1
    assert result["third_added"] == 1
    assert result["final_mark"] > max(result["fast_ids"])


def test_verifying_with_two_processes_agrees_with_one(tmp_path: Path) -> None:
    result = run_scenario("parallel_verify", tmp_path)
    assert all(line.startswith("ledger ok: 151 leaves") for line in result["good"]), result
    assert result["bad"][0] == result["bad"][1]
    assert result["bad"][0].startswith("INVALID leaf 100: "), result
