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
    from safeshare.ledger.services import ledger_append

    _append(5, "before")
    ledger_sequence()
    holding = threading.Event()
    release = threading.Event()
    slow: dict[str, int] = {}
    results: list[SequenceResult] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                slow["id"] = ledger_append(event=Event.AGENCY_UPDATED, actor=None).pk
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
    from safeshare.ledger.services import ledger_append

    _append(5, "before")
    ledger_sequence()
    holding = threading.Event()
    release = threading.Event()
    slow: dict[str, int] = {}

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                entry = ledger_append(event=Event.AGENCY_UPDATED, actor=None, purpose="slow")
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
        cursor.execute(
            "UPDATE ledger_ledgerentry SET purpose = 'changed' WHERE id = "
            "(SELECT entry_id FROM ledger_ledgerleaf WHERE leaf_index = 100)"
        )
    bad = [_verified(jobs=1), _verified(jobs=2)]
    return {"good": good, "bad": bad}


SCENARIOS = {
    "two_sequencers": two_sequencers,
    "crash_mid_batch": crash_mid_batch,
    "_crash_child": _crash_child,
    "late_commit": late_commit,
    "parallel_verify": parallel_verify,
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
