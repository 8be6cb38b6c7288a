"""Sequencer scenarios that need real concurrent connections, run in a subprocess.

Tests run inside one never-committed transaction, and this project's tests cannot flush tables
(the ledger refuses DELETE and TRUNCATE), so scenarios where other connections must see committed
rows run here instead, against a throwaway database the calling test creates (a temporary SQLite
file, or a scratch PostgreSQL database), migrated for the ledger app only::

    DATABASE_URL=... DJANGO_SETTINGS_MODULE=config.settings.test \
        python -m tests.ledger.sequencer_race SCENARIO

It prints one JSON object with what it observed; the test asserts on it.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import threading
import time
from typing import Any


def _setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "ledger", verbosity=0)


def _append(count: int, label: str) -> None:
    from django.db import transaction

    from safeshare.ledger.events import Event
    from safeshare.ledger.services import ledger_append

    for number in range(count):
        with transaction.atomic():
            ledger_append(
                event=Event.AGENCY_UPDATED, actor=None, purpose=label, details={"n": number}
            )


def _state() -> dict[str, Any]:
    from safeshare.ledger.models import LedgerEntry, LedgerLeaf, SignedTreeHead

    sizes = list(SignedTreeHead.objects.order_by("size").values_list("size", flat=True))
    return {
        "entries": LedgerEntry.objects.count(),
        "leaves": LedgerLeaf.objects.count(),
        "distinct_leaf_entries": LedgerLeaf.objects.values("entry").distinct().count(),
        "unsequenced": LedgerEntry.objects.filter(leaf__isnull=True).count(),
        "head_sizes": sizes,
    }


def _verified(jobs: int = 1) -> str:
    from django.db import connections

    from safeshare.ledger.verify import LedgerInvalid, ledger_verify

    connections.close_all()
    try:
        return ledger_verify(jobs=jobs).summary()
    except LedgerInvalid as exc:
        return f"INVALID {exc}"


def _run_threads(targets: list[Any]) -> list[str]:
    """Start all at once (a barrier); collect every thread's exception as text."""
    from django.db import connection

    errors: list[str] = []
    barrier = threading.Barrier(len(targets))

    def wrap(target: Any) -> None:
        try:
            barrier.wait()
            target()
        except BaseException as exc:  # reported to the test
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=wrap, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def two_sequencers() -> dict[str, Any]:
    """Two sequencers started at once, while a writer keeps committing entries."""
    from safeshare.ledger.sequencer import ledger_sequence, ledger_sequence_pending

    _append(300, "before")
    runs: list[int] = []

    def sequencer() -> None:
        for _ in range(40):
            result = ledger_sequence(max_batch=25)
            runs.append(result.added)

    errors = _run_threads([sequencer, sequencer, lambda: _append(200, "during")])
    ledger_sequence_pending()
    return {**_state(), "errors": errors, "runs": len(runs), "verify": _verified()}


def crash_mid_batch() -> dict[str, Any]:
    """A child sequencer dies (os._exit) after writing leaves and nodes, before committing."""
    import subprocess

    from safeshare.ledger.sequencer import ledger_sequence

    _append(50, "before")
    ledger_sequence(max_batch=20)
    before = _state()
    crashed = subprocess.run(
        [sys.executable, "-m", "tests.ledger.sequencer_race", "_crash_child"],
        check=False,
        env=dict(os.environ),
        capture_output=True,
        text=True,
    )
    after_crash = _state()
    ledger_sequence(max_batch=1000)
    return {
        "before": before,
        "crash_status": crashed.returncode,
        "crash_output": crashed.stdout + crashed.stderr,
        "after_crash": after_crash,
        "after": _state(),
        "verify": _verified(),
    }


def _crash_child() -> dict[str, Any]:
    import django

    django.setup()
    from safeshare.ledger import sequencer
    from safeshare.ledger.models import LedgerLeaf

    real_sign = sequencer.sign_head

    def die(*args: Any, **kwargs: Any) -> Any:
        # Leaves and nodes are written by now (inside the transaction): prove it, then die.
        written = LedgerLeaf.objects.count()
        sys.stdout.write(f"leaves written before dying: {written}\n")
        sys.stdout.flush()
        os._exit(3)
        return real_sign(*args, **kwargs)  # pragma: no cover

    sequencer.sign_head = die  # type: ignore[assignment]
    sequencer.ledger_sequence(max_batch=1000)
    return {}  # pragma: no cover


def late_commit_sqlite() -> dict[str, Any]:
    """SQLite: a sequencer starting while a writer is in flight waits for it, then includes it."""
    from django.db import connection, transaction

    from safeshare.ledger.events import Event
    from safeshare.ledger.models import LedgerLeaf, SignedTreeHead
    from safeshare.ledger.sequencer import SequenceResult, ledger_sequence
    from safeshare.ledger.services import ledger_append, ledger_flush

    _append(5, "before")
    ledger_sequence()
    holding = threading.Event()
    release = threading.Event()
    slow: dict[str, int] = {}
    results: list[SequenceResult] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                entry = ledger_append(event=Event.AGENCY_UPDATED, actor=None)
                ledger_flush()  # inserted, not committed, while the sequencer runs
                slow["id"] = entry.pk
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    def sequencer() -> None:
        try:
            results.append(ledger_sequence())
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    holding.wait(30)
    started = threading.Thread(target=sequencer)
    started.start()
    time.sleep(0.5)
    waited = started.is_alive()
    release.set()
    writer.join()
    started.join()
    return {
        "sequencer_waited_for_the_writer": waited,
        "added": results[0].added if results else None,
        "slow_sequenced": LedgerLeaf.objects.filter(entry_id=slow["id"]).exists(),
        "final_mark": SignedTreeHead.objects.order_by("-size").first().sequenced_below,
        "slow_id": slow["id"],
        "verify": _verified(),
        **_state(),
    }


def late_commit() -> dict[str, Any]:
    """PostgreSQL: a lower id commits after a higher one has been sequenced."""
    from django.db import connection, transaction

    if connection.vendor == "sqlite":
        return late_commit_sqlite()

    from safeshare.ledger.events import Event
    from safeshare.ledger.models import LedgerEntry, LedgerLeaf, SignedTreeHead
    from safeshare.ledger.sequencer import WriterHorizons, ledger_sequence
    from safeshare.ledger.services import ledger_append, ledger_flush

    _append(5, "before")
    ledger_sequence()
    holding = threading.Event()
    release = threading.Event()
    slow: dict[str, int] = {}

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                entry = ledger_append(event=Event.AGENCY_UPDATED, actor=None, purpose="slow")
                ledger_flush()  # inserted, not committed, while the sequencer runs
                slow["id"] = entry.pk
                holding.set()
                release.wait(30)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    holding.wait(30)
    _append(3, "fast")  # higher ids, committed first
    horizons = WriterHorizons()
    first = ledger_sequence(horizons=horizons)
    mark_while_in_flight = SignedTreeHead.objects.order_by("-size").first().sequenced_below
    slow_had_leaf = LedgerLeaf.objects.filter(entry_id=slow["id"]).exists()
    release.set()
    writer.join()
    second = ledger_sequence(horizons=horizons)
    _append(1, "after")
    third = ledger_sequence(horizons=horizons)
    fast_ids = list(
        LedgerEntry.objects.filter(purpose="fast").order_by("id").values_list("id", flat=True)
    )
    return {
        "slow_id": slow["id"],
        "fast_ids": fast_ids,
        "first_added": first.added,
        "slow_had_leaf_while_in_flight": slow_had_leaf,
        "mark_while_in_flight": mark_while_in_flight,
        "second_added": second.added,
        "slow_leaf": LedgerLeaf.objects.get(entry_id=slow["id"]).leaf_index,
        "final_mark": SignedTreeHead.objects.order_by("-size").first().sequenced_below,
        "third_added": third.added,
        "verify": _verified(),
        **_state(),
    }


def parallel_verify() -> dict[str, Any]:
    """Verification with two worker processes agrees with one, and finds the same bad leaf."""
    from django.db import connection

    from safeshare.ledger import verify
    from safeshare.ledger.sequencer import ledger_sequence_pending

    verify.CHUNK_LEVEL = 4  # many small chunks, so that both workers get some
    _append(150, "bulk")
    ledger_sequence_pending(max_batch=37)
    good = [_verified(jobs=1), _verified(jobs=2)]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER ledger_no_update")
        else:
            cursor.execute("ALTER TABLE ledger_ledgerentry DISABLE TRIGGER USER")
        cursor.execute(  # the stored bytes; the purpose column follows them
            "UPDATE ledger_ledgerentry"
            ' SET canonical = replace(canonical, \'"purpose":"\', \'"purpose":"changed\')'
            " WHERE id = (SELECT entry_id FROM ledger_ledgerleaf WHERE leaf_index = 100)"
        )
    bad = [_verified(jobs=1), _verified(jobs=2)]
    return {"good": good, "bad": bad}


def _columns() -> tuple[str, ...]:
    """The query columns that migration 0005 turns into generated ones (its own list; imported
    once Django is set up, as the migration imports the ledger's models)."""
    migration = importlib.import_module(
        "safeshare.ledger.migrations.0005_canonical_bytes_and_generated_columns"
    )
    columns: tuple[str, ...] = migration.COLUMNS
    return columns


class _FakeActor:
    """A practitioner as the ledger sees one (obviously fake)."""

    def __init__(self, number: int) -> None:
        import uuid

        self.pk = uuid.UUID(int=number, version=4)
        self.agency_id = uuid.UUID(int=1000 + number, version=4)

    def role_codes(self) -> list[str]:
        return ["practitioner", "dsl"]


def migration_0005() -> dict[str, Any]:
    """A ledger sequenced and signed before migration 0005 (entries as plain columns, leaves from
    the Python encoder) verifies after it; the columns read back the same; and back again."""
    import datetime as dt
    import uuid

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.migrations.executor import MigrationExecutor

    from safeshare.core import clock
    from safeshare.ledger import sequencer, services
    from safeshare.ledger.encoding import EntryFields, canonical_bytes
    from safeshare.ledger.events import Event
    from safeshare.ledger.models import LedgerEntry, LedgerLeaf
    from safeshare.ledger.sequencer import ledger_sequence_pending
    from safeshare.ledger.services import Subject, ledger_append

    before_0005 = ("ledger", "0004_tree_append_only_triggers")
    call_command("migrate", "ledger", before_0005[1], verbosity=0)  # 0005 reversed, empty table
    old = (
        MigrationExecutor(connection)
        .loader.project_state(before_0005)
        .apps.get_model("ledger", "LedgerEntry")
    )

    def old_insert(entry: Any) -> None:  # what ledger_append wrote before 0005: the columns
        row = old.objects.create(**{name: getattr(entry, name) for name in _columns()})
        entry.id = row.id
        entry._state.adding = False

    def old_pending(mark: int, max_batch: int) -> list[tuple[Any, ...]]:
        rows = (
            old.objects.filter(id__gte=mark, leaf__isnull=True)
            .order_by("id")
            .values_list("id", *_columns())[:max_batch]
        )  # the sequencer before 0005: the Python encoder over the columns
        return [(r[0], canonical_bytes(EntryFields(*r[1:])).decode("ascii")) for r in rows]

    real_insert, real_pending = services._insert, sequencer._pending
    services._insert, sequencer._pending = old_insert, old_pending  # type: ignore[assignment]
    try:
        for number in range(23):
            moment = dt.datetime(2026, 11, 1, 9, number, number % 3, 0, tzinfo=dt.UTC)
            if number % 2:
                moment += dt.timedelta(microseconds=number * 1234)
            with clock.frozen(moment), transaction.atomic():
                ledger_append(
                    event=Event.CASE_VIEWED if number % 3 else Event.AGENCY_UPDATED,
                    actor=_FakeActor(number) if number % 4 else None,
                    subject=Subject(
                        person_id=uuid.UUID(int=number, version=4) if number % 5 else None,
                        case_id=uuid.UUID(int=7 * number, version=4) if number % 2 else None,
                    ),
                    purpose="child_protection" if number % 2 else "",
                    details={
                        "n": number,
                        "note": 'caf\u00e9 "test" \\ \u2603',
                        "nested": {"b": [1, None, True], "a": 2**40},
                    }
                    if number % 3
                    else None,
                )
        ledger_sequence_pending(max_batch=5)
        before = list(old.objects.order_by("id").values_list("id", *_columns()))
        # What verification checked before 0005: each leaf is the Python encoder's bytes.
        by_id = {row[0]: canonical_bytes(EntryFields(*row[1:])).decode("ascii") for row in before}
        leaves_before = sorted(
            (leaf.leaf_index, bytes(leaf.leaf_hash)) for leaf in LedgerLeaf.objects.all()
        )
        leaves_matched_before = len(leaves_before) == len(before) and all(
            bytes(leaf.leaf_hash) == merkle_leaf(by_id[leaf.entry_id])
            for leaf in LedgerLeaf.objects.all()
        )
    finally:
        services._insert, sequencer._pending = real_insert, real_pending  # type: ignore[assignment]

    call_command("migrate", "ledger", verbosity=0)  # 0005 forward, over a populated ledger
    after = list(LedgerEntry.objects.order_by("id").values_list("id", *_columns()))
    canonical = dict(LedgerEntry.objects.values_list("id", "canonical"))
    encoded = {row[0]: canonical_bytes(EntryFields(*row[1:])).decode("ascii") for row in before}
    leaves_match = all(
        bytes(leaf.leaf_hash) == merkle_leaf(canonical[leaf.entry_id])
        for leaf in LedgerLeaf.objects.all()
    )
    verified_after = _verified()
    _append(4, "after")
    ledger_sequence_pending(max_batch=3)
    verified_appended = _verified()
    everything = list(LedgerEntry.objects.order_by("id").values_list("id", *_columns()))

    call_command("migrate", "ledger", before_0005[1], verbosity=0)  # reversed, with rows
    reversed_rows = list(old.objects.order_by("id").values_list("id", *_columns()))
    call_command("migrate", "ledger", verbosity=0)
    return {
        "entries": len(before),
        "leaves_matched_before": leaves_matched_before,
        "leaves_unchanged": leaves_before
        == sorted((leaf.leaf_index, bytes(leaf.leaf_hash)) for leaf in LedgerLeaf.objects.all())[
            : len(leaves_before)
        ],
        "columns_unchanged": after == before,
        "canonical_is_python_encoding": canonical == encoded,
        "leaves_match": leaves_match,
        "verified_after": verified_after,
        "verified_appended": verified_appended,
        "reversed_unchanged": reversed_rows == everything,
        "verified_again": _verified(),
    }


def merkle_leaf(canonical: str) -> bytes:
    from safeshare.ledger import merkle

    return merkle.leaf_hash(canonical.encode("ascii"))


SCENARIOS = {
    "two_sequencers": two_sequencers,
    "crash_mid_batch": crash_mid_batch,
    "_crash_child": _crash_child,
    "late_commit": late_commit,
    "parallel_verify": parallel_verify,
    "migration_0005": migration_0005,
}


def main() -> None:
    name = sys.argv[1]
    if name == "_crash_child":
        _crash_child()
        return
    _setup()
    started = time.monotonic()
    result = SCENARIOS[name]()
    result["seconds"] = round(time.monotonic() - started, 2)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
