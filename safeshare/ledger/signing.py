"""The Ed25519 keys that sign tree heads, and the signed tree head (STH) itself.

Private keys never enter the database. They come, in this order, from
``settings.SAFESHARE_LEDGER_SIGNING_KEYS`` (a mapping, used by tests), the
``SAFESHARE_LEDGER_SIGNING_KEYS`` environment variable (the key file's JSON), or the owner-only key
file named by ``SAFESHARE_LEDGER_KEY_FILE`` (by default ``ledger-keys.json`` next to the encryption
key file). The key file holds::

    {"active": "<key id>", "keys": {"<key id>": "<base64 of the 32-byte Ed25519 private key>"}}

A key id is the first 16 hex digits of SHA-256 of the raw 32-byte public key, so anyone holding
the public key can check which key an id names. The public halves are published in the database
(``LedgerSigningKey``) and through the API, and kept there after rotation so that old heads still
verify.

The signed message of a head is these ASCII lines, each ending in a line feed::

    safeshare.ledger.sth.v1
    origin: <origin>
    size: <tree size, decimal>
    root: <root hash, 64 lower-case hex digits>
    timestamp: <UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ>
    key: <key id>
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

STH_VERSION = "safeshare.ledger.sth.v1"
DEFAULT_ORIGIN = "safeshare.invalid/ledger"
ALGORITHM = "ed25519"
KEY_BYTES = 32
SIGNATURE_BYTES = 64
HASH_BYTES = 32
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

_KEY_ID = re.compile(r"^[0-9a-f]{16}$")
_HEX_HASH = re.compile(r"^[0-9a-f]{64}$")
_HEX_SIGNATURE = re.compile(r"^[0-9a-f]{128}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
# Printable ASCII on one line, no space at either end (as tools/ledger_verify_proof.py expects).
_ORIGIN = re.compile(r"^[\x21-\x7e]([\x20-\x7e]{0,198}[\x21-\x7e])?$")


class SigningKeyError(ImproperlyConfigured):
    """The ledger's signing keys are missing or malformed (a configuration problem: the command
    line reports it in one line)."""


class HeadError(ValueError):
    """A tree head that is malformed, or whose signature does not verify; the message says why."""


# --- Keys -----------------------------------------------------------------------------------------


def key_id_for(public_key: bytes) -> str:
    """The key id of a raw 32-byte Ed25519 public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def raw_public_key(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _raw_private_key(private_key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    return private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


@dataclass(frozen=True)
class SigningKeys:
    """The private keys this installation holds, by key id, and the one that signs new heads."""

    active_id: str
    private: Mapping[str, Ed25519PrivateKey] = field(repr=False)

    def __post_init__(self) -> None:
        if not self.private:
            raise SigningKeyError("the ledger signing keys hold no key")
        for key_id, key in self.private.items():
            derived = key_id_for(raw_public_key(key))
            if key_id != derived:
                raise SigningKeyError(
                    f"ledger signing key {key_id!r} is misnamed: its public key's id is {derived}"
                )
        if self.active_id not in self.private:
            raise SigningKeyError(f"the active ledger signing key {self.active_id!r} is not held")

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> SigningKeys:
        """Build from the key file's format (see the module docstring)."""
        active = data.get("active")
        raw_keys = data.get("keys")
        if not isinstance(active, str) or not isinstance(raw_keys, Mapping):
            raise SigningKeyError(
                'ledger signing keys must look like {"active": "<id>", "keys": {"<id>": "..."}}'
            )
        keys: dict[str, Ed25519PrivateKey] = {}
        for key_id, encoded in raw_keys.items():
            try:
                raw = base64.b64decode(str(encoded), validate=True)
            except binascii.Error as exc:
                raise SigningKeyError(f"ledger signing key {key_id!r} is not base64") from exc
            if len(raw) != KEY_BYTES:
                raise SigningKeyError(f"ledger signing key {key_id!r} must be {KEY_BYTES} bytes")
            keys[str(key_id)] = Ed25519PrivateKey.from_private_bytes(raw)
        return cls(active_id=active, private=keys)

    def to_mapping(self) -> dict[str, object]:
        return {
            "active": self.active_id,
            "keys": {
                key_id: base64.b64encode(_raw_private_key(key)).decode("ascii")
                for key_id, key in self.private.items()
            },
        }

    def public_key(self, key_id: str | None = None) -> bytes:
        return raw_public_key(self.private[key_id or self.active_id])

    def sign(self, message: bytes) -> bytes:
        return self.private[self.active_id].sign(message)


def new_signing_keys() -> SigningKeys:
    key = Ed25519PrivateKey.generate()
    key_id = key_id_for(raw_public_key(key))
    return SigningKeys(active_id=key_id, private={key_id: key})


def read_key_file(path: Path) -> SigningKeys:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SigningKeyError(
            f"ledger key file {path} does not exist (run 'safeshare ledger keys generate')"
        ) from exc
    except json.JSONDecodeError as exc:
        raise SigningKeyError(f"ledger key file {path} is not valid JSON") from exc
    if not isinstance(data, dict):
        raise SigningKeyError(f"ledger key file {path} must hold a JSON object")
    return SigningKeys.from_mapping(data)


def write_key_file(path: Path, keys: SigningKeys) -> None:
    """Write atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(keys.to_mapping(), handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


SOURCE_SETTINGS = "settings.SAFESHARE_LEDGER_SIGNING_KEYS"
SOURCE_ENVIRONMENT = "the SAFESHARE_LEDGER_SIGNING_KEYS environment variable"


def key_file_path() -> Path | None:
    path = getattr(settings, "SAFESHARE_LEDGER_KEY_FILE", "")
    return Path(path) if path else None


def key_source() -> tuple[str, Path | None]:
    """Where the signing keys come from, in the order ``load_signing_keys`` tries them."""
    if getattr(settings, "SAFESHARE_LEDGER_SIGNING_KEYS", None):
        return SOURCE_SETTINGS, None
    if os.environ.get("SAFESHARE_LEDGER_SIGNING_KEYS"):
        return SOURCE_ENVIRONMENT, None
    path = key_file_path()
    return (f"key file {path}" if path else "nowhere (SAFESHARE_LEDGER_KEY_FILE is empty)"), path


def load_signing_keys() -> SigningKeys:
    configured = getattr(settings, "SAFESHARE_LEDGER_SIGNING_KEYS", None)
    if configured:
        return SigningKeys.from_mapping(configured)
    from_env = os.environ.get("SAFESHARE_LEDGER_SIGNING_KEYS")
    if from_env:
        try:
            return SigningKeys.from_mapping(json.loads(from_env))
        except json.JSONDecodeError as exc:
            raise SigningKeyError("SAFESHARE_LEDGER_SIGNING_KEYS is not valid JSON") from exc
    path = key_file_path()
    if path is None:
        raise SigningKeyError(
            "no ledger signing keys: set SAFESHARE_LEDGER_SIGNING_KEYS or SAFESHARE_LEDGER_KEY_FILE"
        )
    return read_key_file(path)


_lock = threading.Lock()
_cached: SigningKeys | None = None


def signing_keys() -> SigningKeys:
    """The process's signing keys, loaded once (``reset_cache`` after a rotation)."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = load_signing_keys()
    return _cached


def reset_cache() -> None:
    global _cached
    with _lock:
        _cached = None


def ledger_origin() -> str:
    origin: str = getattr(settings, "SAFESHARE_LEDGER_ORIGIN", "") or DEFAULT_ORIGIN
    if not _ORIGIN.match(origin):
        raise SigningKeyError("SAFESHARE_LEDGER_ORIGIN must be printable ASCII on one line")
    return origin


# --- Tree heads -----------------------------------------------------------------------------------


def format_timestamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("tree head timestamps must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime(TIMESTAMP_FORMAT)


def parse_timestamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, TIMESTAMP_FORMAT).replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class TreeHead:
    """A signed tree head as it travels: in the API, in bundles, in a witness's state file."""

    origin: str
    size: int
    root: bytes
    timestamp: str
    key_id: str
    signature: bytes

    def message(self) -> bytes:
        return head_message(
            origin=self.origin,
            size=self.size,
            root=self.root,
            timestamp=self.timestamp,
            key_id=self.key_id,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "size": self.size,
            "root": self.root.hex(),
            "timestamp": self.timestamp,
            "key_id": self.key_id,
            "signature": self.signature.hex(),
        }

    @classmethod
    def from_json(cls, data: Any) -> TreeHead:
        """Parse and check the shape (not the signature: see ``verify_head``)."""
        if not isinstance(data, Mapping):
            raise HeadError("a tree head must be a JSON object")
        expected = {"origin", "size", "root", "timestamp", "key_id", "signature"}
        if set(data) != expected:
            raise HeadError(f"a tree head has exactly the fields {', '.join(sorted(expected))}")
        origin, size, root = data["origin"], data["size"], data["root"]
        timestamp, key_id, signature = data["timestamp"], data["key_id"], data["signature"]
        if not isinstance(origin, str) or not _ORIGIN.match(origin):
            raise HeadError("the head's origin must be printable ASCII on one line")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise HeadError("the head's size must be a whole number, 0 or more")
        if not isinstance(root, str) or not _HEX_HASH.match(root):
            raise HeadError("the head's root must be 64 lower-case hex digits")
        if not isinstance(timestamp, str) or not _TIMESTAMP.match(timestamp):
            raise HeadError("the head's timestamp must be YYYY-MM-DDTHH:MM:SS.ffffffZ")
        if not isinstance(key_id, str) or not _KEY_ID.match(key_id):
            raise HeadError("the head's key_id must be 16 lower-case hex digits")
        if not isinstance(signature, str) or not _HEX_SIGNATURE.match(signature):
            raise HeadError("the head's signature must be 128 lower-case hex digits")
        try:
            parse_timestamp(timestamp)
        except ValueError as exc:
            raise HeadError("the head's timestamp is not a real moment") from exc
        return cls(
            origin=origin,
            size=size,
            root=bytes.fromhex(root),
            timestamp=timestamp,
            key_id=key_id,
            signature=bytes.fromhex(signature),
        )


def head_message(*, origin: str, size: int, root: bytes, timestamp: str, key_id: str) -> bytes:
    lines = [
        STH_VERSION,
        f"origin: {origin}",
        f"size: {size}",
        f"root: {root.hex()}",
        f"timestamp: {timestamp}",
        f"key: {key_id}",
    ]
    return "".join(line + "\n" for line in lines).encode("ascii")


def sign_head(
    keys: SigningKeys, *, origin: str, size: int, root: bytes, timestamp: str
) -> TreeHead:
    unsigned = TreeHead(
        origin=origin,
        size=size,
        root=root,
        timestamp=timestamp,
        key_id=keys.active_id,
        signature=b"",
    )
    return replace(unsigned, signature=keys.sign(unsigned.message()))


def verify_head(head: TreeHead, public_keys: Mapping[str, bytes]) -> None:
    """Raise HeadError unless ``head`` is signed by the published key its key_id names."""
    public = public_keys.get(head.key_id)
    if public is None:
        raise HeadError(f"the head at size {head.size} names key {head.key_id}, not published")
    if key_id_for(public) != head.key_id:
        raise HeadError(f"published key {head.key_id} does not match its key id")
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(head.signature, head.message())
    except (InvalidSignature, ValueError) as exc:
        raise HeadError(
            f"the head at size {head.size} has a bad signature for key {head.key_id}"
        ) from exc


def public_keys_from_json(data: Any) -> dict[str, bytes]:
    """``{"keys": [{"key_id", "algorithm", "public_key", ...}]}`` -> {key id: raw public key}."""
    entries = data.get("keys") if isinstance(data, Mapping) else None
    if not isinstance(entries, list):
        raise HeadError('public keys must look like {"keys": [{"key_id": ..., ...}]}')
    found: dict[str, bytes] = {}
    for entry in entries:
        if not isinstance(entry, Mapping):
            raise HeadError("each public key must be a JSON object")
        key_id, algorithm, public = (
            entry.get("key_id"),
            entry.get("algorithm"),
            entry.get("public_key"),
        )
        if algorithm != ALGORITHM:
            raise HeadError(f"public key {key_id!r}: algorithm must be {ALGORITHM}")
        if not isinstance(public, str) or not re.fullmatch(r"[0-9a-f]{64}", public):
            raise HeadError(f"public key {key_id!r} must be 64 lower-case hex digits")
        raw = bytes.fromhex(public)
        if key_id != key_id_for(raw):
            raise HeadError(f"public key {key_id!r} does not match its key id")
        found[key_id] = raw
    return found


def retirements_from_json(data: Any) -> dict[str, str | None]:
    """{key id: when it was retired, or None} from the public keys document."""
    public_keys_from_json(data)  # the same checks
    found: dict[str, str | None] = {}
    for entry in data["keys"]:
        retired = entry.get("retired_at")
        if retired is not None and (not isinstance(retired, str) or not _TIMESTAMP.match(retired)):
            raise HeadError(f"public key {entry.get('key_id')!r}: retired_at is not a timestamp")
        found[entry["key_id"]] = retired
    return found
