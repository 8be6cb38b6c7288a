"""The ledger's Merkle tree, exactly as RFC 6962 / RFC 9162 define it (pure; hashlib only).

Leaf hash ``SHA-256(0x00 || entry)``, interior node ``SHA-256(0x01 || left || right)``, the root
of ``n`` leaves is MTH(D[n]) with the left subtree holding the largest power of two below ``n``.

Storage: only *complete* subtrees are ever stored, keyed by :data:`NodeKey` ``(level, index)``
(the ``2**level`` leaves ``[index << level, (index + 1) << level)``). A complete subtree never
changes once its last leaf is appended, so stored nodes are write-once. The incomplete right edge
of a tree is recomputed on demand from the at most ``log2(n)`` complete subtrees that make it up.

Every function that needs stored hashes first works out the full list of keys and then asks its
:class:`NodeReader` for all of them in ONE ``nodes(keys)`` call, so a database-backed reader makes
one query per root or proof, and the cost is O(log n) whatever the size of the tree.

Consistency with the empty tree: RFC 6962 only defines ``PROOF(m, D[n])`` for ``0 < m <= n``. We
treat ``old_size == 0`` as the trivial case: the empty tree is a prefix of every tree, so its proof
is empty, and verification accepts exactly an empty proof with ``old_root == EMPTY_ROOT``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Protocol

HASH_SIZE = 32
NODE_INDEX_BITS = 56

NodeKey = tuple[int, int]
"""``(level, index)``: the complete subtree of ``2**level`` leaves from ``index << level``."""

_sha256 = hashlib.sha256
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

EMPTY_ROOT: bytes = _sha256(b"").digest()


class ProofError(ValueError):
    """A proof, or a request for one, that does not hold; the message says why."""


def leaf_hash(data: bytes) -> bytes:
    return _sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(_NODE_PREFIX + left + right).digest()


def node_id(level: int, index: int) -> int:
    """Pack a :data:`NodeKey` into one integer, ``(level << 56) | index``, for a database key."""
    if level < 0 or index < 0 or index >> NODE_INDEX_BITS:
        raise ValueError(f"no node ({level}, {index})")
    return (level << NODE_INDEX_BITS) | index


def node_key(packed: int) -> NodeKey:
    """The inverse of :func:`node_id`."""
    return packed >> NODE_INDEX_BITS, packed & ((1 << NODE_INDEX_BITS) - 1)


class NodeReader(Protocol):
    def nodes(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """Hashes for these complete subtrees, in the same order (one batched read)."""
        ...


class MemoryNodes:
    """A :class:`NodeReader` held in a dict, for tests, tools and benchmarks."""

    def __init__(self) -> None:
        self._nodes: dict[NodeKey, bytes] = {}
        self.size = 0

    def add(self, nodes: Iterable[tuple[int, int, bytes]]) -> None:
        store = self._nodes
        for level, index, digest in nodes:
            store[(level, index)] = digest
            if level == 0 and index >= self.size:
                self.size = index + 1

    def nodes(self, keys: Sequence[NodeKey]) -> list[bytes]:
        store = self._nodes
        try:
            return [store[key] for key in keys]
        except KeyError as missing:
            raise KeyError(f"no stored node {missing.args[0]}") from None

    def append_leaves(self, leaf_hashes: Sequence[bytes]) -> None:
        start = self.size
        self.add(new_nodes(self, start, leaf_hashes))
        self.size = start + len(leaf_hashes)

    def __len__(self) -> int:
        return len(self._nodes)


# -- shape of the tree --------------------------------------------------------------------------


def _split(count: int) -> int:
    """The largest power of two strictly below ``count`` (``count >= 2``)."""
    return 1 << ((count - 1).bit_length() - 1)


def _pieces(start: int, end: int, keys: list[NodeKey]) -> None:
    """Append the complete subtrees making up the RFC subtree ``[start, end)``, largest first.

    ``[start, end)`` must be a subtree the RFC recursion can produce: ``start`` a multiple of a
    power of two at least ``end - start``. Its MTH is then the right fold of these pieces.
    """
    remaining = end - start
    position = start
    while remaining:
        level = remaining.bit_length() - 1
        keys.append((level, position >> level))
        position += 1 << level
        remaining -= 1 << level


def _fold(hashes: Sequence[bytes], first: int, count: int) -> bytes:
    """Right fold ``hashes[first:first + count]``: h0 . (h1 . (... . hn))."""
    index = first + count - 1
    result = hashes[index]
    while index > first:
        index -= 1
        result = _sha256(_NODE_PREFIX + hashes[index] + result).digest()
    return result


def _check_subtree(start: int, end: int) -> None:
    if start < 0 or end < start:
        raise ValueError(f"no subtree [{start}, {end})")
    width = end - start
    if start and width and start % (1 << (width - 1).bit_length()):
        raise ValueError(
            f"[{start}, {end}) is not a subtree of the RFC 6962 tree: its start must be a "
            "multiple of a power of two at least its width"
        )


# -- roots ---------------------------------------------------------------------------------------


def subtree_root(reader: NodeReader, start: int, end: int) -> bytes:
    """MTH of leaves ``[start, end)``; ``start`` aligned as in the RFC recursion (0 always is)."""
    _check_subtree(start, end)
    if start == end:
        return EMPTY_ROOT
    keys: list[NodeKey] = []
    _pieces(start, end, keys)
    return _fold(reader.nodes(keys), 0, len(keys))


def root(reader: NodeReader, size: int) -> bytes:
    """MTH of the first ``size`` leaves (``EMPTY_ROOT`` for 0)."""
    return subtree_root(reader, 0, size)


# -- inclusion -----------------------------------------------------------------------------------


def inclusion_proof(reader: NodeReader, index: int, size: int) -> list[bytes]:
    """PATH(index, D[size]) of RFC 6962 section 2.1.1, leaf end first."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    keys: list[NodeKey] = []
    spans: list[tuple[int, int]] = []  # (first key, key count) of each sibling, root end first
    low, high = 0, size
    while high - low > 1:
        half = _split(high - low)
        middle = low + half
        first = len(keys)
        if index < middle:
            _pieces(middle, high, keys)
            high = middle
        else:
            level = half.bit_length() - 1
            keys.append((level, low >> level))
            low = middle
        spans.append((first, len(keys) - first))
    hashes = reader.nodes(keys) if keys else []
    return [_fold(hashes, first, count) for first, count in reversed(spans)]


def verify_inclusion(
    *, leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 section 2.1.3.2: ``leaf`` (a LEAF HASH) is at ``index`` in the tree ``root``."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    _check_hash(leaf, "leaf hash")
    _check_hash(root, "root")
    fn = index
    sn = size - 1
    result = leaf
    for position, element in enumerate(proof):
        _check_hash(element, f"proof element {position}")
        if sn == 0:
            raise ProofError(f"inclusion proof is too long: {len(proof)} elements")
        if fn & 1 or fn == sn:
            result = _sha256(_NODE_PREFIX + element + result).digest()
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            result = _sha256(_NODE_PREFIX + result + element).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"inclusion proof is too short: {len(proof)} elements")
    if result != root:
        raise ProofError(f"inclusion proof for leaf {index} does not lead to the root")


# -- consistency ---------------------------------------------------------------------------------


def consistency_proof(reader: NodeReader, old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, D[new_size]) of RFC 6962 section 2.1.2 (empty when the sizes are equal)."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"no consistency proof from size {old_size} to size {new_size}")
    if old_size == 0 or old_size == new_size:
        return []
    keys: list[NodeKey] = []
    spans: list[tuple[int, int]] = []  # root end first; reversed at the end
    low, high = 0, new_size
    whole = True  # the "b" flag of SUBPROOF: True while old_size is the left edge of [low, high)
    target = old_size
    while target != high - low:
        half = _split(high - low)
        middle = low + half
        first = len(keys)
        if target <= half:
            _pieces(middle, high, keys)
            high = middle
        else:
            level = half.bit_length() - 1
            keys.append((level, low >> level))
            low = middle
            target -= half
            whole = False
        spans.append((first, len(keys) - first))
    if not whole:
        first = len(keys)
        _pieces(low, high, keys)
        spans.append((first, len(keys) - first))
    hashes = reader.nodes(keys)
    return [_fold(hashes, first, count) for first, count in reversed(spans)]


def verify_consistency(
    *, old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """RFC 9162 section 2.1.4.2: the tree ``old_root`` is a prefix of the tree ``new_root``."""
    if not 0 <= old_size <= new_size:
        raise ProofError(f"no consistency proof from size {old_size} to size {new_size}")
    _check_hash(old_root, "old root")
    _check_hash(new_root, "new root")
    for position, element in enumerate(proof):
        _check_hash(element, f"proof element {position}")
    if old_size == 0 or old_size == new_size:
        if proof:
            raise ProofError(f"a consistency proof from size {old_size} must be empty")
        if old_size == 0 and old_root != EMPTY_ROOT:
            raise ProofError("the old root is not the root of the empty tree")
        if old_size == new_size and old_root != new_root:
            raise ProofError(f"two different roots for the same size {old_size}")
        return
    if not proof:
        raise ProofError("consistency proof is empty")
    path: Sequence[bytes] = proof
    if old_size & (old_size - 1) == 0:  # an exact power of two: the old root is the first node
        path = [old_root, *proof]
    fn = old_size - 1
    sn = new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    first_result = second_result = path[0]
    for element in path[1:]:
        if sn == 0:
            raise ProofError(f"consistency proof is too long: {len(proof)} elements")
        if fn & 1 or fn == sn:
            first_result = _sha256(_NODE_PREFIX + element + first_result).digest()
            second_result = _sha256(_NODE_PREFIX + element + second_result).digest()
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            second_result = _sha256(_NODE_PREFIX + second_result + element).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(f"consistency proof is too short: {len(proof)} elements")
    if first_result != old_root:
        raise ProofError(f"consistency proof does not lead to the old root (size {old_size})")
    if second_result != new_root:
        raise ProofError(f"consistency proof does not lead to the new root (size {new_size})")


def _check_hash(value: bytes, what: str) -> None:
    if not isinstance(value, bytes) or len(value) != HASH_SIZE:
        raise ProofError(f"{what} is not a {HASH_SIZE}-byte hash")


# -- appending -----------------------------------------------------------------------------------


def frontier_keys(size: int) -> list[NodeKey]:
    """The complete subtrees on the right edge of a tree of ``size`` leaves, smallest first."""
    keys: list[NodeKey] = []
    level = 0
    remaining = size
    while remaining:
        if remaining & 1:
            keys.append((level, remaining - 1))
        remaining >>= 1
        level += 1
    return keys


def new_nodes(
    reader: NodeReader, start_size: int, leaf_hashes: Sequence[bytes]
) -> list[tuple[int, int, bytes]]:
    """Every complete node (leaves included) created by appending ``leaf_hashes`` at ``start_size``.

    The left siblings it needs are the right-edge subtrees of the existing tree, read from
    ``reader`` in one call. Returned as ``(level, index, hash)``, level by level.
    """
    if start_size < 0:
        raise ValueError(f"no tree of size {start_size}")
    if not leaf_hashes:
        return []
    for position, digest in enumerate(leaf_hashes):
        if not isinstance(digest, bytes) or len(digest) != HASH_SIZE:
            raise ValueError(f"leaf hash {position} is not a {HASH_SIZE}-byte hash")
    edge_keys = frontier_keys(start_size)
    edge = dict(zip(edge_keys, reader.nodes(edge_keys), strict=True)) if edge_keys else {}
    end_size = start_size + len(leaf_hashes)
    created: list[tuple[int, int, bytes]] = [
        (0, start_size + offset, digest) for offset, digest in enumerate(leaf_hashes)
    ]
    level = 0
    current = list(leaf_hashes)  # the new nodes at `level`, starting at index start_size >> level
    low = start_size
    while True:
        high = end_size >> level
        if low & 1:
            current.insert(0, edge[(level, low - 1)])
            low -= 1
        parents = [
            _sha256(_NODE_PREFIX + current[offset] + current[offset + 1]).digest()
            for offset in range(0, (high - low) & ~1, 2)
        ]
        if not parents:
            return created
        level += 1
        low >>= 1
        created.extend((level, low + offset, digest) for offset, digest in enumerate(parents))
        current = parents
