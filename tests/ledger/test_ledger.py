"""The ledger's append path: same transaction, append-only in code and in the database."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from safeshare.agencies.services import agency_create
from safeshare.core import clock
from safeshare.ledger.encoding import EntryFields, NotCanonical, canonical_bytes, canonical_json
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry, LedgerIsAppendOnly
from safeshare.ledger.services import LedgerOutsideTransaction, Subject, ledger_append
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


def _append() -> LedgerEntry:
    with transaction.atomic():
        return ledger_append(event=Event.AGENCY_CREATED, actor=None, details={"n": 1})


def test_append_outside_a_transaction_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every test runs inside a transaction, so show the guard a connection outside one.
    class OutsideTransaction:
        in_atomic_block = False

    monkeypatch.setattr(
        "safeshare.ledger.services.transaction.get_connection", lambda: OutsideTransaction()
    )
    with pytest.raises(LedgerOutsideTransaction):
        ledger_append(event=Event.AGENCY_CREATED, actor=None)


def test_entry_records_actor_agency_and_roles_at_the_time() -> None:
    actor = PractitionerFactory(roles=["dsl", "practitioner"])
    person_id, case_id = uuid.uuid4(), uuid.uuid4()
    with transaction.atomic():
        entry = ledger_append(
            event=Event.CASE_VIEWED,
            actor=actor,
            subject=Subject(person_id=person_id, case_id=case_id),
            purpose="child_protection",
        )
    entry.refresh_from_db()
    assert entry.actor_id == actor.pk
    assert entry.actor_agency_id == actor.agency_id
    assert entry.actor_roles == "dsl,practitioner"
    assert (entry.subject_person_id, entry.subject_case_id) == (person_id, case_id)
    assert entry.occurred_at.tzinfo is not None


def test_change_and_entry_roll_back_together() -> None:
    before = LedgerEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        agency_create(
            actor=None,
            name="Rolled Back Agency",
            agency_type="school",
            local_authority_area="Fakeshire",
        )
        raise RuntimeError("something later in the request failed")
    assert LedgerEntry.objects.count() == before


def test_code_refuses_to_change_or_delete_an_entry() -> None:
    entry = _append()
    entry.purpose = "changed"
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()


def test_database_refuses_direct_update() -> None:
    entry = _append()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_ledgerentry SET purpose = 'x' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.purpose == ""


def test_database_refuses_direct_delete() -> None:
    entry = _append()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_ledgerentry WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_delete_are_refused_by_the_database() -> None:
    _append()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.all().update(canonical="{}")
    # The query columns are generated from the canonical bytes: Django leaves them out of an
    # UPDATE altogether (and the database would refuse it: tests/ledger/test_tamper.py).
    with transaction.atomic():
        assert LedgerEntry.objects.all().update(purpose="x") == 0
    assert not LedgerEntry.objects.filter(purpose="x").exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.all()._raw_delete(LedgerEntry.objects.db)


def test_database_refuses_emptying_the_table() -> None:
    """PostgreSQL's TRUNCATE; SQLite's equivalent is an unqualified DELETE (its truncate path)."""
    _append()
    statement = (
        "TRUNCATE ledger_ledgerentry"
        if connection.vendor == "postgresql"
        else "DELETE FROM ledger_ledgerentry"
    )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert LedgerEntry.objects.exists()


def test_stored_entry_has_the_same_canonical_bytes_after_a_round_trip() -> None:
    with clock.frozen(dt.datetime(2026, 11, 21, 9, 30, 15, 123456, tzinfo=dt.UTC)):
        entry = _append()
    reloaded = LedgerEntry.objects.get(pk=entry.pk)
    assert reloaded.canonical_bytes() == entry.canonical_bytes()
    document = json.loads(reloaded.canonical_bytes())
    assert document["at"] == "2026-11-21T09:30:15.123456Z"
    assert document["event"] == Event.AGENCY_CREATED
    assert document["v"] == 1


def test_details_without_a_single_spelling_are_refused() -> None:
    with pytest.raises(NotCanonical), transaction.atomic():
        ledger_append(event=Event.AGENCY_CREATED, actor=None, details={"ratio": 0.5})


def test_event_codes_are_unique_and_grouped_by_area() -> None:
    codes = [e.value for e in Event]
    assert len(codes) == len(set(codes))
    assert all(100 <= c < 1200 for c in codes)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values)
def test_canonical_json_is_stable_under_reparsing(value: object) -> None:
    text = canonical_json(value)
    assert canonical_json(json.loads(text)) == text
    assert text.isascii()


@given(st.dictionaries(st.text(), st.integers(), max_size=8))
def test_canonical_bytes_do_not_depend_on_key_order(details: dict[str, int]) -> None:
    def encode(d: dict[str, int]) -> bytes:
        return canonical_bytes(
            EntryFields(
                entry_id=uuid.UUID(int=1),
                occurred_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                event_code=400,
                actor_id=None,
                actor_agency_id=None,
                actor_roles="system",
                subject_person_id=None,
                subject_case_id=None,
                object_type="",
                object_id="",
                purpose="",
                details=json.dumps(d),
            )
        )

    assert encode(details) == encode(dict(reversed(list(details.items()))))
