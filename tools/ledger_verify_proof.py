#!/usr/bin/env python3
"""Check a SafeShare ledger proof yourself, with nothing but Python's standard library.

    python3 ledger_verify_proof.py BUNDLE.json --keys KEYS.json [--origin ORIGIN]

BUNDLE.json is an inclusion proof bundle (``safeshare ledger prove entry ...`` or the API's
``/ledger/proofs/inclusion``) or a consistency proof bundle; KEYS.json is the ledger's published
public keys. The script checks every signed tree head's Ed25519 signature with the key its
``key_id`` names, recomputes the leaf hash from the entry, and checks the Merkle proof against the
signed root (RFC 9162 sections 2.1.3.2 and 2.1.4.2). It prints one line, ``ok: ...`` (exit 0) or
``invalid: <why>`` (exit 1); a file it cannot read is ``error: ...`` (exit 2).

This file is deliberately self-contained (it imports no SafeShare code and no third-party
package) so that an agency can read it in full, copy it, and run it anywhere. Ed25519
verification follows RFC 8032 section 5.1.7, including its decoding checks: non-canonical point
encodings and ``S >= L`` are rejected.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from typing import Any

STH_VERSION = "safeshare.ledger.sth.v1"
HASH_SIZE = 32

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX128 = re.compile(r"^[0-9a-f]{128}$")
_KEY_ID = re.compile(r"^[0-9a-f]{16}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
_ORIGIN = re.compile(r"^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$")


class Invalid(Exception):
    """The bundle does not prove what it claims; the message says why."""


# -- Ed25519 verification (RFC 8032 section 5.1) -----------------------------------------------

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_D2 = 2 * _D % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)

Point = tuple[int, int, int, int]  # extended coordinates (X, Y, Z, T): x = X/Z, y = Y/Z, xy = T/Z
_IDENTITY: Point = (0, 1, 1, 0)


def _add(p: Point, q: Point) -> Point:
    """Point addition on -x^2 + y^2 = 1 + d x^2 y^2 (RFC 8032 section 5.1.4)."""
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % _P
    b = (y1 + x1) * (y2 + x2) % _P
    c = t1 * _D2 * t2 % _P
    d = 2 * z1 * z2 % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return e * f % _P, g * h % _P, f * g % _P, e * h % _P


def _double(p: Point) -> Point:
    x1, y1, z1, _ = p
    a = x1 * x1 % _P
    b = y1 * y1 % _P
    c = 2 * z1 * z1 % _P
    h = a + b
    e = h - (x1 + y1) * (x1 + y1)
    g = a - b
    f = c + g
    return e * f % _P, g * h % _P, f * g % _P, e * h % _P


def _negate(p: Point) -> Point:
    x, y, z, t = p
    return (-x) % _P, y, z, (-t) % _P


def _is_identity(p: Point) -> bool:
    x, y, z, _ = p
    return x % _P == 0 and (y - z) % _P == 0


def _decode_point(encoded: bytes) -> Point | None:
    """RFC 8032 section 5.1.3; None for anything that is not the canonical encoding of a point."""
    if len(encoded) != 32:
        return None
    number = int.from_bytes(encoded, "little")
    sign = number >> 255
    y = number & ((1 << 255) - 1)
    if y >= _P:
        return None  # non-canonical y
    u = (y * y - 1) % _P
    v = (_D * y * y + 1) % _P
    x = u * pow(v, 3, _P) * pow(u * pow(v, 7, _P), (_P - 5) // 8, _P) % _P
    check = v * x * x % _P
    if check == u:
        pass
    elif check == (-u) % _P:
        x = x * _SQRT_M1 % _P
    else:
        return None  # y is not the y-coordinate of a point on the curve
    if x == 0 and sign:
        return None  # -0 is not a canonical encoding
    if x & 1 != sign:
        x = _P - x
    return x, y, 1, x * y % _P


def _base_point() -> Point:
    """B: the point with y = 4/5 and a positive (even) x."""
    point = _decode_point((4 * pow(5, _P - 2, _P) % _P).to_bytes(32, "little"))
    if point is None:  # pragma: no cover - the arithmetic above is wrong if this happens
        raise RuntimeError("the Ed25519 base point does not decode")
    return point


_BASE = _base_point()


def _double_scalar(s: int, base: Point, k: int, other: Point) -> Point:
    """[s]base + [k]other, by one left-to-right double-and-add pass (Straus/Shamir)."""
    both = _add(base, other)
    result = _IDENTITY
    for bit in range(max(s.bit_length(), k.bit_length()) - 1, -1, -1):
        result = _double(result)
        pick = ((s >> bit) & 1) | (((k >> bit) & 1) << 1)
        if pick == 1:
            result = _add(result, base)
        elif pick == 2:
            result = _add(result, other)
        elif pick == 3:
            result = _add(result, both)
    return result


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """True when ``signature`` is a valid Ed25519 signature of ``message`` by ``public_key``."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    r_bytes = signature[:32]
    s = int.from_bytes(signature[32:], "little")
    if s >= _L:
        return False  # RFC 8032: reject S that is not reduced modulo L
    a_point = _decode_point(public_key)
    r_point = _decode_point(r_bytes)
    if a_point is None or r_point is None:
        return False
    if _is_identity(_double(_double(_double(a_point)))):
        return False  # a key of small order "verifies" forged signatures: never a real key
    k = int.from_bytes(hashlib.sha512(r_bytes + public_key + message).digest(), "little") % _L
    # The group equation [8][S]B = [8]R + [8][k]A', checked as [8]([S]B - [k]A' - R) = 0.
    difference = _add(_double_scalar(s, _BASE, k, _negate(a_point)), _negate(r_point))
    for _ in range(3):
        difference = _double(difference)
    return _is_identity(difference)


def key_id(public_key: bytes) -> str:
    """The ledger's key id: the first 16 hex characters of SHA-256 of the raw public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


# -- Merkle proofs (RFC 9162 sections 2.1.3.2 and 2.1.4.2) -------------------------------------


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise Invalid unless ``proof`` shows the leaf hash ``leaf`` at ``index`` under ``root``."""
    if not 0 <= index < size:
        raise Invalid(f"leaf index {index} is not in a tree of size {size}")
    fn, sn, result = index, size - 1, leaf
    for element in proof:
        if sn == 0:
            raise Invalid("inclusion proof has too many elements")
        if fn & 1 or fn == sn:
            result = _node(element, result)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            result = _node(result, element)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Invalid("inclusion proof has too few elements")
    if result != root:
        raise Invalid("inclusion proof does not lead to the signed root")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise Invalid unless ``proof`` shows the tree ``old_root`` is a prefix of ``new_root``."""
    if not 0 <= old_size <= new_size:
        raise Invalid(f"the old size {old_size} is larger than the new size {new_size}")
    if old_size == 0 or old_size == new_size:
        if proof:
            raise Invalid("this consistency proof must be empty")
        if old_size == 0 and old_root != hashlib.sha256(b"").digest():
            raise Invalid("the old root is not the root of the empty tree")
        if old_size == new_size and old_root != new_root:
            raise Invalid(f"two different roots for the same size {old_size}")
        return
    if not proof:
        raise Invalid("consistency proof is empty")
    path = [old_root, *proof] if old_size & (old_size - 1) == 0 else list(proof)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    first = second = path[0]
    for element in path[1:]:
        if sn == 0:
            raise Invalid("consistency proof has too many elements")
        if fn & 1 or fn == sn:
            first = _node(element, first)
            second = _node(element, second)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            second = _node(second, element)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Invalid("consistency proof has too few elements")
    if first != old_root:
        raise Invalid("consistency proof does not lead to the old signed root")
    if second != new_root:
        raise Invalid("consistency proof does not lead to the new signed root")


# -- signed tree heads and bundles -------------------------------------------------------------


def _field(document: dict[str, Any], name: str, kind: type, where: str) -> Any:
    if name not in document:
        raise Invalid(f"{where} has no {name!r}")
    value = document[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Invalid(f"{where} {name!r} is not a {kind.__name__}")
    return value


def _hex(value: Any, pattern: re.Pattern[str], what: str) -> bytes:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise Invalid(f"{what} is not lower-case hex of the right length")
    return bytes.fromhex(value)


def _timestamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def sth_message(origin: str, size: int, root: bytes, timestamp: str, key: str) -> bytes:
    """The exact bytes a signed tree head's signature covers."""
    lines = [
        STH_VERSION,
        f"origin: {origin}",
        f"size: {size}",
        f"root: {root.hex()}",
        f"timestamp: {timestamp}",
        f"key: {key}",
    ]
    return "".join(line + "\n" for line in lines).encode("ascii")


def load_keys(document: Any) -> dict[str, dict[str, Any]]:
    """The published keys by key id; each key's id must match its public key."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise Invalid('the keys file is not {"keys": [...]}')
    keys: dict[str, dict[str, Any]] = {}
    for position, entry in enumerate(document["keys"]):
        where = f"key {position}"
        if not isinstance(entry, dict):
            raise Invalid(f"{where} is not an object")
        if _field(entry, "algorithm", str, where) != "ed25519":
            raise Invalid(f"{where} is not an ed25519 key")
        public = _hex(_field(entry, "public_key", str, where), _HEX64, f"{where} public_key")
        claimed = _field(entry, "key_id", str, where)
        if claimed != key_id(public):
            raise Invalid(f"{where} key_id {claimed!r} does not match its public key")
        retired = entry.get("retired_at")
        if retired is not None and not isinstance(retired, str):
            raise Invalid(f"{where} retired_at is not a timestamp")
        keys[claimed] = {"public_key": public, "retired_at": retired}
    return keys


def verify_head(
    head: Any, keys: dict[str, dict[str, Any]], where: str, origin: str | None
) -> tuple[int, bytes]:
    """Check one signed tree head's fields and signature; return its (size, root)."""
    if not isinstance(head, dict):
        raise Invalid(f"{where} is not an object")
    head_origin = _field(head, "origin", str, where)
    if not _ORIGIN.fullmatch(head_origin):
        raise Invalid(f"{where} origin is not printable ASCII on one line")
    if origin is not None and head_origin != origin:
        raise Invalid(f"{where} is for the log {head_origin!r}, not {origin!r}")
    size = _field(head, "size", int, where)
    if size < 0:
        raise Invalid(f"{where} size is negative")
    root = _hex(head.get("root"), _HEX64, f"{where} root")
    timestamp = _field(head, "timestamp", str, where)
    if not _TIMESTAMP.fullmatch(timestamp):
        raise Invalid(f"{where} timestamp is not YYYY-MM-DDTHH:MM:SS.ffffffZ")
    head_key = _field(head, "key_id", str, where)
    if not _KEY_ID.fullmatch(head_key):
        raise Invalid(f"{where} key_id is not 16 lower-case hex characters")
    signature = _hex(head.get("signature"), _HEX128, f"{where} signature")
    key = keys.get(head_key)
    if key is None:
        raise Invalid(f"{where} is signed by key {head_key}, which is not a published key")
    message = sth_message(head_origin, size, root, timestamp, head_key)
    if not ed25519_verify(key["public_key"], message, signature):
        raise Invalid(f"{where} signature does not verify with key {head_key}")
    retired = key["retired_at"]
    if retired is not None:
        try:
            after = _timestamp(timestamp) > _timestamp(retired)
        except ValueError:
            raise Invalid(f"key {head_key} has an unreadable retired_at") from None
        if after:
            raise Invalid(f"{where} is dated after key {head_key} was retired ({retired})")
    return size, root


def _proof(bundle: dict[str, Any]) -> list[bytes]:
    elements = _field(bundle, "proof", list, "the bundle")
    return [_hex(element, _HEX64, f"proof element {n}") for n, element in enumerate(elements)]


def verify_bundle(bundle: Any, keys: dict[str, dict[str, Any]], origin: str | None = None) -> str:
    """Check a whole bundle; return the ``ok`` summary or raise Invalid."""
    if not isinstance(bundle, dict):
        raise Invalid("the bundle is not a JSON object")
    kind = bundle.get("kind")
    if kind == "inclusion":
        size, root = verify_head(bundle.get("head"), keys, "the head", origin)
        index = _field(bundle, "leaf_index", int, "the bundle")
        entry = _field(bundle, "entry", str, "the bundle")
        if not entry.isascii():
            raise Invalid("the entry is not ASCII text")
        claimed = _hex(bundle.get("leaf_hash"), _HEX64, "leaf_hash")
        leaf = leaf_hash(entry.encode("ascii"))
        if leaf != claimed:
            raise Invalid("leaf_hash is not the hash of the entry")
        verify_inclusion(leaf, index, size, _proof(bundle), root)
        head = bundle["head"]
        return (
            f"ok: entry {index} is in the log {head['origin']} of size {size} "
            f"(root {root.hex()}, signed by key {head['key_id']} at {head['timestamp']})"
        )
    if kind == "consistency":
        old_size, old_root = verify_head(bundle.get("old"), keys, "the old head", origin)
        new_size, new_root = verify_head(bundle.get("new"), keys, "the new head", origin)
        if bundle["old"]["origin"] != bundle["new"]["origin"]:
            raise Invalid("the two heads are for different logs")
        verify_consistency(old_size, new_size, old_root, new_root, _proof(bundle))
        return (
            f"ok: the log {bundle['new']['origin']} of size {old_size} (root {old_root.hex()}) "
            f"is a prefix of size {new_size} (root {new_root.hex()})"
        )
    raise Invalid(f"unknown bundle kind {kind!r}")


def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for name, value in pairs:
        if name in document:
            raise Invalid(f"the key {name!r} appears twice in one object")
        document[name] = value
    return document


def _reject_constant(name: str) -> Any:
    raise Invalid(f"{name} is not a JSON value")


def parse_json(raw: bytes, what: str) -> Any:
    try:
        text = raw.decode("utf-8")
        return json.loads(text, object_pairs_hook=_strict_object, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as problem:  # bad UTF-8 or JSON, absurd numbers
        raise Invalid(f"{what} is not valid JSON ({problem})") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check a SafeShare ledger inclusion or consistency proof bundle."
    )
    parser.add_argument("bundle", help="the proof bundle (JSON)")
    parser.add_argument("--keys", required=True, help="the published public keys (JSON)")
    parser.add_argument("--origin", help="accept only heads for this log origin")
    options = parser.parse_args(argv)
    try:
        with open(options.bundle, "rb") as handle:
            bundle_raw = handle.read()
        with open(options.keys, "rb") as handle:
            keys_raw = handle.read()
    except OSError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        keys = load_keys(parse_json(keys_raw, "the keys file"))
        summary = verify_bundle(parse_json(bundle_raw, "the bundle"), keys, options.origin)
    except Invalid as problem:
        print(f"invalid: {problem}")
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
