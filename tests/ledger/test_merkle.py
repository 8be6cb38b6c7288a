"""The ledger's Merkle tree against RFC 6962 / RFC 9162: published vectors, a reference, tampering.

The reference below is written straight from the RFC's recursive definitions of MTH, PATH and
PROOF/SUBPROOF, with no stored nodes, so it shares no code and no shortcuts with ``merkle.py``.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeshare.ledger.merkle import (
    EMPTY_ROOT,
    MemoryNodes,
    NodeKey,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    new_nodes,
    node_hash,
    node_id,
    node_key,
    root,
    subtree_root,
    verify_consistency,
    verify_inclusion,
)

# -- published vectors --------------------------------------------------------------------------
# The eight leaves of the Certificate Transparency reference tests, and the expected values from
# transparency-dev/merkle proof/verify_test.go (which carries them over from the CT C++ tests).

RFC_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]
RFC_ROOTS = {  # tree size -> MTH
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
RFC_INCLUSION = [  # (leaf index, tree size, PATH)
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
RFC_CONSISTENCY = [  # (old size, new size, PROOF)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def _hexes(values: Sequence[str]) -> list[bytes]:
    return [bytes.fromhex(value) for value in values]


# -- a reference straight from the RFC text -----------------------------------------------------

BIG = 300
BIG_LEAVES = tuple(f"Testshire ledger entry {n}".encode("ascii") for n in range(BIG))


def _k(n: int) -> int:
    """The largest power of two smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


@functools.cache
def ref_mth(leaves: tuple[bytes, ...], low: int, high: int) -> bytes:
    n = high - low
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[low]).digest()
    k = _k(n)
    return hashlib.sha256(
        b"\x01" + ref_mth(leaves, low, low + k) + ref_mth(leaves, low + k, high)
    ).digest()


def ref_path(leaves: tuple[bytes, ...], m: int, low: int, high: int) -> list[bytes]:
    n = high - low
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*ref_path(leaves, m, low, low + k), ref_mth(leaves, low + k, high)]
    return [*ref_path(leaves, m - k, low + k, high), ref_mth(leaves, low, low + k)]


def ref_subproof(
    leaves: tuple[bytes, ...], m: int, low: int, high: int, whole: bool
) -> list[bytes]:
    n = high - low
    if m == n:
        return [] if whole else [ref_mth(leaves, low, high)]
    k = _k(n)
    if m <= k:
        return [*ref_subproof(leaves, m, low, low + k, whole), ref_mth(leaves, low + k, high)]
    return [
        *ref_subproof(leaves, m - k, low + k, high, False),
        ref_mth(leaves, low, low + k),
    ]


def ref_proof(leaves: tuple[bytes, ...], m: int, n: int) -> list[bytes]:
    return ref_subproof(leaves, m, 0, n, True)


def inclusion_shape(m: int, n: int) -> tuple[str, ...]:
    """Which side each PATH element joins on, leaf end first (all a verifier can know)."""
    if n == 1:
        return ()
    k = _k(n)
    if m < k:
        return (*inclusion_shape(m, k), "right")
    return (*inclusion_shape(m - k, n - k), "left")


def consistency_shape(m: int, n: int, whole: bool = True) -> tuple[str, ...]:
    """The SUBPROOF recursion as a verifier sees it: seed, then each sibling's side."""
    if m == n:
        return ("old root",) if whole else ("seed",)
    k = _k(n)
    if m <= k:
        return (*consistency_shape(m, k, whole), "right")
    return (*consistency_shape(m - k, n - k, False), "left")


# -- stores --------------------------------------------------------------------------------------


class CountingReader:
    """Wraps a reader and records every batched call, to check the one-read-per-proof rule."""

    def __init__(self, inner: MemoryNodes) -> None:
        self.inner = inner
        self.calls: list[list[NodeKey]] = []

    def nodes(self, keys: Sequence[NodeKey]) -> list[bytes]:
        self.calls.append(list(keys))
        return self.inner.nodes(keys)


def _store(leaves: Sequence[bytes], batches: Sequence[int] = ()) -> MemoryNodes:
    store = MemoryNodes()
    hashes = [leaf_hash(data) for data in leaves]
    position = 0
    for batch in batches:
        store.append_leaves(hashes[position : position + batch])
        position += batch
    store.append_leaves(hashes[position:])
    return store


RFC_STORE = _store(RFC_LEAVES, batches=[3, 1, 2])
BIG_STORE = _store(BIG_LEAVES, batches=[1, 2, 5, 17, 100])


# -- hashing and the published vectors ------------------------------------------------------------


def test_leaf_and_node_hashes_use_the_rfc_prefixes() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    assert (
        node_hash(b"L" * 32, b"R" * 32) == hashlib.sha256(b"\x01" + b"L" * 32 + b"R" * 32).digest()
    )
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_the_empty_tree_has_the_empty_root_and_reads_nothing() -> None:
    reader = CountingReader(MemoryNodes())
    assert root(reader, 0) == EMPTY_ROOT
    assert reader.calls == []


@pytest.mark.parametrize("size", sorted(RFC_ROOTS))
def test_roots_match_the_published_rfc_6962_vectors(size: int) -> None:
    assert root(RFC_STORE, size).hex() == RFC_ROOTS[size]


@pytest.mark.parametrize(("index", "size", "expected"), RFC_INCLUSION)
def test_inclusion_proofs_match_the_published_vectors(
    index: int, size: int, expected: list[str]
) -> None:
    proof = inclusion_proof(RFC_STORE, index, size)
    assert proof == _hexes(expected)
    verify_inclusion(
        leaf=leaf_hash(RFC_LEAVES[index]),
        index=index,
        size=size,
        proof=proof,
        root=bytes.fromhex(RFC_ROOTS[size]),
    )


@pytest.mark.parametrize(("old_size", "new_size", "expected"), RFC_CONSISTENCY)
def test_consistency_proofs_match_the_published_vectors(
    old_size: int, new_size: int, expected: list[str]
) -> None:
    proof = consistency_proof(RFC_STORE, old_size, new_size)
    assert proof == _hexes(expected)
    verify_consistency(
        old_size=old_size,
        new_size=new_size,
        old_root=bytes.fromhex(RFC_ROOTS[old_size]),
        new_root=bytes.fromhex(RFC_ROOTS[new_size]),
        proof=proof,
    )


def test_a_one_leaf_tree_has_its_leaf_hash_as_root_and_an_empty_proof() -> None:
    store = _store([b"only"])
    assert root(store, 1) == leaf_hash(b"only")
    assert inclusion_proof(store, 0, 1) == []
    verify_inclusion(leaf=leaf_hash(b"only"), index=0, size=1, proof=[], root=leaf_hash(b"only"))
    with pytest.raises(ProofError):
        verify_inclusion(leaf=leaf_hash(b"only"), index=0, size=1, proof=[], root=SOME_HASH)


# -- edge cases of the interface ------------------------------------------------------------------


@pytest.mark.parametrize(("index", "size"), [(0, 0), (8, 8), (9, 8), (-1, 8), (3, 2)])
def test_an_index_outside_the_tree_has_no_inclusion_proof(index: int, size: int) -> None:
    with pytest.raises(ProofError, match="not in a tree"):
        inclusion_proof(RFC_STORE, index, size)
    with pytest.raises(ProofError, match="not in a tree"):
        verify_inclusion(leaf=SOME_HASH, index=index, size=size, proof=[], root=SOME_HASH)


def test_a_consistency_proof_between_equal_sizes_is_empty() -> None:
    reader = CountingReader(RFC_STORE)
    assert consistency_proof(reader, 5, 5) == []
    assert reader.calls == []
    same = bytes.fromhex(RFC_ROOTS[5])
    verify_consistency(old_size=5, new_size=5, old_root=same, new_root=same, proof=[])
    with pytest.raises(ProofError, match="different roots"):
        verify_consistency(old_size=5, new_size=5, old_root=same, new_root=SOME_HASH, proof=[])
    with pytest.raises(ProofError, match="must be empty"):
        verify_consistency(old_size=5, new_size=5, old_root=same, new_root=same, proof=[same])


def test_the_empty_tree_is_consistent_with_every_tree_by_an_empty_proof() -> None:
    # RFC 6962 defines PROOF(m, D[n]) for 0 < m only; we define m = 0 as the trivial case.
    assert consistency_proof(RFC_STORE, 0, 8) == []
    verify_consistency(
        old_size=0, new_size=8, old_root=EMPTY_ROOT, new_root=bytes.fromhex(RFC_ROOTS[8]), proof=[]
    )
    with pytest.raises(ProofError, match="empty tree"):
        verify_consistency(old_size=0, new_size=8, old_root=SOME_HASH, new_root=SOME_HASH, proof=[])
    with pytest.raises(ProofError, match="must be empty"):
        verify_consistency(
            old_size=0, new_size=8, old_root=EMPTY_ROOT, new_root=SOME_HASH, proof=[EMPTY_ROOT]
        )


def test_two_empty_trees_are_consistent_only_with_the_empty_root() -> None:
    verify_consistency(old_size=0, new_size=0, old_root=EMPTY_ROOT, new_root=EMPTY_ROOT, proof=[])
    with pytest.raises(ProofError, match="different roots"):
        verify_consistency(
            old_size=0, new_size=0, old_root=EMPTY_ROOT, new_root=SOME_HASH, proof=[]
        )


def test_a_proof_alone_cannot_tell_apart_sizes_with_the_same_path() -> None:
    # Why tree heads are signed: PATH(0, D[3]) and PATH(0, D[4]) have the same shape, so the
    # size-3 proof and root also "verify" when the size is misstated as 4. Only the signature on
    # the head, which covers the size, rules that out.
    assert inclusion_shape(0, 3) == inclusion_shape(0, 4)
    verify_inclusion(
        leaf=leaf_hash(RFC_LEAVES[0]),
        index=0,
        size=4,
        proof=inclusion_proof(RFC_STORE, 0, 3),
        root=bytes.fromhex(RFC_ROOTS[3]),
    )


@pytest.mark.parametrize(("old_size", "new_size"), [(2, 1), (8, 0), (-1, 3)])
def test_a_consistency_proof_cannot_go_back_in_time(old_size: int, new_size: int) -> None:
    with pytest.raises(ProofError, match="no consistency proof"):
        consistency_proof(RFC_STORE, old_size, new_size)
    with pytest.raises(ProofError, match="no consistency proof"):
        verify_consistency(
            old_size=old_size, new_size=new_size, old_root=SOME_HASH, new_root=SOME_HASH, proof=[]
        )


def test_hashes_of_the_wrong_length_are_rejected_not_hashed() -> None:
    good = inclusion_proof(RFC_STORE, 5, 8)
    leaf = leaf_hash(RFC_LEAVES[5])
    top = bytes.fromhex(RFC_ROOTS[8])
    for bad in (b"", good[0][:31], good[0] + b"\x00"):
        with pytest.raises(ProofError, match="32-byte"):
            verify_inclusion(leaf=leaf, index=5, size=8, proof=[bad, *good[1:]], root=top)
        with pytest.raises(ProofError, match="32-byte"):
            verify_inclusion(leaf=bad, index=5, size=8, proof=good, root=top)
        with pytest.raises(ProofError, match="32-byte"):
            verify_inclusion(leaf=leaf, index=5, size=8, proof=good, root=bad)


def test_subtree_root_covers_aligned_ranges_and_refuses_others() -> None:
    leaves = tuple(RFC_LEAVES)
    for start, end in [(0, 8), (0, 5), (4, 7), (4, 8), (6, 8), (2, 3), (5, 5)]:
        assert subtree_root(RFC_STORE, start, end) == ref_mth(leaves, start, end)
    for start, end in [(1, 4), (2, 5), (3, 5), (6, 9), (5, 3), (-1, 2)]:
        with pytest.raises(ValueError, match="subtree"):
            subtree_root(RFC_STORE, start, end)


def test_node_ids_pack_level_and_index_into_one_integer() -> None:
    assert node_id(0, 0) == 0
    assert node_id(3, 5) == (3 << 56) | 5
    assert node_key(node_id(17, 123456789)) == (17, 123456789)
    for level, index in [(-1, 0), (0, -1), (0, 1 << 56)]:
        with pytest.raises(ValueError, match="no node"):
            node_id(level, index)


def test_a_missing_node_is_a_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match=r"\(0, 8\)"):
        root(RFC_STORE, 9)


def test_new_nodes_refuses_a_leaf_hash_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="leaf hash 1"):
        new_nodes(MemoryNodes(), 0, [SOME_HASH, b"short"])


def test_appending_nothing_creates_nothing_and_reads_nothing() -> None:
    reader = CountingReader(RFC_STORE)
    assert new_nodes(reader, 8, []) == []
    assert reader.calls == []


# -- one batched read, O(log n) keys --------------------------------------------------------------


def _log_bound(size: int) -> int:
    return 2 * max(size, 1).bit_length() + 2


@given(size=st.integers(1, BIG), data=st.data())
@settings(max_examples=150, deadline=None)
def test_every_root_and_proof_reads_its_nodes_in_one_call(size: int, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, size - 1))
    old_size = data.draw(st.integers(1, size))
    for work in (
        lambda reader: root(reader, size),
        lambda reader: inclusion_proof(reader, index, size),
        lambda reader: consistency_proof(reader, old_size, size),
        lambda reader: new_nodes(reader, size, [SOME_HASH] * 3),
    ):
        reader = CountingReader(BIG_STORE)
        work(reader)
        assert len(reader.calls) <= 1
        assert all(len(keys) <= _log_bound(size) for keys in reader.calls)


def test_a_million_leaf_tree_answers_with_one_read_of_few_nodes() -> None:
    # A stand-in store that makes up a hash for any key: only the key counts matter here.
    class AnyNodes:
        def __init__(self) -> None:
            self.calls: list[int] = []

        def nodes(self, keys: Sequence[NodeKey]) -> list[bytes]:
            self.calls.append(len(keys))
            return [hashlib.sha256(repr(key).encode()).digest() for key in keys]

    size = 1_000_003
    reader = AnyNodes()
    root(reader, size)
    inclusion_proof(reader, 123_457, size)
    consistency_proof(reader, 765_431, size)
    assert len(reader.calls) == 3
    assert max(reader.calls) <= _log_bound(size)


# -- the reference, at random sizes ---------------------------------------------------------------


@given(size=st.integers(1, BIG), data=st.data())
@settings(max_examples=200, deadline=None)
def test_roots_and_proofs_equal_the_rfc_reference_and_verify(
    size: int, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, size - 1), label="index")
    old_size = data.draw(st.integers(1, size), label="old_size")
    new_root = root(BIG_STORE, size)
    assert new_root == ref_mth(BIG_LEAVES, 0, size)

    path = inclusion_proof(BIG_STORE, index, size)
    assert path == ref_path(BIG_LEAVES, index, 0, size)
    verify_inclusion(
        leaf=leaf_hash(BIG_LEAVES[index]), index=index, size=size, proof=path, root=new_root
    )

    proof = consistency_proof(BIG_STORE, old_size, size)
    assert proof == ref_proof(BIG_LEAVES, old_size, size)
    verify_consistency(
        old_size=old_size,
        new_size=size,
        old_root=ref_mth(BIG_LEAVES, 0, old_size),
        new_root=new_root,
        proof=proof,
    )


@given(sizes=st.lists(st.integers(0, 25), min_size=1, max_size=12))
@settings(max_examples=150, deadline=None)
def test_appending_in_batches_creates_the_same_nodes_as_one_batch(sizes: list[int]) -> None:
    total = sum(sizes)
    hashes = [leaf_hash(data) for data in BIG_LEAVES[:total]]
    at_once = new_nodes(MemoryNodes(), 0, hashes)

    store = MemoryNodes()
    in_batches: list[tuple[int, int, bytes]] = []
    position = 0
    for batch in sizes:
        reader = CountingReader(store)
        created = new_nodes(reader, position, hashes[position : position + batch])
        assert len(reader.calls) <= 1
        store.add(created)
        in_batches.extend(created)
        position += batch
    store.size = position

    assert sorted(in_batches) == sorted(at_once)
    assert len({(level, index) for level, index, _ in in_batches}) == len(in_batches)
    # Every complete subtree and nothing else: 2n - popcount(n) nodes.
    assert len(in_batches) == 2 * total - total.bit_count()
    for level, index, digest in in_batches:
        assert digest == ref_mth(BIG_LEAVES, index << level, (index + 1) << level)


def test_a_bigger_store_answers_for_every_smaller_size() -> None:
    # Stored nodes are write-once: the tree at size n is read from the same nodes at any later size.
    for size in range(1, 70):
        assert root(BIG_STORE, size) == ref_mth(BIG_LEAVES, 0, size)


# -- tampering: every corrupted proof is rejected -------------------------------------------------


def _inclusion_rejected(leaf: bytes, index: int, size: int, proof: list[bytes], top: bytes) -> bool:
    try:
        verify_inclusion(leaf=leaf, index=index, size=size, proof=proof, root=top)
    except ProofError:
        return True
    return False


def _consistency_rejected(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> bool:
    try:
        verify_consistency(
            old_size=old_size, new_size=new_size, old_root=old_root, new_root=new_root, proof=proof
        )
    except ProofError:
        return True
    return False


def _element_corruptions(proof: list[bytes], extra: Sequence[bytes]) -> list[list[bytes]]:
    """Proofs with one element missing, added, duplicated, reordered or of the wrong length."""
    wrong: list[list[bytes]] = []
    for position in range(len(proof)):
        wrong.append(proof[:position] + proof[position + 1 :])  # missing
        wrong.append([*proof[:position], proof[position], *proof[position:]])  # duplicated
        wrong.append([*proof[:position], proof[position][:31], *proof[position + 1 :]])
        if position + 1 < len(proof) and proof[position] != proof[position + 1]:
            swapped = list(proof)
            swapped[position], swapped[position + 1] = swapped[position + 1], swapped[position]
            wrong.append(swapped)
    for garbage in (*extra, SOME_HASH, EMPTY_ROOT, b""):
        for position in range(len(proof) + 1):
            wrong.append([*proof[:position], garbage, *proof[position:]])  # added
    return wrong


def _flipped(proof: list[bytes], position: int, bit: int) -> list[bytes]:
    element = bytearray(proof[position])
    element[bit // 8] ^= 1 << (bit % 8)
    return [*proof[:position], bytes(element), *proof[position + 1 :]]


def _check_inclusion_tampering(
    store: MemoryNodes, leaves: Sequence[bytes], index: int, size: int
) -> None:
    leaf = leaf_hash(leaves[index])
    top = root(store, size)
    proof = inclusion_proof(store, index, size)
    assert not _inclusion_rejected(leaf, index, size, proof, top)  # no false positive

    # The proof itself, element by element.
    for wrong in _element_corruptions(proof, extra=[leaf, top]):
        assert _inclusion_rejected(leaf, index, size, wrong, top), wrong
    # The statement: another leaf, another root.
    for other in {0, index - 1, index + 1, size - 1} - {index}:
        if 0 <= other < size:
            assert _inclusion_rejected(leaf_hash(leaves[other]), index, size, proof, top)
            assert _inclusion_rejected(leaf, other, size, inclusion_proof(store, other, size), top)
    other_roots = {EMPTY_ROOT, SOME_HASH, leaf, root(store, size - 1) if size > 1 else SOME_HASH}
    for bad_root in other_roots - {top}:
        assert _inclusion_rejected(leaf, index, size, proof, bad_root)
    # A wrong index always changes the path a verifier walks, so it is always rejected. A wrong
    # size is rejected whenever it changes that path; when it does not (index 0 of 3 leaves or
    # of 4 has the same two-step path), nothing in the proof can tell the sizes apart, and the
    # size is bound by the signature on the tree head instead (tests/ledger/test_verify_proof_tool).
    for wrong_index in (index - 1, index + 1, index ^ 2):
        if 0 <= wrong_index < size:
            assert inclusion_shape(wrong_index, size) != inclusion_shape(index, size)
        assert _inclusion_rejected(leaf, wrong_index, size, proof, top)
    for wrong_size in (size - 1, size + 1, size * 2, size // 2):
        same_path = index < wrong_size and inclusion_shape(index, wrong_size) == inclusion_shape(
            index, size
        )
        assert _inclusion_rejected(leaf, index, wrong_size, proof, top) is not same_path


def _check_consistency_tampering(store: MemoryNodes, old_size: int, new_size: int) -> None:
    old_root = root(store, old_size)
    new_root = root(store, new_size)
    proof = consistency_proof(store, old_size, new_size)
    assert not _consistency_rejected(old_size, new_size, old_root, new_root, proof)
    if old_size == new_size:
        return

    for wrong in _element_corruptions(proof, extra=[old_root, new_root]):
        assert _consistency_rejected(old_size, new_size, old_root, new_root, wrong), wrong
    assert _consistency_rejected(old_size, new_size, old_root, new_root, [])
    for bad in (EMPTY_ROOT, SOME_HASH):
        assert _consistency_rejected(old_size, new_size, bad, new_root, proof)
        assert _consistency_rejected(old_size, new_size, old_root, bad, proof)
    assert _consistency_rejected(old_size, new_size, new_root, old_root, proof)  # swapped roots
    assert _consistency_rejected(new_size, old_size, new_root, old_root, proof)  # swapped sizes
    # As with inclusion: a wrong size is caught whenever it changes the shape of the proof.
    for wrong_old, wrong_new in [
        (old_size - 1, new_size),
        (old_size + 1, new_size),
        (old_size ^ 2, new_size),
        (old_size, new_size - 1),
        (old_size, new_size + 1),
        (old_size, new_size * 2),
        (old_size, new_size // 2),
    ]:
        same_shape = 0 < wrong_old < wrong_new and consistency_shape(
            wrong_old, wrong_new
        ) == consistency_shape(old_size, new_size)
        rejected = _consistency_rejected(wrong_old, wrong_new, old_root, new_root, proof)
        assert rejected is not same_shape, (wrong_old, wrong_new)


@pytest.mark.parametrize(("index", "size"), [(i, n) for n in range(1, 9) for i in range(n)])
def test_every_corruption_of_an_rfc_inclusion_proof_is_rejected(index: int, size: int) -> None:
    _check_inclusion_tampering(RFC_STORE, RFC_LEAVES, index, size)


@pytest.mark.parametrize(
    ("old_size", "new_size"), [(m, n) for n in range(1, 9) for m in range(1, n + 1)]
)
def test_every_corruption_of_an_rfc_consistency_proof_is_rejected(
    old_size: int, new_size: int
) -> None:
    _check_consistency_tampering(RFC_STORE, old_size, new_size)


def test_flipping_any_single_bit_of_any_element_is_rejected() -> None:
    index, size = 5, 7
    leaf = leaf_hash(RFC_LEAVES[index])
    top = root(RFC_STORE, size)
    path = inclusion_proof(RFC_STORE, index, size)
    old_root = root(RFC_STORE, 3)
    proof = consistency_proof(RFC_STORE, 3, size)
    for position in range(len(path)):
        for bit in range(256):
            assert _inclusion_rejected(leaf, index, size, _flipped(path, position, bit), top)
    for position in range(len(proof)):
        for bit in range(256):
            wrong = _flipped(proof, position, bit)
            assert _consistency_rejected(3, size, old_root, top, wrong)
    for bit in range(256):
        assert _inclusion_rejected(_flipped([leaf], 0, bit)[0], index, size, path, top)
        assert _inclusion_rejected(leaf, index, size, path, _flipped([top], 0, bit)[0])


@given(size=st.integers(1, BIG), data=st.data())
@settings(max_examples=60, deadline=None)
def test_corrupted_inclusion_proofs_are_rejected_at_random_sizes(
    size: int, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, size - 1))
    _check_inclusion_tampering(BIG_STORE, BIG_LEAVES, index, size)
    path = inclusion_proof(BIG_STORE, index, size)
    if path:
        position = data.draw(st.integers(0, len(path) - 1))
        bit = data.draw(st.integers(0, 255))
        assert _inclusion_rejected(
            leaf_hash(BIG_LEAVES[index]),
            index,
            size,
            _flipped(path, position, bit),
            root(BIG_STORE, size),
        )


@given(size=st.integers(2, BIG), data=st.data())
@settings(max_examples=60, deadline=None)
def test_corrupted_consistency_proofs_are_rejected_at_random_sizes(
    size: int, data: st.DataObject
) -> None:
    old_size = data.draw(st.integers(1, size - 1))
    _check_consistency_tampering(BIG_STORE, old_size, size)
    proof = consistency_proof(BIG_STORE, old_size, size)
    position = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    assert _consistency_rejected(
        old_size,
        size,
        root(BIG_STORE, old_size),
        root(BIG_STORE, size),
        _flipped(proof, position, bit),
    )
