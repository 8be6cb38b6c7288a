"""Test settings: fast hashing, an ephemeral encryption key, no key file on disk."""

import base64
import os

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
