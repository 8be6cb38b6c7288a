"""``ledger_verify``: recompute the whole tree from the entries and check everything stored.

Entries -> canonical bytes -> leaf hashes (must equal the stored leaves, in leaf order, and the
stored level-0 nodes) -> every stored node, level by level -> the root at every signed head's size
(and each head's signature with the published key) -> optionally a head saved elsewhere (a
witness's, an earlier download). The first discrepancy stops it with :class:`LedgerInvalid`,
whose message starts with the first bad leaf index (``leaf 1234: ...``) when there is one.

Each entry stores its canonical bytes (``LedgerEntry.canonical``) and the database generates
every query column from them (ADR 16), so a leaf is just the hash of the stored bytes; verification
first checks, once, that the database still generates those columns (:func:`check_schema`), or
the columns could say something the hashed bytes do not.

Speed: the leaves are read in chunks of ``2**CHUNK_LEVEL`` by leaf-index range, a chunk's stored
canonical bytes as ONE string (one ``string_agg`` / ``group_concat``), and the nodes of each chunk
in one range query per level. Python then only splits, hashes and compares lists. With
``jobs > 1`` the chunks are shared between worker processes (each with its own database
connection), so both cores hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.db import connection, connections, transaction
from psycopg.types.string import ByteaBinaryLoader

from safeshare.ledger import merkle
from safeshare.ledger.merkle import MemoryNodes, NodeKey
from safeshare.ledger.models import LedgerEntry, SignedTreeHead
from safeshare.ledger.services import ledger_flush
from safeshare.ledger.signing import (
    HeadError,
    TreeHead,
    ledger_origin,
    parse_timestamp,
    verify_head,
)
from safeshare.ledger.tree import published_public_keys, published_retirements, tree_head

CHUNK_LEVEL = 14  # 16,384 leaves per chunk
MAX_LEVEL = 63
HASH = 32
Progress = Callable[[int, int], None]

_sha256 = hashlib.sha256
_LEAF = b"\x00"
_NODE = b"\x01"


class LedgerInvalid(Exception):
    """The ledger does not verify; ``leaf`` is the first bad leaf index when there is one."""

    def __init__(self, message: str, *, leaf: int | None = None) -> None:
        super().__init__(message if leaf is None else f"leaf {leaf}: {message}")
        self.leaf = leaf


@dataclass(frozen=True)
class VerifyReport:
    size: int
    heads: int
    unsequenced: int
    seconds: float
    against: int | None = None

    @property
    def leaves_per_second(self) -> float:
        return self.size / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        against = (
            f"; consistent with the saved head at size {self.against:,}"
            if self.against is not None
            else ""
        )
        waiting = (
            f"; {self.unsequenced:,} newer entries not sequenced yet" if self.unsequenced else ""
        )
        return (
            f"ledger ok: {self.size:,} leaves, every stored node and {self.heads:,} signed heads "
            f"verified in {self.seconds:,.1f}s ({self.leaves_per_second:,.0f} leaves/s)"
            f"{against}{waiting}"
        )


# --- The database still derives the query columns from the hashed bytes ----------------------

_TABLE = LedgerEntry._meta.db_table
_ROW = b"\x1e"  # between rows: canonical JSON escapes every control character


def _generated_fields() -> list[Any]:
    return [f for f in LedgerEntry._meta.concrete_fields if f.generated]


def _schema_error(column: str, what: str) -> LedgerInvalid:
    return LedgerInvalid(
        f"the database no longer generates {_TABLE}.{column} from the canonical bytes ({what}): "
        "the query columns could disagree with what the leaves hash; restore the schema "
        "(migration ledger 0005) and verify again"
    )


def _check_sqlite_schema() -> None:
    quote = connection.ops.quote_name
    editor = connection.SchemaEditorClass(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [_TABLE])
        row = cursor.fetchone()
        cursor.execute(f"PRAGMA table_xinfo({quote(_TABLE)})")
        hidden = {name: flag for _cid, name, *_rest, flag in cursor.fetchall()}
    table_sql = row[0] if row else ""
    for column_field in _generated_fields():
        column_sql, _params = editor.column_sql(LedgerEntry, column_field, include_default=False)
        if hidden.get(column_field.column) != 3:  # 3: a STORED generated column
            raise _schema_error(column_field.column, "it is not a stored generated column")
        if f"{quote(column_field.column)} {column_sql}" not in table_sql:
            raise _schema_error(column_field.column, "its generation expression was changed")


_PG_COLUMNS = """
    SELECT a.attname, a.attgenerated, format_type(a.atttypid, a.atttypmod),
           pg_get_expr(d.adbin, d.adrelid)
    FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
"""


def _check_postgresql_schema() -> None:
    """Each query column must still be a stored generated column with the expression the model
    defines. PostgreSQL keeps the expression in its own spelling, so the expected spelling is
    PostgreSQL's own for a throw-away temporary table made from the model's definitions."""
    quote = connection.ops.quote_name
    editor = connection.SchemaEditorClass(connection)
    fields = _generated_fields()
    columns = ", ".join(
        [
            "canonical text",
            *(
                f"{quote(f.column)} {editor.column_sql(LedgerEntry, f, include_default=False)[0]}"
                for f in fields
            ),
        ]
    )
    expected_table = "ledger_verify_expected_columns"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {expected_table} ({columns}) ON COMMIT DROP")
        cursor.execute(_PG_COLUMNS, [expected_table])
        expected = {name: rest for name, *rest in cursor.fetchall()}
        cursor.execute(f"DROP TABLE {expected_table}")
        cursor.execute(_PG_COLUMNS, [_TABLE])
        actual = {name: rest for name, *rest in cursor.fetchall()}
    for column_field in fields:
        generated, _type, expression = actual.get(column_field.column, (None, None, None))
        if generated != "s":
            raise _schema_error(column_field.column, "it is not a stored generated column")
        if [generated, _type, expression] != list(expected[column_field.column]):
            raise _schema_error(column_field.column, "its generation expression was changed")


def check_schema() -> None:
    """Raise LedgerInvalid unless every query column is still generated from ``canonical``."""
    if connection.vendor == "postgresql":
        _check_postgresql_schema()
    else:
        _check_sqlite_schema()


# --- One chunk of leaves -----------------------------------------------------------------------


@dataclass
class ChunkResult:
    start: int
    end: int
    top: bytes | None  # the chunk's root when the chunk is complete
    captured: list[tuple[int, int, bytes]] = field(default_factory=list)


StoredLevel = tuple[int, int | None, int | None, bytes]  # (count, lowest id, highest id, hashes)


@dataclass(frozen=True)
class LevelDigest:
    """A stored level as PostgreSQL summarises it: (count, lowest id, highest id) and the SHA-256
    of its node hashes joined in id order. Equal to the digest of the computed level, it stands
    for the stored hashes themselves (without sending them); unequal, or incomplete, the level
    is read again in full so that the first bad node can be named."""

    count: int
    low: int | None
    high: int | None
    digest: bytes | None


@dataclass
class ChunkData:
    """A chunk as read: (count, lowest, highest) and one string/blob for leaves and each level."""

    start: int
    end: int
    leaves: tuple[int, int | None, int | None]
    payload: bytes | None  # the canonical bytes, rows joined by _ROW
    leaf_hashes: bytes
    levels: list[StoredLevel | LevelDigest]


def _leaves_sql() -> str:
    """One chunk's (count, lowest, highest, canonical bytes joined by _ROW, leaf hashes).

    The rows reach the aggregates sorted by leaf index (a sorted subquery is never merged into
    the outer query). Were they ever not, the canonical bytes and leaf hashes would still come
    in the same order as each other, and the comparison with the stored nodes (read by id)
    would fail: a false alarm at worst, never a pass.
    """
    where = "l.leaf_index >= %(start)s AND l.leaf_index < %(end)s"
    if connection.vendor == "postgresql":
        # The entry is looked up by its key for each leaf: a join could be planned as a hash
        # join that reads the whole entry table for every chunk.
        return (
            "SELECT count(*), min(leaf_index), max(leaf_index), string_agg(canonical, chr(30)),"  # noqa: S608
            " string_agg(leaf_hash, ''::bytea) FROM (SELECT l.leaf_index, l.leaf_hash,"
            " coalesce((SELECT e.canonical FROM ledger_ledgerentry e WHERE e.id = l.entry_id),"
            f" '') AS canonical FROM ledger_ledgerleaf l WHERE {where} ORDER BY l.leaf_index) s"
        )
    join = "ledger_ledgerleaf l LEFT JOIN ledger_ledgerentry e ON e.id = l.entry_id"
    return (
        "SELECT count(*), min(leaf_index), max(leaf_index),"  # noqa: S608
        " CAST(group_concat(fields, char(30)) AS BLOB),"
        " CAST(group_concat(leaf_hash, '') AS BLOB) FROM (SELECT l.leaf_index, l.leaf_hash,"
        f" ifnull(e.canonical, '') AS fields FROM {join} WHERE {where} ORDER BY l.leaf_index)"
    )


_PG_WORK_MEM = "64MB"


def _nodes_sql() -> str:
    if connection.vendor == "postgresql":
        # Ordered by a subquery, not by ORDER BY inside the aggregate: PostgreSQL 15 would sort
        # again what the index scan already returns in order (about twice the time).
        return (
            "SELECT count(*), min(id), max(id), string_agg(hash, ''::bytea) FROM"
            " (SELECT id, hash FROM ledger_merklenode WHERE id >= %s AND id < %s ORDER BY id) s"
        )
    return (
        "SELECT count(*), min(id), max(id), CAST(group_concat(hash, '') AS BLOB) FROM"
        " (SELECT id, hash FROM ledger_merklenode WHERE id >= %s AND id < %s ORDER BY id)"
    )


def _as_bytes(payload: str | bytes | memoryview | None) -> bytes | None:
    """The chunk's canonical bytes: SQLite's blob as is; PostgreSQL's text encoded in one go
    (cheaper than a bytea, which travels as hex)."""
    if payload is None:
        return None
    return payload.encode() if isinstance(payload, str) else bytes(payload)


# PostgreSQL's fast read of a chunk: the leaves (their hashes) by leaf index, with the server's
# answer to "do the entries whose ids lie between the chunk's lowest and highest entry id (read
# from their primary key index) match the leaves' entries one for one, in leaf order?" When they
# do, which is the usual case (entries are sequenced in about the order of their ids), the
# entries' canonical bytes come as one value, read by id range; otherwise the entries come as
# rows with their ids and each leaf is given the entry with its own id.
_PG_CHUNK_LEAVES = (
    "SELECT count(*), min(leaf_index), max(leaf_index), min(entry_id), max(entry_id),"
    " string_agg(leaf_hash, ''::bytea), CASE WHEN max(entry_id) - min(entry_id) < %s * count(*)"
    " THEN array_agg(entry_id) = (SELECT array_agg(id) FROM (SELECT id FROM ledger_ledgerentry"
    " WHERE id >= min(s.entry_id) AND id <= max(s.entry_id) ORDER BY id) i) END FROM"
    " (SELECT leaf_index, entry_id, leaf_hash FROM ledger_ledgerleaf"
    " WHERE leaf_index >= %s AND leaf_index < %s ORDER BY leaf_index) s"
)
# One value, not rows: the client takes one string instead of building a row per entry (about
# half the client's time for a chunk), for a little more of the server's.
_PG_RANGE_PAYLOAD = (
    "SELECT count(*), string_agg(canonical, chr(30)) FROM (SELECT canonical"
    " FROM ledger_ledgerentry WHERE id >= %s AND id <= %s ORDER BY id) s"
)
_PG_LEAF_ENTRY_IDS = (
    "SELECT array_agg(entry_id) FROM (SELECT entry_id FROM ledger_ledgerleaf"
    " WHERE leaf_index >= %s AND leaf_index < %s ORDER BY leaf_index) s"
)
_PG_RANGE_ENTRIES = (
    "SELECT id, canonical FROM ledger_ledgerentry WHERE id >= %s AND id <= %s ORDER BY id"
)
_RANGE_SLACK = 4  # read by range while the ids span less than this many times the leaves


def _postgresql_leaves(cursor: Any, start: int, end: int) -> tuple[Any, ...] | None:
    """The chunk's (count, lowest, highest, canonical bytes, leaf hashes), read by id range; None
    where the slower query that looks each entry up must decide (an entry missing, or entries
    sequenced far from their ids' order)."""
    cursor.execute(_PG_CHUNK_LEAVES, [_RANGE_SLACK, start, end])
    count, low, high, first_id, last_id, leaf_hashes, one_for_one = cursor.fetchone()
    if not count or one_for_one is None:  # no leaves, or ids spread too far for a range
        return None
    if one_for_one:
        cursor.execute(_PG_RANGE_PAYLOAD, [first_id, last_id])
        rows, payload = cursor.fetchone()
        if rows == count:  # else an entry in the range committed since: decide row by row
            return count, low, high, payload, leaf_hashes
    cursor.execute(_PG_LEAF_ENTRY_IDS, [start, end])
    leaf_ids = cursor.fetchone()[0]
    cursor.execute(_PG_RANGE_ENTRIES, [first_id, last_id])
    by_id = dict(cursor.fetchall())
    try:
        texts = [by_id[entry_id] for entry_id in leaf_ids]
    except KeyError:
        return None
    return count, low, high, _ROW.join(texts), leaf_hashes  # bytes: see _BinaryCursor


@contextlib.contextmanager
def _chunk_cursor() -> Iterator[Any]:
    """A cursor for reading chunks. On PostgreSQL, psycopg's own cursor with server-side binding
    and binary results: the same few statements run for every chunk, so psycopg prepares them
    (the server plans each once, not once per chunk), and hashes arrive as bytes, not hex. (The
    Django cursor binds on the client, so that every statement is planned afresh.)"""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    ledger_flush()  # psycopg's own cursor does not carry statements queued on the connection
    with psycopg.Cursor(connection.connection) as raw:
        yield _BinaryCursor(raw)


class _BinaryCursor:
    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        # Text arrives as its bytes (what is hashed), with no decoding to str and back.
        cursor.adapters.register_loader("text", ByteaBinaryLoader)
        self._cursor = cursor

    def execute(self, sql: str, params: Any = None) -> None:
        self._cursor.execute(sql, params, binary=True)

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()


def _level_ranges(start: int, end: int) -> list[tuple[int, int]]:
    """The node ids ``[first, past)`` of each level inside leaves ``[start, end)``."""
    ranges = []
    level, width = 0, end - start
    while width >= 1 and level <= CHUNK_LEVEL:
        first = merkle.node_id(level, start >> level)
        ranges.append((first, first + width))
        level, width = level + 1, width // 2
    return ranges


def _stored_level(cursor: Any, first: int, past: int) -> StoredLevel:
    cursor.execute(_nodes_sql(), [first, past])
    found, lowest, highest, hashes = cursor.fetchone()
    return found, lowest, highest, bytes(hashes or b"")


def _pg_level_digests_sql(levels: int) -> str:
    """Every level of a chunk in one statement: per level, (level, count, lowest id, highest id,
    SHA-256 of the hashes joined in id order). The server sends 15 short rows instead of about
    a megabyte of hashes; each level's rows reach its aggregate sorted by id, as in
    ``_nodes_sql`` (were they ever not, the digest would differ and the level would be read in
    full: a slower check, never a false pass)."""
    return " UNION ALL ".join(
        f"(SELECT {n}, count(*), min(id), max(id), sha256(string_agg(hash, ''::bytea)) FROM"  # noqa: S608
        f" (SELECT id, hash FROM ledger_merklenode WHERE id >= %s AND id < %s ORDER BY id) l{n})"
        for n in range(levels)
    )


def fetch_chunk(start: int, end: int) -> ChunkData:
    """Leaves ``[start, end)`` (``start`` aligned) and every complete node inside them."""
    with _chunk_cursor() as cursor:
        if connection.vendor == "postgresql":
            # A chunk's canonical bytes (about 7 MiB) are sorted in memory, not on disk (the
            # default work_mem is 4 MiB), and the query is too short to repay JIT compilation.
            cursor.execute(f"SET work_mem = '{_PG_WORK_MEM}'")
            cursor.execute("SET jit = off")
        read = _postgresql_leaves(cursor, start, end) if connection.vendor == "postgresql" else None
        if read is None:
            cursor.execute(_leaves_sql(), {"start": start, "end": end})
            read = cursor.fetchone()
        count, low, high, payload, leaf_hashes = read
        ranges = _level_ranges(start, end)
        levels: list[StoredLevel | LevelDigest]
        if connection.vendor == "postgresql":
            cursor.execute(_pg_level_digests_sql(len(ranges)), [i for r in ranges for i in r])
            levels = [LevelDigest(*row[1:]) for row in sorted(cursor.fetchall())]
        else:
            levels = [_stored_level(cursor, first, past) for first, past in ranges]
    return ChunkData(
        start=start,
        end=end,
        leaves=(count, low, high),
        payload=_as_bytes(payload),
        leaf_hashes=bytes(leaf_hashes or b""),
        levels=levels,
    )


def _first_difference(left: Sequence[Any], right: Sequence[Any]) -> int:
    for position, (a, b) in enumerate(zip(left, right, strict=False)):
        if a != b:
            return position
    return min(len(left), len(right))


def _missing_leaf(start: int, end: int) -> LedgerInvalid:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT leaf_index FROM ledger_ledgerleaf"
            " WHERE leaf_index >= %s AND leaf_index < %s ORDER BY leaf_index",
            [start, end],
        )
        present = [row[0] for row in cursor.fetchall()]
    missing = start + _first_difference(present, range(start, end))
    return LedgerInvalid("missing (the leaf indexes have a gap)", leaf=missing)


def _entry_of_leaf(leaf: int) -> tuple[int, int | None, str | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.entry_id, e.id, e.canonical FROM ledger_ledgerleaf l"
            " LEFT JOIN ledger_ledgerentry e ON e.id = l.entry_id WHERE l.leaf_index = %s",
            [leaf],
        )
        entry_id, present, canonical = cursor.fetchone()
    return entry_id, present, canonical


def _datas(chunk: ChunkData) -> list[bytes]:
    """The stored canonical bytes of each leaf's entry, in leaf order."""
    count = chunk.end - chunk.start
    rows = chunk.payload.split(_ROW) if chunk.payload is not None else []
    if len(rows) != count:  # a damaged entry holding the separator: read each one alone
        texts = [_entry_of_leaf(leaf)[2] or "" for leaf in range(chunk.start, chunk.end)]
        return [text.encode() for text in texts]
    return rows


def _leaf_hashes(chunk: ChunkData) -> list[bytes]:
    computed = [_sha256(_LEAF + data).digest() for data in _datas(chunk)]
    stored = chunk.leaf_hashes
    if b"".join(computed) == stored:
        return computed
    for position, mine in enumerate(computed):
        if mine == stored[position * HASH : (position + 1) * HASH]:
            continue
        leaf = chunk.start + position
        entry_id, present, _canonical = _entry_of_leaf(leaf)
        if present is None:
            raise LedgerInvalid(f"its entry (id {entry_id}) is missing", leaf=leaf)
        raise LedgerInvalid(
            f"entry {present} does not match the stored leaf hash (the entry was changed, "
            "or the leaf was altered or points at another entry)",
            leaf=leaf,
        )
    raise LedgerInvalid("the stored leaf hashes are damaged", leaf=chunk.start)


def _check_level(
    level: int, first: int, computed: list[bytes], stored: tuple[int, int | None, int | None, bytes]
) -> None:
    count, low, high, hashes = stored
    base = merkle.node_id(level, first)
    if (count, low, high) != (len(computed), base, base + len(computed) - 1):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM ledger_merklenode WHERE id >= %s AND id < %s ORDER BY id",
                [base, base + len(computed)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        index = first + _first_difference(ids, range(base, base + len(computed)))
        raise LedgerInvalid(
            f"stored node (level {level}, index {index}) is missing", leaf=index << level
        )
    if b"".join(computed) != hashes:
        split = [hashes[i * HASH : (i + 1) * HASH] for i in range(len(computed))]
        index = first + _first_difference(split, computed)
        what = (
            "the stored level-0 node differs from the leaf"
            if level == 0
            else f"stored node (level {level}, index {index}) does not match its children"
        )
        raise LedgerInvalid(what, leaf=index << level)


def _wanted_here(
    wanted: frozenset[NodeKey], level: int, first: int, hashes: list[bytes]
) -> list[tuple[int, int, bytes]]:
    """The wanted nodes (the heads' frontiers) among this level's ``hashes``, looking through
    whichever is shorter: the wanted keys (a few per head) or the level's nodes."""
    last = first + len(hashes)
    if len(wanted) < len(hashes):
        return [
            (level, index, hashes[index - first])
            for at, index in wanted
            if at == level and first <= index < last
        ]
    return [
        (level, first + offset, digest)
        for offset, digest in enumerate(hashes)
        if (level, first + offset) in wanted
    ]


def _level_from_digest(
    stored: LevelDigest, computed: list[bytes], first: int, level: int
) -> StoredLevel:
    """The stored level, where its digest matches the computed nodes (then they are the same
    bytes, short of a SHA-256 collision), or else read in full for ``_check_level`` to name the
    first bad node."""
    base = merkle.node_id(level, first)
    joined = b"".join(computed)
    if (stored.count, stored.low, stored.high) == (
        len(computed),
        base,
        base + len(computed) - 1,
    ) and stored.digest == _sha256(joined).digest():
        return stored.count, stored.low, stored.high, joined
    with connection.cursor() as cursor:
        return _stored_level(cursor, base, base + len(computed))


def verify_chunk_data(chunk: ChunkData, wanted: frozenset[NodeKey]) -> ChunkResult:
    start, end = chunk.start, chunk.end
    if chunk.leaves != (end - start, start, end - 1):
        raise _missing_leaf(start, end)
    level_hashes = _leaf_hashes(chunk)
    result = ChunkResult(start=start, end=end, top=None)
    for level, stored in enumerate(chunk.levels):
        first = start >> level
        if level:
            level_hashes = [
                _sha256(_NODE + left + right).digest()
                for left, right in zip(level_hashes[0::2], level_hashes[1::2], strict=False)
            ]
        if isinstance(stored, LevelDigest):
            stored = _level_from_digest(stored, level_hashes, first, level)
        _check_level(level, first, level_hashes, stored)
        if wanted:
            result.captured.extend(_wanted_here(wanted, level, first, level_hashes))
    if end - start == 1 << CHUNK_LEVEL:
        result.top = level_hashes[0]
    return result


def verify_chunk(start: int, end: int, wanted: frozenset[NodeKey]) -> ChunkResult:
    """Check leaves ``[start, end)`` and every complete node inside them (``start`` aligned)."""
    return verify_chunk_data(fetch_chunk(start, end), wanted)


# --- Everything ------------------------------------------------------------------------------


def _chunks(size: int) -> list[tuple[int, int]]:
    step = 1 << CHUNK_LEVEL
    return [(start, min(start + step, size)) for start in range(0, size, step)]


def _verify_worker(args: tuple[int, int, frozenset[NodeKey]]) -> ChunkResult | str:
    try:
        return verify_chunk(*args)
    except LedgerInvalid as exc:
        return f"{exc.leaf}\x00{exc}"


def _worker_init() -> None:
    # Ctrl+C is the parent's to handle; the pool stops its workers with SIGTERM, quietly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    connections.close_all()  # never share the parent's connection: open our own


def _fetch_in_thread(start: int, end: int) -> ChunkData:
    return fetch_chunk(start, end)


def _close_thread_connections(meeting: threading.Barrier) -> None:
    meeting.wait(timeout=60)
    connections.close_all()


def _prefetched(chunks: list[tuple[int, int]], readers: int = 2) -> Iterator[ChunkData]:
    """Each chunk, read ahead by helper threads (each with its own connection) while earlier
    ones are checked: the database's work (PostgreSQL's in its own processes, SQLite's without
    Python's interpreter lock) overlaps the hashing."""
    with ThreadPoolExecutor(max_workers=readers) as pool:
        pending = [pool.submit(_fetch_in_thread, *chunk) for chunk in chunks[:readers]]
        try:
            for index in range(len(chunks)):
                chunk = pending.pop(0).result()
                ahead = index + readers
                if ahead < len(chunks):
                    pending.append(pool.submit(_fetch_in_thread, *chunks[ahead]))
                yield chunk
        finally:
            for future in pending:
                future.cancel()
            # One closing task per thread (each waits for the others, so none runs two).
            meeting = threading.Barrier(readers)
            closing = [pool.submit(_close_thread_connections, meeting) for _ in range(readers)]
            for done in closing:
                done.result()


def _chunk_results(size: int, wanted: frozenset[NodeKey], jobs: int) -> Iterator[ChunkResult]:
    chunks = _chunks(size)
    if connection.in_atomic_block or len(chunks) < 2:
        # Inside a transaction (tests) other connections would not see its rows: read here.
        for start, end in chunks:
            yield verify_chunk(start, end, wanted)
        return
    if jobs <= 1:
        for chunk in _prefetched(chunks):
            yield verify_chunk_data(chunk, wanted)
        return
    connections.close_all()  # the workers are forked: none may inherit an open connection
    context = multiprocessing.get_context("fork")
    work = [(start, end, wanted) for start, end in chunks]
    pool = context.Pool(processes=jobs, initializer=_worker_init)
    try:
        for outcome in pool.imap(_verify_worker, work):
            if isinstance(outcome, str):
                leaf, message = outcome.split("\x00", 1)
                error = LedgerInvalid(message)
                error.leaf = int(leaf) if leaf != "None" else None
                raise error
            yield outcome
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _upper_levels(
    tops: list[bytes], size: int, wanted: frozenset[NodeKey], captured: MemoryNodes
) -> None:
    """The complete nodes above chunk level, from the chunks' roots."""
    level = CHUNK_LEVEL
    current = tops
    while len(current) >= 2:
        current = [
            _sha256(_NODE + left + right).digest()
            for left, right in zip(current[0::2], current[1::2], strict=False)
        ]
        level += 1
        base = merkle.node_id(level, 0)
        with connection.cursor() as cursor:
            stored = _stored_level(cursor, base, base + len(current))
        _check_level(level, 0, current, stored)
        captured.add(
            (level, index, digest)
            for index, digest in enumerate(current)
            if (level, index) in wanted
        )


def _extra_rows(size: int) -> None:
    """Leaves or nodes beyond a tree of ``size`` leaves (inserted, or left by a deleted head).

    The sequencer may have signed a larger head since verification began: rows up to that head
    are its own, so the latest head's size is read again here.
    """
    latest = SignedTreeHead.objects.order_by("-size").values_list("size", flat=True).first()
    size = max(size, latest or 0)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT MIN(leaf_index) FROM ledger_ledgerleaf"
            " WHERE leaf_index >= %s OR leaf_index < 0",
            [size],
        )
        extra = cursor.fetchone()[0]
        if extra is not None:
            raise LedgerInvalid(
                f"a leaf beyond the latest signed head (size {size}): inserted, or its head "
                "was deleted",
                leaf=extra,
            )
        extra = None
        levels = max(size.bit_length(), 1)
        for level in range(levels + 1):  # per level, one indexed range: beyond the tree's edge
            cursor.execute(
                "SELECT MIN(id) FROM ledger_merklenode WHERE id >= %s AND id < %s",
                [merkle.node_id(level, size >> level), merkle.node_id(level + 1, 0)],
            )
            extra = cursor.fetchone()[0]
            if extra is not None:
                break
        if extra is None:
            cursor.execute(
                "SELECT MIN(id) FROM ledger_merklenode WHERE id >= %s OR id < 0",
                [merkle.node_id(levels + 1, 0)],
            )
            extra = cursor.fetchone()[0]
    if extra is not None:
        level, index = merkle.node_key(extra) if extra >= 0 else (0, extra)
        raise LedgerInvalid(
            f"stored node (level {level}, index {index}) is not part of the tree of size {size}",
            leaf=index << level,
        )


def _count(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def _unsequenced(mark: int) -> int:
    """Entries with no leaf; an error if one lies below the sequencer's low-water mark.

    Every leaf has its own entry (unique, and each was found above), so comparing two indexed
    counts on each side of the mark is enough; the anti-join runs only to name a culprit.
    """
    entries_below = _count("SELECT COUNT(*) FROM ledger_ledgerentry WHERE id < %s", [mark])
    leaves_below = _count("SELECT COUNT(*) FROM ledger_ledgerleaf WHERE entry_id < %s", [mark])
    if entries_below != leaves_below:
        below = (
            LedgerEntry.objects.filter(leaf__isnull=True, id__lt=mark)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        raise LedgerInvalid(
            f"entry {below} has no leaf although the sequencer had sequenced every entry below "
            f"{mark}: its leaf was deleted, or the entry was inserted out of band"
        )
    entries = _count("SELECT COUNT(*) FROM ledger_ledgerentry WHERE id >= %s", [mark])
    leaves = _count("SELECT COUNT(*) FROM ledger_ledgerleaf WHERE entry_id >= %s", [mark])
    return entries - leaves


def _check_heads(
    heads: list[TreeHead],
    keys: Mapping[str, bytes],
    retired: Mapping[str, str | None],
    captured: MemoryNodes,
) -> None:
    origin = ledger_origin()
    for head in heads:
        retired_at = retired.get(head.key_id)
        if retired_at is not None and parse_timestamp(head.timestamp) > parse_timestamp(retired_at):
            raise LedgerInvalid(
                f"the head at size {head.size} is dated after its key {head.key_id} was retired"
            )
        if head.origin != origin:
            raise LedgerInvalid(
                f"the head at size {head.size} is for origin {head.origin!r}, not {origin!r}"
            )
        try:
            verify_head(head, keys)
        except HeadError as exc:
            raise LedgerInvalid(str(exc)) from exc
        if head.size and merkle.root(captured, head.size) != head.root:
            raise LedgerInvalid(
                f"the head at size {head.size} signs a root that the stored tree does not have"
            )


def _check_against(
    against: TreeHead, size: int, keys: Mapping[str, bytes], captured: MemoryNodes
) -> None:
    try:
        verify_head(against, keys)
    except HeadError as exc:
        raise LedgerInvalid(f"the saved head: {exc}") from exc
    if against.size > size:
        raise LedgerInvalid(
            f"the saved head has size {against.size:,} but the ledger ends at {size:,}: leaves "
            "were removed",
            leaf=size,
        )
    if against.size and merkle.root(captured, against.size) != against.root:
        raise LedgerInvalid(
            f"the saved head at size {against.size:,} signed a different root: the first "
            f"{against.size:,} leaves are not the ones it signed (history was rewritten)"
        )


def ledger_verify(
    *,
    public_keys: Mapping[str, bytes] | None = None,
    retired: Mapping[str, str | None] | None = None,
    against: TreeHead | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> VerifyReport:
    """Recompute and check everything; raise LedgerInvalid at the first discrepancy."""
    started = time.perf_counter()
    check_schema()
    rows = list(SignedTreeHead.objects.order_by("size"))
    heads = [tree_head(row) for row in rows]
    size = heads[-1].size if heads else 0
    mark = rows[-1].sequenced_below if rows else 0
    keys = public_keys if public_keys is not None else published_public_keys()
    if retired is None:
        retired = published_retirements() if public_keys is None else {}
    sizes = [head.size for head in heads]
    if against is not None and against.size <= size:
        sizes.append(against.size)
    wanted = frozenset(key for s in set(sizes) for key in merkle.frontier_keys(s))
    captured = MemoryNodes()
    tops: list[bytes] = []
    done = 0
    for chunk in _chunk_results(size, wanted, jobs):
        captured.add(chunk.captured)
        if chunk.top is not None:
            tops.append(chunk.top)
        done = chunk.end
        if progress is not None:
            progress(done, size)
    _upper_levels(tops, size, wanted, captured)
    _extra_rows(size)
    _check_heads(heads, keys, retired, captured)
    if against is not None:
        _check_against(against, size, keys, captured)
    unsequenced = _unsequenced(mark)
    if progress is not None and size == 0:
        progress(0, 0)
    return VerifyReport(
        size=size,
        heads=len(heads),
        unsequenced=unsequenced,
        seconds=time.perf_counter() - started,
        against=against.size if against is not None else None,
    )
