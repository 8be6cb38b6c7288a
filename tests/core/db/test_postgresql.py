"""SafeShare's PostgreSQL backend: a queued statement travels with the next one (ADR 17).

Everything here is about equivalence: a queued ledger insert must behave exactly as if it had
been executed when it was appended (same transaction, same order, same errors, same rollback),
while saving its round trip.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from safeshare.agencies.models import Agency
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.ledger.services import ledger_append, ledger_flush
from tests.factories import AgencyFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

LEDGER_INSERT = 'INSERT INTO "ledger_ledgerentry"'


def _append(**details: object) -> LedgerEntry:
    return ledger_append(event=Event.AGENCY_UPDATED, actor=None, details=details)


def test_an_entry_waits_for_the_next_statement_and_then_has_its_id() -> None:
    with transaction.atomic():
        entry = _append(n=1)
        assert connection.has_queued()
        assert entry.id is None
        with connection.cursor() as cursor:
            cursor.execute("SELECT 41 + 1")
            assert cursor.fetchone() == (42,)  # the caller's own result, not the insert's
            assert cursor.rowcount == 1
        assert not connection.has_queued()
        assert entry.id is not None
        assert LedgerEntry.objects.get(pk=entry.id).entry_id == entry.entry_id


def test_an_entry_appended_last_goes_with_the_end_of_its_transaction() -> None:
    # Inside a test, the end of ``atomic`` is a savepoint release; a real COMMIT carrying queued
    # entries is exercised by the sequencer's concurrency scenarios (tests.ledger.sequencer_race),
    # which commit from several connections and check the sequencer sees every entry.
    before = LedgerEntry.objects.count()
    with transaction.atomic():
        entry = _append(n=2)
    assert not connection.has_queued()
    assert entry.id is not None
    assert LedgerEntry.objects.count() == before + 1


def test_rolling_back_the_transaction_discards_a_queued_entry() -> None:
    before = LedgerEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        _append(n=4)
        raise RuntimeError("the change failed after its entry was appended")
    assert not connection.has_queued()
    assert LedgerEntry.objects.count() == before


def test_a_savepoint_rollback_undoes_an_entry_appended_inside_it_only() -> None:
    with transaction.atomic():
        kept = _append(n=5)
        with pytest.raises(RuntimeError), transaction.atomic():
            _append(n=6)
            raise RuntimeError("an inner step failed")
        assert not connection.has_queued()
    rows = set(
        LedgerEntry.objects.filter(details__in=['{"n":5}', '{"n":6}']).values_list(
            "details", flat=True
        )
    )
    assert rows == {'{"n":5}'}
    assert kept.id is not None


def test_percent_signs_in_an_entry_survive_a_parameterised_next_statement() -> None:
    with transaction.atomic():
        entry = _append(note="100% sure, %s and %(name)s are text")
        agency = AgencyFactory(name="Percent Test Agency")  # the ORM's insert, with parameters
        assert Agency.objects.filter(name__contains="Percent", pk=agency.pk).count() == 1
    stored = LedgerEntry.objects.get(entry_id=entry.entry_id)
    assert stored.details == '{"note":"100% sure, %s and %(name)s are text"}'
    assert stored.canonical == entry.canonical


def test_statements_that_cannot_carry_it_send_the_queue_first() -> None:
    agencies = [AgencyFactory(name=f"Iterated Agency {n}") for n in range(3)]
    with transaction.atomic():
        entry = _append(n=7)
        names = [a.name for a in Agency.objects.filter(name__startswith="Iterated").iterator(1)]
        assert sorted(names) == sorted(a.name for a in agencies)  # a named server-side cursor
        assert entry.id is not None
        _append(n=8)
        with connection.cursor() as cursor:
            cursor.executemany("SELECT %s", [[1], [2]])
        assert not connection.has_queued()
    assert LedgerEntry.objects.filter(details__in=['{"n":7}', '{"n":8}']).count() == 2


def test_a_queued_statement_that_fails_fails_the_next_one_and_its_transaction() -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        connection.queue_with_next(
            "INSERT INTO ledger_ledgerentry (canonical) VALUES (%s) RETURNING id",
            ["this is not JSON"],  # the generated columns cannot be derived from it
            lambda row: None,
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    assert not connection.has_queued()
    assert not LedgerEntry.objects.filter(canonical="this is not JSON").exists()


def test_queueing_outside_a_transaction_is_refused() -> None:
    other = connections.create_connection("default")  # in autocommit: no transaction to ride
    try:
        with pytest.raises(RuntimeError, match="inside a transaction"):
            other.queue_with_next("SELECT %s", [1], lambda row: None)
        assert not other.has_queued()
    finally:
        other.close()


def test_flush_sends_the_queue_in_a_round_trip_of_its_own() -> None:
    with transaction.atomic():
        entry = _append(n=9)
        ledger_flush()
        assert entry.id is not None
        assert not connection.has_queued()


def test_the_query_log_shows_each_statement_in_the_order_the_server_ran_them() -> None:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        _append(n=10)
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s", ["after"])
        _append(n=11)  # goes with the savepoint's release (the test's own transaction)
    logged = [q["sql"] for q in queries.captured_queries]
    assert len(logged) == 5, logged
    assert logged[0].startswith("SAVEPOINT")
    assert logged[1].startswith(LEDGER_INSERT)
    assert '"n":10' in logged[1]
    assert logged[2] == "SELECT 'after'"
    assert logged[3].startswith(LEDGER_INSERT)
    assert '"n":11' in logged[3]
    assert logged[4].startswith("RELEASE SAVEPOINT")
