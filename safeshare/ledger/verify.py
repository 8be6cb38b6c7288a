"""``ledger_verify``: recompute the whole tree from the entries and check everything stored.

Entries -> canonical bytes -> leaf hashes (must equal the stored leaves, in leaf order, and the
stored level-0 nodes) -> every stored node, level by level -> the root at every signed head's size
(and each head's signature with the published key) -> optionally a head saved elsewhere (a
witness's, an earlier download). The first discrepancy stops it with :class:`LedgerInvalid`,
whose message starts with the first bad leaf index (``leaf 1234: ...``) when there is one.

Speed: the leaves are read in chunks of ``2**CHUNK_LEVEL`` by leaf-index range, with the entry's
canonical bytes built by the database itself (:func:`fast_encoding_sql`, proven equal to
``encoding.canonical_bytes`` by a Hypothesis test and, row by row, by falling back to the Python
encoder whenever its result does not match); the nodes of each chunk come in one range query
per level. Python then only hashes and compares lists. With ``jobs > 1`` the chunks are shared
between worker processes (each with its own database connection), so both cores hash.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections

from safeshare.ledger import merkle
from safeshare.ledger.merkle import MemoryNodes, NodeKey
from safeshare.ledger.models import LedgerEntry, SignedTreeHead
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


# --- The canonical bytes, fast -------------------------------------------------------------------
#
# The database hands over each entry's columns as text, joined, and a whole chunk of entries as
# ONE string (rows and columns separated by characters canonical JSON never holds unescaped), so
# Python makes no object per column; Python then spells the JSON with one f-string per entry and
# a cache of UUID spellings. Whatever the fast path cannot spell exactly it leaves to the Python
# encoder (``encoding.canonical_bytes``), as it does any entry whose fast spelling does not match
# the stored leaf hash.

_ROW = "\x1e"  # between rows
_COLUMNS = {
    # SQLite stores UUIDs as 32 hex digits and timestamps as text; PostgreSQL gives UUIDs with
    # hyphens, and a UTC timestamp whose fraction of a second loses its trailing zeros.
    "sqlite": (
        "e.entry_id",
        "e.occurred_at",
        "e.event_code",
        "e.actor_id",
        "e.actor_agency_id",
        "e.actor_roles",
        "e.subject_person_id",
        "e.subject_case_id",
        "e.object_type",
        "e.object_id",
        "e.purpose",
        "e.details",
    ),
    "postgresql": (
        "e.entry_id::text",
        "(e.occurred_at AT TIME ZONE 'UTC')::text",
        "e.event_code::text",
        "e.actor_id::text",
        "e.actor_agency_id::text",
        "e.actor_roles",
        "e.subject_person_id::text",
        "e.subject_case_id::text",
        "e.object_type",
        "e.object_id",
        "e.purpose",
        "e.details",
    ),
}


def _fields_sql() -> str:
    """An expression (alias ``e``) joining the entry's columns as text, NULL as empty."""
    if connection.vendor == "postgresql":
        return " || chr(31) || ".join(f"coalesce({c}, '')" for c in _COLUMNS["postgresql"])
    return " || char(31) || ".join(f"ifnull({c}, '')" for c in _COLUMNS["sqlite"])


def _plain(text: str) -> bool:
    return text.isascii() and text.isprintable() and '"' not in text and "\\" not in text


# The fast path spells a row only when each column holds exactly the text its database stores
# for a value the Python encoder writes the same way (UUIDs as lower-case hex, a decimal event
# code, a plain timestamp). Anything else, such as an edited row whose text only happens to spell
# the same bytes (details spilling into the event column), is left to the Python encoder.
_UUID = r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_TEXT = r"([^\x1f]*)"
_ROW_FIELDS = re.compile(
    rf"({_UUID})\x1f"
    r"([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?)\x1f"
    r"(0|[1-9][0-9]*)\x1f"
    rf"((?:{_UUID})?)\x1f((?:{_UUID})?)\x1f{_TEXT}\x1f((?:{_UUID})?)\x1f((?:{_UUID})?)\x1f"
    rf"{_TEXT}\x1f{_TEXT}\x1f{_TEXT}\x1f{_TEXT}"
)


def _quoted_uuid(value: str) -> str:
    """A stored UUID as canonical JSON (SQLite's 32 hex digits, PostgreSQL's 36); "" if neither."""
    if len(value) == 32:
        return f'"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"'
    if len(value) == 36:
        return f'"{value}"'
    return ""


def canonical_rows(rows: Sequence[str]) -> list[bytes | None]:
    """Canonical bytes from each row's joined columns (None: leave that entry to Python)."""
    spelled: dict[str, str] = {"": "null"}
    known = spelled.get

    def spell(value: str) -> str:
        text = _quoted_uuid(value)
        if text:
            spelled[value] = text
        return text

    out: list[bytes | None] = []
    append = out.append
    match_row = _ROW_FIELDS.fullmatch
    for row in rows:
        fields = match_row(row)
        if fields is None:
            append(None)
            continue
        eid, at, event, actor, agency, roles, person, case, otype, oid, purpose, details = (
            fields.groups()
        )
        i = _quoted_uuid(eid)  # unique to each entry: not worth caching
        a = known(actor) or spell(actor)
        g = known(agency) or spell(agency)
        p = known(person) or spell(person)
        c = known(case) or spell(case)
        if not (i and a and g and p and c and _plain(roles + otype + oid + purpose)):
            append(None)
            continue
        if len(at) == 26:
            moment = f"{at[:10]}T{at[11:]}Z"
        elif len(at) == 19:
            moment = f"{at[:10]}T{at[11:]}.000000Z"
        elif 21 <= len(at) < 26 and at[19] == ".":
            moment = f"{at[:10]}T{at[11:]}{'0' * (26 - len(at))}Z"
        else:
            append(None)
            continue
        append(
            f'{{"actor":{a},"agency":{g},"at":"{moment}","case":{c},'
            f'"details":{details or "{}"},"event":{event},"id":{i},'
            f'"object_id":"{oid}","object_type":"{otype}","person":{p},'
            f'"purpose":"{purpose}","roles":"{roles}","v":1}}'.encode()
        )
    return out


def fast_canonical_bytes(entry_ids: Sequence[int]) -> dict[int, bytes | None]:
    """The fast path's canonical bytes of these entries (for tests and the benchmark)."""
    if not entry_ids:
        return {}
    placeholders = ",".join(["%s"] * len(entry_ids))
    sql = (
        f"SELECT e.id, {_fields_sql()} FROM ledger_ledgerentry e"  # noqa: S608
        f" WHERE e.id IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(entry_ids))
        rows = cursor.fetchall()
    spelled = canonical_rows([text for _pk, text in rows])
    return {pk: data for (pk, _text), data in zip(rows, spelled, strict=True)}


def reference_leaf_hash(entry_pk: int) -> bytes:
    """The leaf hash from the Python encoder (raises if the entry cannot be encoded)."""
    entry = LedgerEntry.objects.get(pk=entry_pk)
    return merkle.leaf_hash(entry.canonical_bytes())


# --- One chunk of leaves -----------------------------------------------------------------------


@dataclass
class ChunkResult:
    start: int
    end: int
    top: bytes | None  # the chunk's root when the chunk is complete
    captured: list[tuple[int, int, bytes]] = field(default_factory=list)


@dataclass
class ChunkData:
    """A chunk as read: (count, lowest, highest) and one string/blob for leaves and each level."""

    start: int
    end: int
    leaves: tuple[int, int | None, int | None]
    payload: str | None
    leaf_hashes: bytes
    levels: list[tuple[int, int | None, int | None, bytes]]


def _leaves_sql() -> str:
    where = "l.leaf_index >= %s AND l.leaf_index < %s"
    join = "ledger_ledgerleaf l LEFT JOIN ledger_ledgerentry e ON e.id = l.entry_id"
    if connection.vendor == "postgresql":
        return (
            "SELECT count(*), min(l.leaf_index), max(l.leaf_index),"  # noqa: S608
            f" string_agg({_fields_sql()}, chr(30) ORDER BY l.leaf_index),"
            " string_agg(l.leaf_hash, ''::bytea ORDER BY l.leaf_index)"
            f" FROM {join} WHERE {where}"
        )
    return (
        "SELECT count(*), min(leaf_index), max(leaf_index), group_concat(fields, char(30)),"  # noqa: S608
        " CAST(group_concat(leaf_hash, '') AS BLOB) FROM (SELECT l.leaf_index, l.leaf_hash,"
        f" {_fields_sql()} AS fields FROM {join} WHERE {where} ORDER BY l.leaf_index)"
    )


def _nodes_sql() -> str:
    if connection.vendor == "postgresql":
        return (
            "SELECT count(*), min(id), max(id), string_agg(hash, ''::bytea ORDER BY id)"
            " FROM ledger_merklenode WHERE id >= %s AND id < %s"
        )
    return (
        "SELECT count(*), min(id), max(id), CAST(group_concat(hash, '') AS BLOB) FROM"
        " (SELECT id, hash FROM ledger_merklenode WHERE id >= %s AND id < %s ORDER BY id)"
    )


def fetch_chunk(start: int, end: int) -> ChunkData:
    """Leaves ``[start, end)`` (``start`` aligned) and every complete node inside them."""
    with connection.cursor() as cursor:
        cursor.execute(_leaves_sql(), [start, end])
        count, low, high, payload, leaf_hashes = cursor.fetchone()
        levels = []
        nodes_sql = _nodes_sql()
        level, width = 0, end - start
        while width >= 1 and level <= CHUNK_LEVEL:
            first = merkle.node_id(level, start >> level)
            cursor.execute(nodes_sql, [first, first + width])
            found, lowest, highest, hashes = cursor.fetchone()
            levels.append((found, lowest, highest, bytes(hashes or b"")))
            level, width = level + 1, width // 2
    return ChunkData(
        start=start,
        end=end,
        leaves=(count, low, high),
        payload=payload,
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


def _entry_of_leaf(leaf: int) -> tuple[int, int | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.entry_id, e.id FROM ledger_ledgerleaf l"
            " LEFT JOIN ledger_ledgerentry e ON e.id = l.entry_id WHERE l.leaf_index = %s",
            [leaf],
        )
        entry_id, present = cursor.fetchone()
    return entry_id, present


def _datas(chunk: ChunkData) -> list[bytes | None]:
    """The fast canonical bytes of each leaf's entry; None where Python must decide."""
    count = chunk.end - chunk.start
    rows = chunk.payload.split(_ROW) if chunk.payload else []
    return canonical_rows(rows) if len(rows) == count else [None] * count


def _leaf_hashes(chunk: ChunkData) -> list[bytes]:
    datas = _datas(chunk)
    if None in datas:
        computed = [_sha256(_LEAF + data).digest() if data is not None else b"" for data in datas]
    else:
        computed = [_sha256(_LEAF + data).digest() for data in datas]  # type: ignore[operator]
    stored = chunk.leaf_hashes
    if b"".join(computed) == stored:
        return computed
    # Settle each difference with the Python encoder, row by row.
    for position, mine in enumerate(computed):
        theirs = stored[position * HASH : (position + 1) * HASH]
        if mine == theirs:
            continue
        leaf = chunk.start + position
        entry_id, present = _entry_of_leaf(leaf)
        if present is None:
            raise LedgerInvalid(f"its entry (id {entry_id}) is missing", leaf=leaf)
        try:
            computed[position] = reference_leaf_hash(present)
        except Exception as exc:  # an entry the encoder cannot read is a damaged entry
            raise LedgerInvalid(f"entry {present} cannot be encoded ({exc})", leaf=leaf) from exc
        if computed[position] != theirs:
            raise LedgerInvalid(
                f"entry {present} does not match the stored leaf hash (the entry was changed, "
                "or the leaf was altered or points at another entry)",
                leaf=leaf,
            )
    return computed


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
        _check_level(level, first, level_hashes, stored)
        if wanted:
            result.captured.extend(
                (level, first + offset, digest)
                for offset, digest in enumerate(level_hashes)
                if (level, first + offset) in wanted
            )
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
            cursor.execute(_nodes_sql(), [base, base + len(current)])
            found, lowest, highest, hashes = cursor.fetchone()
        _check_level(level, 0, current, (found, lowest, highest, bytes(hashes or b"")))
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
