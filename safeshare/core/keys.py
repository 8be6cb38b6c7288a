"""Where the keyring comes from: settings (tests), the environment, or a key file.

Order: ``settings.SAFESHARE_KEYS`` (a mapping, used by tests), the ``SAFESHARE_KEYS`` environment
variable (the key file's JSON), then the file named by ``SAFESHARE_KEY_FILE``. Never SECRET_KEY.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from django.conf import settings

from safeshare.core.crypto import Keyring, KeyringError, read_key_file

_lock = threading.Lock()
_cached: Keyring | None = None


def key_file_path() -> Path | None:
    path = getattr(settings, "SAFESHARE_KEY_FILE", "")
    return Path(path) if path else None


def load_keyring() -> Keyring:
    configured = getattr(settings, "SAFESHARE_KEYS", None)
    if configured:
        return Keyring.from_mapping(configured)
    from_env = os.environ.get("SAFESHARE_KEYS")
    if from_env:
        try:
            return Keyring.from_mapping(json.loads(from_env))
        except json.JSONDecodeError as exc:
            raise KeyringError("SAFESHARE_KEYS is not valid JSON") from exc
    path = key_file_path()
    if path is None:
        raise KeyringError("no encryption keys: set SAFESHARE_KEYS or SAFESHARE_KEY_FILE")
    return read_key_file(path)


def keyring() -> Keyring:
    """The process's keyring, loaded once."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = load_keyring()
    return _cached


def reset_cache(new: Keyring | None = None) -> None:
    """Forget (or replace) the cached keyring, after rotation or in tests."""
    global _cached
    with _lock:
        _cached = new


def keyring_holding(key_id: str) -> Keyring:
    """The keyring, reloaded once if it lacks ``key_id`` (another process rotated the keys)."""
    current = keyring()
    if key_id in current.keys:
        return current
    reset_cache()
    return keyring()
