"""Authenticated encryption of sensitive values with AES-256-GCM (pure, no Django import).

A sealed value is the text ``v1.<key id>.<nonce>.<ciphertext and tag>`` (nonce and ciphertext in
unpadded URL-safe base64). The associated data binds the value to where it lives (table, row,
field), so a ciphertext copied to another row or field fails to open. Opening never returns the
stored text: any failure raises :class:`DecryptionError`.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT_VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class DecryptionError(Exception):
    """A sealed value could not be opened: tampered, moved, truncated, or its key is missing."""


class KeyringError(Exception):
    """The keyring is missing, malformed, or has no usable active key."""


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Keyring:
    """Named AES-256 keys and the id of the one that seals new values."""

    active_id: str
    keys: Mapping[str, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise KeyringError("the keyring holds no keys")
        for key_id, key in self.keys.items():
            if not _KEY_ID.match(key_id):
                raise KeyringError(f"key id {key_id!r} must be 1-64 letters, digits, - or _")
            if len(key) != KEY_BYTES:
                raise KeyringError(f"key {key_id!r} must be {KEY_BYTES} bytes")
        if self.active_id not in self.keys:
            raise KeyringError(f"the active key {self.active_id!r} is not in the keyring")

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Keyring:
        """Build from ``{"active": id, "keys": {id: base64 key}}`` (the key file's format)."""
        active = data.get("active")
        raw_keys = data.get("keys")
        if not isinstance(active, str) or not isinstance(raw_keys, Mapping):
            raise KeyringError('keyring must look like {"active": "<id>", "keys": {"<id>": "..."}}')
        keys: dict[str, bytes] = {}
        for key_id, encoded in raw_keys.items():
            try:
                keys[str(key_id)] = base64.b64decode(str(encoded), validate=True)
            except binascii.Error as exc:
                raise KeyringError(f"key {key_id!r} is not valid base64") from exc
        return cls(active_id=active, keys=keys)

    def to_mapping(self) -> dict[str, object]:
        return {
            "active": self.active_id,
            "keys": {k: base64.b64encode(v).decode("ascii") for k, v in self.keys.items()},
        }

    def with_new_active_key(self, key_id: str | None = None) -> Keyring:
        """A keyring that keeps every old key (to open old values) and seals with a new one."""
        new_id = key_id or f"k{secrets.token_hex(4)}"
        if new_id in self.keys:
            raise KeyringError(f"key id {new_id!r} already exists")
        return Keyring(active_id=new_id, keys={**self.keys, new_id: os.urandom(KEY_BYTES)})

    def without_keys_except_active(self) -> Keyring:
        return Keyring(active_id=self.active_id, keys={self.active_id: self.keys[self.active_id]})


def new_keyring(key_id: str | None = None) -> Keyring:
    key_id = key_id or f"k{secrets.token_hex(4)}"
    return Keyring(active_id=key_id, keys={key_id: os.urandom(KEY_BYTES)})


def read_key_file(path: Path) -> Keyring:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KeyringError(
            f"key file {path} does not exist (run 'safeshare keys generate')"
        ) from exc
    except json.JSONDecodeError as exc:
        raise KeyringError(f"key file {path} is not valid JSON") from exc
    if not isinstance(data, dict):
        raise KeyringError(f"key file {path} must hold a JSON object")
    return Keyring.from_mapping(data)


def write_key_file(path: Path, keyring: Keyring) -> None:
    """Write atomically with owner-only permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(keyring.to_mapping(), handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def seal(plaintext: str, *, associated_data: bytes, keyring: Keyring) -> str:
    """Encrypt ``plaintext`` under the active key, bound to ``associated_data``."""
    nonce = os.urandom(NONCE_BYTES)
    key_id = keyring.active_id
    aad = _full_aad(key_id, associated_data)
    ciphertext = AESGCM(keyring.keys[key_id]).encrypt(nonce, plaintext.encode("utf-8"), aad)
    return f"{FORMAT_VERSION}.{key_id}.{_b64e(nonce)}.{_b64e(ciphertext)}"


def key_id_of(sealed: str) -> str:
    parts = sealed.split(".")
    if len(parts) != 4 or parts[0] != FORMAT_VERSION:
        raise DecryptionError("not a sealed value")
    return parts[1]


def open_sealed(sealed: str, *, associated_data: bytes, keyring: Keyring) -> str:
    """Decrypt a value made by :func:`seal`; raises DecryptionError on any mismatch."""
    parts = sealed.split(".") if isinstance(sealed, str) else []
    if len(parts) != 4 or parts[0] != FORMAT_VERSION:
        raise DecryptionError("stored value is not a sealed value")
    _, key_id, nonce_text, ciphertext_text = parts
    key = keyring.keys.get(key_id)
    if key is None:
        raise DecryptionError(f"key {key_id!r} is not in the keyring")
    try:
        nonce = _b64d(nonce_text)
        ciphertext = _b64d(ciphertext_text)
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError("stored value is damaged") from exc
    if len(nonce) != NONCE_BYTES:
        raise DecryptionError("stored value is damaged")
    try:
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, _full_aad(key_id, associated_data))
    except InvalidTag as exc:
        raise DecryptionError("stored value failed authentication (tampered or moved)") from exc
    try:
        return plaintext.decode("utf-8")
    except UnicodeDecodeError as exc:  # pragma: no cover - impossible after a valid tag
        raise DecryptionError("stored value is not text") from exc


def _full_aad(key_id: str, associated_data: bytes) -> bytes:
    return FORMAT_VERSION.encode() + b"\x00" + key_id.encode() + b"\x00" + associated_data
