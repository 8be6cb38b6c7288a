"""The standalone proof checker in tools/: Ed25519 from RFC 8032, Merkle proofs, whole bundles.

The tool must work on a machine with nothing but Python, so it is loaded here from its file (it
is a script, not part of the ``safeshare`` package) and also run as a separate process, from a
copy in an empty folder, in isolated mode.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st

from safeshare.ledger import merkle
from safeshare.ledger.encoding import EntryFields, canonical_bytes

TOOL_PATH = Path(__file__).resolve().parents[2] / "tools" / "ledger_verify_proof.py"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ledger_verify_proof", TOOL_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()

# -- Ed25519: RFC 8032 section 7.1 -----------------------------------------------------------------

RFC8032_VECTORS = [  # (name, secret key, public key, message, signature)
    (
        "TEST 1",
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "TEST 2",
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "TEST 3",
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
        "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
    (
        "TEST SHA(abc)",
        "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
        "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
        hashlib.sha512(b"abc").hexdigest(),
        "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
        "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704",
    ),
]
L = 2**252 + 27742317777372353535851937790883648493
P = 2**255 - 19


def _raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


@pytest.mark.parametrize(("name", "secret", "public", "message", "signature"), RFC8032_VECTORS)
def test_the_rfc_8032_vectors_verify(
    name: str, secret: str, public: str, message: str, signature: str
) -> None:
    # The transcription is right: the library derives the same key and the same signature.
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(secret))
    assert _raw_public(key).hex() == public
    assert key.sign(bytes.fromhex(message)).hex() == signature
    assert tool.ed25519_verify(
        bytes.fromhex(public), bytes.fromhex(message), bytes.fromhex(signature)
    )


@pytest.mark.parametrize(("name", "secret", "public", "message", "signature"), RFC8032_VECTORS)
def test_a_tampered_rfc_8032_vector_fails(
    name: str, secret: str, public: str, message: str, signature: str
) -> None:
    key, text, sig = bytes.fromhex(public), bytes.fromhex(message), bytes.fromhex(signature)
    assert not tool.ed25519_verify(key, text + b"\x00", sig)
    for position in range(64):
        wrong = bytearray(sig)
        wrong[position] ^= 1 << (position % 8)
        assert not tool.ed25519_verify(key, text, bytes(wrong)), position
    other = RFC8032_VECTORS[
        (RFC8032_VECTORS.index((name, secret, public, message, signature)) + 1) % 4
    ]
    assert not tool.ed25519_verify(bytes.fromhex(other[2]), text, sig)


@given(message=st.binary(max_size=300), seed=st.binary(min_size=32, max_size=32))
@settings(max_examples=25, deadline=None)
def test_signatures_made_by_the_cryptography_library_verify(message: bytes, seed: bytes) -> None:
    key = Ed25519PrivateKey.from_private_bytes(seed)
    public = _raw_public(key)
    signature = key.sign(message)
    assert tool.ed25519_verify(public, message, signature)
    assert not tool.ed25519_verify(public, message + b"!", signature)
    assert not tool.ed25519_verify(_raw_public(Ed25519PrivateKey.generate()), message, signature)
    flipped = bytearray(signature)
    flipped[len(message) % 64] ^= 0x10
    assert not tool.ed25519_verify(public, message, bytes(flipped))


def test_a_signature_whose_s_is_not_reduced_is_rejected() -> None:
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    signature = key.sign(b"Testshire")
    s = int.from_bytes(signature[32:], "little")
    unreduced = signature[:32] + (s + L).to_bytes(32, "little")  # the same S modulo L
    assert tool.ed25519_verify(_raw_public(key), b"Testshire", signature)
    assert not tool.ed25519_verify(_raw_public(key), b"Testshire", unreduced)


def test_non_canonical_point_encodings_are_rejected() -> None:
    one = (1).to_bytes(32, "little")  # y = 1, x = 0: the neutral point, canonically encoded
    assert tool._decode_point(one) is not None
    assert tool._decode_point((P + 1).to_bytes(32, "little")) is None  # y = 1 written as p + 1
    assert tool._decode_point(P.to_bytes(32, "little")) is None  # y = 0 written as p
    assert tool._decode_point((1 | 1 << 255).to_bytes(32, "little")) is None  # x = -0
    assert tool._decode_point(one[:31]) is None


def test_a_y_with_no_point_on_the_curve_is_rejected_and_others_lie_on_it() -> None:
    d = -121665 * pow(121666, P - 2, P) % P
    found_off_curve = found_on_curve = False
    for y in range(2, 40):
        x2 = (y * y - 1) * pow(d * y * y + 1, P - 2, P) % P
        decoded = tool._decode_point(y.to_bytes(32, "little"))
        if pow(x2, (P - 1) // 2, P) == P - 1:  # not a square: no x exists
            assert decoded is None
            found_off_curve = True
        else:
            assert decoded is not None
            x = decoded[0] * pow(decoded[2], P - 2, P) % P
            assert (-x * x + y * y - 1 - d * x * x * y * y) % P == 0
            assert x % 2 == 0  # sign bit 0 picks the even root
            found_on_curve = True
    assert found_off_curve
    assert found_on_curve


def test_a_small_order_public_key_cannot_verify_anything() -> None:
    neutral = (1).to_bytes(32, "little")
    forged = neutral + bytes(32)  # R = neutral, S = 0 satisfies the equation for any message
    assert not tool.ed25519_verify(neutral, b"anything at all", forged)


def test_the_key_id_is_the_start_of_the_sha256_of_the_raw_key() -> None:
    public = bytes.fromhex(RFC8032_VECTORS[0][2])
    assert tool.key_id(public) == hashlib.sha256(public).hexdigest()[:16]
    assert len(tool.key_id(public)) == 16


# -- Merkle: the tool's own copy agrees with safeshare.ledger.merkle ------------------------------

LEAVES = [f"Testshire ledger entry {n}".encode("ascii") for n in range(200)]
STORE = merkle.MemoryNodes()
STORE.append_leaves([merkle.leaf_hash(data) for data in LEAVES])


def _merkle_accepts(check: Callable[[], None], error: type[Exception]) -> bool:
    try:
        check()
    except error:
        return False
    return True


def _mangle(proof: list[bytes], how: int, where: int) -> list[bytes]:
    if not proof:
        return [merkle.EMPTY_ROOT] if how % 2 else proof
    where %= len(proof)
    element = bytearray(proof[where])
    element[where % 32] ^= 1 << (how % 8)
    choices = [
        proof,
        [*proof[:where], bytes(element), *proof[where + 1 :]],
        proof[:where] + proof[where + 1 :],
        [*proof[:where], proof[where], *proof[where:]],
        [*proof, merkle.EMPTY_ROOT],
        [merkle.EMPTY_ROOT, *proof],
    ]
    return choices[how % len(choices)]


@given(
    size=st.integers(1, 200),
    data=st.data(),
    how=st.integers(0, 11),
    where=st.integers(0, 20),
    shift=st.sampled_from([(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]),
)
@settings(max_examples=300, deadline=None)
def test_the_tools_merkle_checks_agree_with_the_ledgers(
    size: int, data: st.DataObject, how: int, where: int, shift: tuple[int, int]
) -> None:
    index = data.draw(st.integers(0, size - 1))
    old_size = data.draw(st.integers(0, size))
    top = merkle.root(STORE, size)
    leaf = merkle.leaf_hash(LEAVES[index])
    assert tool.leaf_hash(LEAVES[index]) == leaf

    path = _mangle(merkle.inclusion_proof(STORE, index, size), how, where)
    claimed_index, claimed_size = index + shift[0], size + shift[1]

    def ledger_inclusion() -> None:
        merkle.verify_inclusion(
            leaf=leaf, index=claimed_index, size=claimed_size, proof=path, root=top
        )

    def tool_inclusion() -> None:
        tool.verify_inclusion(leaf, claimed_index, claimed_size, path, top)

    assert _merkle_accepts(ledger_inclusion, merkle.ProofError) == _merkle_accepts(
        tool_inclusion, tool.Invalid
    )

    old_root = merkle.root(STORE, old_size)
    proof = _mangle(merkle.consistency_proof(STORE, old_size, size), how, where)
    claimed_old, claimed_new = old_size + shift[0], size + shift[1]

    def ledger_consistency() -> None:
        merkle.verify_consistency(
            old_size=claimed_old, new_size=claimed_new, old_root=old_root, new_root=top, proof=proof
        )

    def tool_consistency() -> None:
        tool.verify_consistency(claimed_old, claimed_new, old_root, top, proof)

    assert _merkle_accepts(ledger_consistency, merkle.ProofError) == _merkle_accepts(
        tool_consistency, tool.Invalid
    )
    if how == 0 and shift == (0, 0):  # untouched: both accept
        assert _merkle_accepts(tool_inclusion, tool.Invalid)
        assert _merkle_accepts(tool_consistency, tool.Invalid)


# -- signed tree heads and bundles ----------------------------------------------------------------

ORIGIN = "safeshare.invalid/ledger"


def _sth_text(origin: str, size: int, root_hex: str, timestamp: str, key: str) -> bytes:
    # Written out from the contract, independently of the tool's own builder.
    return (
        "safeshare.ledger.sth.v1\n"
        f"origin: {origin}\n"
        f"size: {size}\n"
        f"root: {root_hex}\n"
        f"timestamp: {timestamp}\n"
        f"key: {key}\n"
    ).encode("ascii")


def test_the_signed_message_is_the_contracts_six_lines() -> None:
    top = merkle.root(STORE, 12)
    assert tool.sth_message(
        ORIGIN, 12, top, "2026-11-21T10:00:00.000000Z", "0123456789abcdef"
    ) == _sth_text(ORIGIN, 12, top.hex(), "2026-11-21T10:00:00.000000Z", "0123456789abcdef")


class Log:
    """A small ledger in memory, signed like the real one, to build bundles from."""

    def __init__(self, entries: int) -> None:
        self.entries = [self._entry(n) for n in range(entries)]
        self.store = merkle.MemoryNodes()
        self.store.append_leaves([merkle.leaf_hash(entry) for entry in self.entries])
        self.key = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"Testshire key").digest())
        self.old_key = Ed25519PrivateKey.from_private_bytes(
            hashlib.sha256(b"Testshire old key").digest()
        )

    @staticmethod
    def _entry(n: int) -> bytes:
        return canonical_bytes(
            EntryFields(
                entry_id=uuid.UUID(int=n + 1),
                occurred_at=dt.datetime(2026, 11, 21, 10, 0, n % 60, tzinfo=dt.UTC),
                event_code=1000 + n % 7,
                actor_id=uuid.UUID(int=99),
                actor_agency_id=uuid.UUID(int=7),
                actor_roles="worker",
                subject_person_id=None,
                subject_case_id=uuid.UUID(int=500 + n % 3),
                object_type="case",
                object_id=str(uuid.UUID(int=500 + n % 3)),
                purpose="assessment",
                details=json.dumps({"n": n}),
            )
        )

    def head(
        self,
        size: int,
        key: Ed25519PrivateKey | None = None,
        timestamp: str = "2026-11-21T10:00:00.000000Z",
    ) -> dict[str, Any]:
        key = key or self.key
        public = _raw_public(key)
        key_id = hashlib.sha256(public).hexdigest()[:16]
        top = merkle.root(self.store, size).hex()
        signature = key.sign(_sth_text(ORIGIN, size, top, timestamp, key_id))
        return {
            "origin": ORIGIN,
            "size": size,
            "root": top,
            "timestamp": timestamp,
            "key_id": key_id,
            "signature": signature.hex(),
        }

    def keys(self, retired_old_at: str | None = None) -> dict[str, Any]:
        published = []
        for key, retired in ((self.old_key, retired_old_at), (self.key, None)):
            public = _raw_public(key)
            published.append(
                {
                    "key_id": hashlib.sha256(public).hexdigest()[:16],
                    "algorithm": "ed25519",
                    "public_key": public.hex(),
                    "created_at": "2026-01-01T00:00:00.000000Z",
                    "retired_at": retired,
                }
            )
        return {"keys": published}

    def inclusion(self, index: int, size: int) -> dict[str, Any]:
        return {
            "kind": "inclusion",
            "leaf_index": index,
            "entry": self.entries[index].decode("ascii"),
            "leaf_hash": merkle.leaf_hash(self.entries[index]).hex(),
            "proof": [p.hex() for p in merkle.inclusion_proof(self.store, index, size)],
            "head": self.head(size),
        }

    def consistency(self, old_size: int, new_size: int) -> dict[str, Any]:
        return {
            "kind": "consistency",
            "old": self.head(old_size, key=self.old_key, timestamp="2026-11-20T09:00:00.000000Z"),
            "new": self.head(new_size),
            "proof": [p.hex() for p in merkle.consistency_proof(self.store, old_size, new_size)],
        }


LOG = Log(13)


def _flip_hex(text: str, position: int = 0) -> str:
    return text[:position] + format(int(text[position], 16) ^ 1, "x") + text[position + 1 :]


def _verdict(bundle: Any, keys: dict[str, Any] | None = None) -> str:
    try:
        return str(tool.verify_bundle(bundle, tool.load_keys(keys or LOG.keys())))
    except tool.Invalid as problem:
        return f"invalid: {problem}"


def test_a_good_inclusion_bundle_verifies_for_every_entry() -> None:
    for index in range(13):
        assert _verdict(LOG.inclusion(index, 13)).startswith(f"ok: entry {index} is in the log")


def test_a_good_consistency_bundle_verifies_across_a_key_rotation() -> None:
    for old_size in range(0, 14):
        verdict = _verdict(LOG.consistency(old_size, 13))
        assert verdict.startswith("ok: the log"), (old_size, verdict)


def _inclusion_corruptions() -> dict[str, Callable[[dict[str, Any]], None]]:
    def entry(bundle: dict[str, Any]) -> None:
        bundle["entry"] = bundle["entry"].replace("assessment", "assessmenu")

    def entry_and_leaf_hash(bundle: dict[str, Any]) -> None:
        entry(bundle)
        bundle["leaf_hash"] = merkle.leaf_hash(bundle["entry"].encode("ascii")).hex()

    def proof_element(bundle: dict[str, Any]) -> None:
        bundle["proof"][1] = _flip_hex(bundle["proof"][1], 5)

    def root(bundle: dict[str, Any]) -> None:
        bundle["head"]["root"] = _flip_hex(bundle["head"]["root"], 63)

    def size(bundle: dict[str, Any]) -> None:
        bundle["head"]["size"] += 1

    def signature(bundle: dict[str, Any]) -> None:
        bundle["head"]["signature"] = _flip_hex(bundle["head"]["signature"], 70)

    def unknown_key(bundle: dict[str, Any]) -> None:
        bundle["head"]["key_id"] = _flip_hex(bundle["head"]["key_id"])

    def other_published_key(bundle: dict[str, Any]) -> None:
        bundle["head"]["key_id"] = LOG.keys()["keys"][0]["key_id"]

    def timestamp(bundle: dict[str, Any]) -> None:
        bundle["head"]["timestamp"] = "2026-11-21T10:00:00.000001Z"

    def origin(bundle: dict[str, Any]) -> None:
        bundle["head"]["origin"] = "elsewhere.invalid/ledger"

    def index_up(bundle: dict[str, Any]) -> None:
        bundle["leaf_index"] += 1

    def index_down(bundle: dict[str, Any]) -> None:
        bundle["leaf_index"] -= 1

    def missing_element(bundle: dict[str, Any]) -> None:
        del bundle["proof"][0]

    def added_element(bundle: dict[str, Any]) -> None:
        bundle["proof"].append(bundle["head"]["root"])

    def upper_case_hex(bundle: dict[str, Any]) -> None:
        bundle["proof"][0] = bundle["proof"][0].upper()

    def size_as_text(bundle: dict[str, Any]) -> None:
        bundle["head"]["size"] = str(bundle["head"]["size"])

    def no_head(bundle: dict[str, Any]) -> None:
        del bundle["head"]

    return {name: change for name, change in locals().items() if callable(change)}


@pytest.mark.parametrize("corruption", sorted(_inclusion_corruptions()))
def test_every_corruption_of_an_inclusion_bundle_is_invalid(corruption: str) -> None:
    bundle = LOG.inclusion(6, 13)
    _inclusion_corruptions()[corruption](bundle)
    assert _verdict(bundle).startswith("invalid: ")


def test_flipping_any_byte_of_the_signature_is_invalid() -> None:
    for position in range(0, 128, 2):
        bundle = LOG.inclusion(3, 13)
        bundle["head"]["signature"] = _flip_hex(bundle["head"]["signature"], position)
        assert (
            _verdict(bundle)
            == "invalid: the head signature does not verify with key " + (bundle["head"]["key_id"])
        )


def _consistency_corruptions() -> dict[str, Callable[[dict[str, Any]], None]]:
    def proof_element(bundle: dict[str, Any]) -> None:
        bundle["proof"][0] = _flip_hex(bundle["proof"][0], 9)

    def old_root(bundle: dict[str, Any]) -> None:
        bundle["old"]["root"] = _flip_hex(bundle["old"]["root"])

    def new_signature(bundle: dict[str, Any]) -> None:
        bundle["new"]["signature"] = _flip_hex(bundle["new"]["signature"], 127)

    def swapped_heads(bundle: dict[str, Any]) -> None:
        bundle["old"], bundle["new"] = bundle["new"], bundle["old"]

    def rewritten_history(bundle: dict[str, Any]) -> None:
        # A correctly signed new head over a different history: the proof cannot link them.
        forked = Log(13)
        forked.entries[2] = forked.entries[2].replace(b"assessment", b"assessmenu")
        forked.store = merkle.MemoryNodes()
        forked.store.append_leaves([merkle.leaf_hash(entry) for entry in forked.entries])
        bundle["new"] = forked.head(13)

    def truncated_proof(bundle: dict[str, Any]) -> None:
        bundle["proof"].pop()

    def empty_proof(bundle: dict[str, Any]) -> None:
        bundle["proof"] = []

    def other_origin(bundle: dict[str, Any]) -> None:
        bundle["new"]["origin"] = "elsewhere.invalid/ledger"

    def unknown_kind(bundle: dict[str, Any]) -> None:
        bundle["kind"] = "inconsistency"

    return {name: change for name, change in locals().items() if callable(change)}


@pytest.mark.parametrize("corruption", sorted(_consistency_corruptions()))
def test_every_corruption_of_a_consistency_bundle_is_invalid(corruption: str) -> None:
    bundle = LOG.consistency(5, 13)
    _consistency_corruptions()[corruption](bundle)
    assert _verdict(bundle).startswith("invalid: ")


def test_a_head_dated_after_its_key_was_retired_is_invalid() -> None:
    bundle = LOG.consistency(5, 13)  # the old head is dated 2026-11-20T09:00
    assert _verdict(bundle, LOG.keys(retired_old_at="2026-11-21T00:00:00.000000Z")).startswith("ok")
    verdict = _verdict(bundle, LOG.keys(retired_old_at="2026-11-20T08:00:00.000000Z"))
    assert verdict.startswith("invalid: the old head is dated after key")


def test_a_published_key_whose_id_does_not_match_it_is_refused() -> None:
    keys = LOG.keys()
    keys["keys"][1]["key_id"] = keys["keys"][0]["key_id"]
    with pytest.raises(tool.Invalid, match="does not match its public key"):
        tool.load_keys(keys)


def test_duplicate_names_and_non_json_numbers_are_refused() -> None:
    with pytest.raises(tool.Invalid, match="appears twice"):
        tool.parse_json(b'{"kind": "inclusion", "kind": "consistency"}', "the bundle")
    with pytest.raises(tool.Invalid, match="not a JSON value"):
        tool.parse_json(b'{"size": NaN}', "the bundle")


# -- the script, run as its own process ------------------------------------------------------------


@pytest.fixture
def run_tool(tmp_path: Path) -> Callable[[bytes], subprocess.CompletedProcess[str]]:
    # A copy in an empty folder, run in isolated mode: nothing of SafeShare is importable.
    script = tmp_path / "ledger_verify_proof.py"
    shutil.copy(TOOL_PATH, script)
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(LOG.keys()), encoding="ascii")

    def run(bundle: bytes) -> subprocess.CompletedProcess[str]:
        path = tmp_path / "bundle.json"
        path.write_bytes(bundle)
        return subprocess.run(
            [sys.executable, "-I", str(script), str(path), "--keys", str(keys)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
            check=False,
        )

    return run


def test_the_script_accepts_good_bundles(
    run_tool: Callable[[bytes], subprocess.CompletedProcess[str]],
) -> None:
    for bundle in (LOG.inclusion(4, 13), LOG.consistency(5, 13)):
        done = run_tool(json.dumps(bundle, indent=2).encode("ascii"))
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.startswith("ok: ")
        assert done.stdout.count("\n") == 1


END_TO_END = {
    "entry bit": lambda b: b.update(entry=b["entry"].replace('"n":4', '"n":5')),
    "proof element bit": lambda b: b["proof"].__setitem__(0, _flip_hex(b["proof"][0], 31)),
    "root bit": lambda b: b["head"].update(root=_flip_hex(b["head"]["root"], 10)),
    "signature bit": lambda b: b["head"].update(signature=_flip_hex(b["head"]["signature"], 1)),
    "wrong key id": lambda b: b["head"].update(key_id=LOG.keys()["keys"][0]["key_id"]),
    "index plus one": lambda b: b.update(leaf_index=5),
    "size minus one": lambda b: b["head"].update(size=12),
}


@pytest.mark.parametrize("corruption", sorted(END_TO_END))
def test_the_script_says_invalid_and_exits_1_for_each_corruption(
    corruption: str, run_tool: Callable[[bytes], subprocess.CompletedProcess[str]]
) -> None:
    bundle = LOG.inclusion(4, 13)
    END_TO_END[corruption](bundle)
    done = run_tool(json.dumps(bundle).encode("ascii"))
    assert done.returncode == 1
    assert done.stdout.startswith("invalid: ")


@pytest.mark.parametrize("garbage", [(b"x", b""), (b"", b"}"), (b"", b"\n[]"), (b"\xff", b"")])
def test_the_script_says_invalid_for_garbage_around_the_json(
    garbage: tuple[bytes, bytes], run_tool: Callable[[bytes], subprocess.CompletedProcess[str]]
) -> None:
    before, after = garbage
    done = run_tool(before + json.dumps(LOG.inclusion(4, 13)).encode("ascii") + after)
    assert done.returncode == 1
    assert done.stdout.startswith("invalid: the bundle is not valid JSON")


def test_the_script_reports_an_unreadable_file_as_an_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(TOOL_PATH), str(tmp_path / "missing.json"), "--keys", "nope.json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")
