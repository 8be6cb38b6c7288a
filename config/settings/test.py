"""Test settings: fast hashing, an ephemeral encryption key, no key file on disk."""

import base64
import hashlib
import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from config.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-signing-key-not-secret-" + "x" * 20
DEBUG = False
SAFESHARE_DEMO_MODE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A fresh random key per test process: nothing secret lives in the code.
SAFESHARE_KEYS = {
    "active": "test-1",
    "keys": {"test-1": base64.b64encode(os.urandom(32)).decode()},
}
SAFESHARE_KEY_FILE = ""
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # served from the app folders by WhiteNoise finders; no collectstatic
AXES_ENABLED = True

# A fresh random ledger signing key per test process as well (never a key file on disk).
_ledger_seed = os.urandom(32)
_ledger_public = Ed25519PrivateKey.from_private_bytes(_ledger_seed).public_key()
_ledger_key_id = hashlib.sha256(
    _ledger_public.public_bytes(Encoding.Raw, PublicFormat.Raw)
).hexdigest()[:16]
SAFESHARE_LEDGER_SIGNING_KEYS = {
    "active": _ledger_key_id,
    "keys": {_ledger_key_id: base64.b64encode(_ledger_seed).decode()},
}
SAFESHARE_LEDGER_KEY_FILE = ""

# Tasks run in the test's own process (a worker is tested on its own, on SQLite and Redis).
SAFESHARE_TASKS_IMMEDIATE = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
