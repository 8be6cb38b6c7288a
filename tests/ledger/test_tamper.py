"""Tampering with the stored ledger is always found, and named by its first bad leaf index.

Each test builds a sequenced ledger, then, with the append-only triggers dropped for the moment
(and recreated afterwards, inside the test's transaction), edits, deletes, reorders, truncates
or inserts rows of the entries, leaves, nodes, heads or keys directly in the database.
"""

from __future__ import annotations

import contextlib
import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from safeshare.ledger import merkle, verify
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry, LedgerLeaf, SignedTreeHead
from safeshare.ledger.sequencer import ledger_sequence_pending
from safeshare.ledger.services import ledger_append
from safeshare.ledger.signing import TreeHead
from safeshare.ledger.tree import ledger_head_get
from safeshare.ledger.verify import LedgerInvalid, ledger_verify

pytestmark = pytest.mark.django_db


def _new_entry_pk() -> int:
    """An entry inserted straight into the table (not through ``ledger_append``)."""
    (entry,) = LedgerEntry.objects.bulk_create(
        [LedgerEntry.compose(event_code=1, actor_roles="system")]
    )
    return entry.pk


ENTRIES = 40  # plus the signing key's publication: 41 leaves
BATCH = 6  # heads at sizes 6, 12, ..., 36 and 41

_ENTRY_TRIGGERS = importlib.import_module("safeshare.ledger.migrations.0002_append_only_triggers")
_TREE_TRIGGERS = importlib.import_module(
    "safeshare.ledger.migrations.0004_tree_append_only_triggers"
)


def _statements(direction: str) -> list[str]:
    vendor = "SQLITE" if connection.vendor == "sqlite" else "POSTGRES"
    entry = getattr(_ENTRY_TRIGGERS, f"{vendor}_{direction}")
    tree = getattr(_TREE_TRIGGERS, f"{vendor}_{direction}")
    # Tree triggers use the entry migration's function on PostgreSQL: drop them first.
    return [*tree, *entry] if direction == "BACKWARD" else [*entry, *tree]


@contextlib.contextmanager
def triggers_bypassed() -> Iterator[None]:
    with connection.cursor() as cursor:
        for statement in _statements("BACKWARD"):
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for statement in _statements("FORWARD"):
                cursor.execute(statement)


@contextlib.contextmanager
def tampered() -> Iterator[None]:
    """Roll the damage back afterwards, so that the test database ends consistent (foreign
    keys are checked when the test ends)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


@dataclass
class Ledger:
    latest: TreeHead

    def entry_of(self, leaf: int) -> int:
        return LedgerLeaf.objects.get(leaf_index=leaf).entry_id

    def node(self, level: int, index: int) -> int:
        return merkle.node_id(level, index)


@pytest.fixture
def ledger() -> Ledger:
    for number in range(ENTRIES):
        with transaction.atomic():
            ledger_append(
                event=Event.CASE_VIEWED,
                actor=None,
                purpose="child_protection",
                details={"n": number},
            )
    ledger_sequence_pending(max_batch=BATCH)
    assert ledger_verify().size == ENTRIES + 1  # no false positive on the untouched ledger
    return Ledger(latest=ledger_head_get())


def _swap_leaves_entries(ledger: Ledger, first: int, second: int) -> None:
    a, b = ledger.entry_of(first), ledger.entry_of(second)
    sql("UPDATE ledger_ledgerleaf SET entry_id = %s WHERE leaf_index = %s", [-1, first])
    sql("UPDATE ledger_ledgerleaf SET entry_id = %s WHERE leaf_index = %s", [a, second])
    sql("UPDATE ledger_ledgerleaf SET entry_id = %s WHERE leaf_index = %s", [b, first])


def _swap_leaf_indexes(first: int, second: int) -> None:
    sql("UPDATE ledger_ledgerleaf SET leaf_index = -1 WHERE leaf_index = %s", [first])
    sql("UPDATE ledger_ledgerleaf SET leaf_index = %s WHERE leaf_index = %s", [first, second])
    sql("UPDATE ledger_ledgerleaf SET leaf_index = %s WHERE leaf_index = -1", [second])


FAKE_ACTOR = "00000000-0000-4000-8000-00000000000a"


def _edit_entry(ledger: Ledger, leaf: int, old: str | re.Pattern[str], new: str) -> None:
    """Edit the stored canonical bytes of a leaf's entry (its columns follow them)."""
    pk = ledger.entry_of(leaf)
    canonical = LedgerEntry.objects.values_list("canonical", flat=True).get(pk=pk)
    if isinstance(old, str):
        assert old in canonical
        edited = canonical.replace(old, new, 1)
    else:
        edited, count = old.subn(new, canonical, count=1)
        assert count == 1
    sql("UPDATE ledger_ledgerentry SET canonical = %s WHERE id = %s", [edited, pk])


def _swap_entry_details(ledger: Ledger, first: int, second: int) -> None:
    a, b = ledger.entry_of(first), ledger.entry_of(second)
    rows = LedgerEntry.objects.filter(pk__in=[a, b]).values_list("pk", "details", "canonical")
    details = {pk: text for pk, text, _canonical in rows}
    canonical = {pk: text for pk, _details, text in rows}
    for this, other in ((a, b), (b, a)):
        edited = canonical[this].replace(
            f'"details":{details[this]}', f'"details":{details[other]}', 1
        )
        sql("UPDATE ledger_ledgerentry SET canonical = %s WHERE id = %s", [edited, this])


def _edit_node(ledger: Ledger, level: int, index: int) -> None:
    sql(
        "UPDATE ledger_merklenode SET hash = %s WHERE id = %s",
        [b"\x5a" * 32, ledger.node(level, index)],
    )


# name -> (tamper, the leaf index verify must name)
TAMPERING: dict[str, tuple[Callable[[Ledger], None], int]] = {
    "edit an entry's purpose": (
        lambda lg: _edit_entry(lg, 17, '"purpose":"child_protection"', '"purpose":"curiosity"'),
        17,
    ),
    "edit an entry's details": (
        lambda lg: _edit_entry(lg, 3, '"details":{"n":', '"details":{"n":999'),
        3,
    ),
    "edit an entry's actor": (
        lambda lg: _edit_entry(lg, 0, '"actor":null', f'"actor":"{FAKE_ACTOR}"'),
        0,
    ),
    "edit the last entry's time": (
        lambda lg: _edit_entry(
            lg, 40, re.compile(r'"at":"[^"]*"'), '"at":"2020-01-01T00:00:00.000000Z"'
        ),
        40,
    ),
    "edit an entry's bytes to hold a character that is not ASCII": (
        lambda lg: _edit_entry(lg, 29, '"purpose":"', '"purpose":"\u00e9'),
        29,
    ),
    "edit an entry's bytes without changing what they say": (
        lambda lg: _edit_entry(lg, 11, '"v":1}', '"v":1 }'),
        11,
    ),
    "delete an entry": (
        lambda lg: sql("DELETE FROM ledger_ledgerentry WHERE id = %s", [lg.entry_of(9)]),
        9,
    ),
    "delete every entry (the table emptied)": (
        lambda lg: sql("DELETE FROM ledger_ledgerentry"),
        0,
    ),
    "swap two leaves' entries": (lambda lg: _swap_leaves_entries(lg, 30, 5), 5),
    "swap two leaves' indexes": (lambda lg: _swap_leaf_indexes(22, 23), 22),
    "swap two entries' details": (lambda lg: _swap_entry_details(lg, 26, 33), 26),
    "edit a leaf hash": (
        lambda lg: sql(
            "UPDATE ledger_ledgerleaf SET leaf_hash = %s WHERE leaf_index = 31", [b"\x01" * 32]
        ),
        31,
    ),
    "delete a leaf": (lambda lg: sql("DELETE FROM ledger_ledgerleaf WHERE leaf_index = 12"), 12),
    "delete the last leaf": (
        lambda lg: sql("DELETE FROM ledger_ledgerleaf WHERE leaf_index = 40"),
        40,
    ),
    "insert a leaf beyond the signed head": (
        lambda lg: sql(
            "INSERT INTO ledger_ledgerleaf (leaf_index, entry_id, leaf_hash) VALUES (41, %s, %s)",
            [_new_entry_pk(), b"\x02" * 32],
        ),
        41,
    ),
    "edit a leaf's node": (lambda lg: _edit_node(lg, 0, 7), 7),
    "edit an interior node": (lambda lg: _edit_node(lg, 2, 3), 12),
    "edit the node over the first 32 leaves": (lambda lg: _edit_node(lg, 5, 0), 0),
    "delete an interior node": (
        lambda lg: sql("DELETE FROM ledger_merklenode WHERE id = %s", [lg.node(3, 1)]),
        8,
    ),
    "insert a node the tree does not have": (
        lambda lg: sql(
            "INSERT INTO ledger_merklenode (id, hash) VALUES (%s, %s)",
            [lg.node(3, 5), b"\x03" * 32],
        ),
        40,
    ),
    "delete the latest head": (
        lambda lg: sql("DELETE FROM ledger_signedtreehead WHERE size = 41"),
        36,
    ),
    "insert a head larger than the tree": (
        lambda lg: sql(
            "INSERT INTO ledger_signedtreehead (size, origin, root, timestamp, key_id, signature,"
            " sequenced_below) SELECT 50, origin, root, timestamp, key_id, signature,"
            " sequenced_below FROM ledger_signedtreehead WHERE size = 41"
        ),
        41,
    ),
}


@pytest.mark.parametrize("name", sorted(TAMPERING))
def test_verify_names_the_first_bad_leaf_after_tampering(ledger: Ledger, name: str) -> None:
    tamper, bad_leaf = TAMPERING[name]
    with tampered():
        with triggers_bypassed():
            tamper(ledger)
        with pytest.raises(LedgerInvalid) as error:
            ledger_verify()
    assert error.value.leaf == bad_leaf, str(error.value)
    assert str(error.value).startswith(f"leaf {bad_leaf}: ")


HEAD_TAMPERING: dict[str, tuple[Callable[[Ledger], None], str]] = {
    "edit a head's root": (
        lambda lg: sql(
            "UPDATE ledger_signedtreehead SET root = %s WHERE size = 18", [b"\x04" * 32]
        ),
        "the head at size 18 has a bad signature",
    ),
    "edit a head's time": (
        lambda lg: sql(
            "UPDATE ledger_signedtreehead SET timestamp = %s WHERE size = 24",
            ["2020-01-01 00:00:00"],
        ),
        "the head at size 24 has a bad signature",
    ),
    "edit a head's size": (
        lambda lg: sql("UPDATE ledger_signedtreehead SET size = 13 WHERE size = 12"),
        "the head at size 13 has a bad signature",
    ),
    "replace a published public key": (
        lambda lg: sql("UPDATE ledger_ledgersigningkey SET public_key = %s", [b"\x05" * 32]),
        "does not match its key id",
    ),
    "insert an entry below the sequencer's low-water mark": (
        lambda lg: LedgerEntry.compose(id=0, event_code=1, actor_roles="system").save(
            force_insert=True
        ),
        "entry 0 has no leaf although the sequencer had sequenced every entry below",
    ),
}


@pytest.mark.parametrize("name", sorted(HEAD_TAMPERING))
def test_verify_names_the_bad_head_key_or_entry(ledger: Ledger, name: str) -> None:
    tamper, message = HEAD_TAMPERING[name]
    with tampered():
        with triggers_bypassed():
            tamper(ledger)
        with pytest.raises(LedgerInvalid, match=message):
            ledger_verify()


def test_a_truncated_tree_is_caught_by_a_saved_head(ledger: Ledger) -> None:
    """Removing the tree's tail (leaves, nodes and heads alike) leaves a ledger that looks
    whole; a head saved earlier (a witness's) shows where it was cut."""
    saved = ledger.latest
    with tampered():
        with triggers_bypassed():
            if connection.vendor == "postgresql":
                sql("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign key checks left pending
                sql("TRUNCATE ledger_ledgerleaf, ledger_merklenode, ledger_signedtreehead")
            else:
                for table in ("ledger_ledgerleaf", "ledger_merklenode", "ledger_signedtreehead"):
                    sql(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        assert ledger_verify().size == 0  # looks like a ledger nobody has sequenced yet
        with pytest.raises(LedgerInvalid) as error:
            ledger_verify(against=saved)
    assert error.value.leaf == 0
    assert str(error.value).startswith("leaf 0: the saved head has size 41")


def test_a_rewritten_tail_is_caught_by_a_saved_head(ledger: Ledger) -> None:
    saved = ledger_head_get(size=36)
    with triggers_bypassed():
        sql("DELETE FROM ledger_signedtreehead WHERE size > 18")
        sql("DELETE FROM ledger_ledgerleaf WHERE leaf_index >= 18")
        for level in range(6):
            sql(
                "DELETE FROM ledger_merklenode WHERE id >= %s AND id < %s",
                [merkle.node_id(level, 18 >> level), merkle.node_id(level + 1, 0)],
            )
        sql(
            "UPDATE ledger_ledgerentry SET canonical = replace(canonical,"
            ' \'"purpose":"child_protection"\', \'"purpose":"rewritten"\') WHERE id IN'
            " (SELECT id FROM ledger_ledgerentry WHERE purpose = 'child_protection'"
            " ORDER BY id DESC LIMIT 5)"
        )
        sql(
            "UPDATE ledger_signedtreehead SET sequenced_below = 0"
        )  # so the sequencer looks at every entry again
    ledger_sequence_pending(max_batch=BATCH)  # the rewritten history, freshly signed
    assert ledger_verify().size == 41  # locally consistent...
    with pytest.raises(LedgerInvalid, match="history was rewritten"):
        ledger_verify(against=saved)  # ...but not what the witness saw


def test_the_triggers_are_back_after_each_tampering(ledger: Ledger) -> None:
    with triggers_bypassed():
        pass
    for statement in (
        "UPDATE ledger_ledgerleaf SET leaf_hash = leaf_hash",
        "DELETE FROM ledger_merklenode",
        "UPDATE ledger_signedtreehead SET size = size",
        "DELETE FROM ledger_ledgerentry",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            sql(statement)
    assert ledger_verify().size == ENTRIES + 1


def test_unsequenced_entries_are_not_mistaken_for_tampering(ledger: Ledger) -> None:
    with transaction.atomic():
        ledger_append(event=Event.CASE_VIEWED, actor=None)
    assert ledger_verify().unsequenced == 1
    assert SignedTreeHead.objects.count() == 7


# --- The query columns are the database's, from the canonical bytes -------------------------------


@pytest.mark.parametrize("column", ["purpose", "actor_id", "occurred_at", "details"])
def test_a_query_column_cannot_be_edited_even_with_the_triggers_gone(
    ledger: Ledger, column: str
) -> None:
    value = {
        "purpose": "curiosity",
        "actor_id": FAKE_ACTOR,
        "occurred_at": "2020-01-01 00:00:00",
        "details": '{"n":999}',
    }[column]
    with tampered(), triggers_bypassed():
        with pytest.raises(DatabaseError), transaction.atomic():
            sql(
                f"UPDATE ledger_ledgerentry SET {column} = %s WHERE id = %s",  # noqa: S608
                [value, ledger.entry_of(17)],
            )
        with pytest.raises(DatabaseError), transaction.atomic():
            sql(
                f"INSERT INTO ledger_ledgerentry (canonical, {column}) VALUES (%s, %s)",  # noqa: S608
                [LedgerEntry.compose(event_code=1).canonical, value],
            )
    assert ledger_verify().size == ENTRIES + 1


def _sqlite_remake(table_sql: str, columns: str = "*") -> None:
    """Replace the entry table by one made from ``table_sql`` (named ledger_tampered), keeping
    every row: what an administrator with the database file could do."""
    sql(table_sql)
    sql(f"INSERT INTO ledger_tampered SELECT {columns} FROM ledger_ledgerentry")  # noqa: S608
    sql("DROP TABLE ledger_ledgerentry")
    sql("ALTER TABLE ledger_tampered RENAME TO ledger_ledgerentry")


def _strip_generation() -> None:
    if connection.vendor == "postgresql":
        sql("ALTER TABLE ledger_ledgerentry ALTER COLUMN purpose DROP EXPRESSION")
    else:  # SQLite cannot alter a column: remake the table with ordinary columns
        _sqlite_remake("CREATE TABLE ledger_tampered AS SELECT * FROM ledger_ledgerentry WHERE 0")


def _change_expression() -> None:
    if connection.vendor == "postgresql":
        sql("ALTER TABLE ledger_ledgerentry DROP COLUMN purpose")
        sql(
            "ALTER TABLE ledger_ledgerentry ADD COLUMN purpose text"
            " GENERATED ALWAYS AS ('child_protection') STORED"
        )
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'ledger_ledgerentry'")
        (table_sql,) = cursor.fetchone()
    generated = "json_extract(\"canonical\", '$.purpose')"
    assert generated in table_sql
    _sqlite_remake(
        table_sql.replace(generated, "'child_protection'").replace(
            '"ledger_ledgerentry"', "ledger_tampered", 1
        ),
        columns="id, canonical",  # the generated columns are the database's to fill
    )


@pytest.mark.parametrize("tamper", [_strip_generation, _change_expression])
def test_verify_fails_when_the_database_no_longer_generates_the_columns(
    ledger: Ledger, tamper: Callable[[], None]
) -> None:
    with tampered():
        with triggers_bypassed():
            tamper()
            if tamper is _strip_generation:  # now the column can say what the bytes do not
                sql("UPDATE ledger_ledgerentry SET purpose = 'curiosity'")
        with pytest.raises(LedgerInvalid) as error:
            ledger_verify()
    # SQLite's stripped copy has no generated column at all: the first one is named.
    column = (
        "entry_id" if tamper is _strip_generation and connection.vendor == "sqlite" else "purpose"
    )
    assert str(error.value).startswith(
        f"the database no longer generates ledger_ledgerentry.{column} from the canonical bytes"
    ), str(error.value)
    assert ledger_verify().size == ENTRIES + 1  # the schema is back (rolled back)


def _canonical_in_leaf_order(size: int) -> list[bytes]:
    return [
        LedgerEntry.objects.values_list("canonical", flat=True)
        .get(pk=LedgerLeaf.objects.get(leaf_index=leaf).entry_id)
        .encode()
        for leaf in range(size)
    ]


def test_a_chunk_is_read_in_leaf_order_when_leaves_are_not_in_id_order(ledger: Ledger) -> None:
    """Entries committed out of order are sequenced out of id order: the chunk read (on
    PostgreSQL, by id range, then matched leaf by leaf) still gives each leaf its own entry."""
    size = ledger.latest.size
    with tampered():
        with triggers_bypassed():
            _swap_leaves_entries(ledger, 3, 9)
        chunk = verify.fetch_chunk(0, size)
        assert chunk.payload is not None
        assert chunk.payload.split(b"\x1e") == _canonical_in_leaf_order(size)


def _entry_with_id(entry_id: int) -> LedgerEntry:
    entry = LedgerEntry.compose(event_code=1, actor_roles="system")
    entry.id = entry_id
    entry.save(force_insert=True)
    return entry


def _chunk_rows_with_leaf_5_on(ledger: Ledger, entry: LedgerEntry) -> list[bytes]:
    """The chunk's rows as verify reads them, once leaf 5 points at ``entry``; checked to be the
    entries in leaf order."""
    size = ledger.latest.size
    with tampered():
        with triggers_bypassed():
            sql("UPDATE ledger_ledgerleaf SET entry_id = %s WHERE leaf_index = 5", [entry.pk])
        chunk = verify.fetch_chunk(0, size)
        assert chunk.payload is not None
        rows = chunk.payload.split(b"\x1e")
        assert rows == _canonical_in_leaf_order(size)
    return rows


def test_a_chunk_with_an_entry_far_from_the_others_is_read_in_leaf_order(ledger: Ledger) -> None:
    """An entry whose id lies far from the chunk's others (a transaction that committed long
    after it began) is looked up on its own rather than reading the whole range between."""
    far = _entry_with_id(ledger.entry_of(ledger.latest.size - 1) + 10_000)
    rows = _chunk_rows_with_leaf_5_on(ledger, far)
    assert rows[5] == far.canonical.encode()


def test_a_chunk_whose_id_range_holds_an_entry_not_yet_sequenced_is_read_in_leaf_order(
    ledger: Ledger,
) -> None:
    """The range between the chunk's lowest and highest entry id can hold an entry that is no
    leaf (committed after the sequencer ran): its bytes must not slip into the chunk."""
    last = ledger.entry_of(ledger.latest.size - 1)
    waiting, moved = _entry_with_id(last + 1), _entry_with_id(last + 2)
    rows = _chunk_rows_with_leaf_5_on(ledger, moved)
    assert rows[5] == moved.canonical.encode()
    assert waiting.canonical.encode() not in rows
