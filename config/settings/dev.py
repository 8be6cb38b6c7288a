"""Local development and the demo: SQLite in SAFESHARE_DATA_DIR, served on loopback."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import DATA_DIR

# The demo runs on a developer's own machine only; a random per-data-folder key, never committed.
SECRET_KEY = os.environ.get("SAFESHARE_SECRET_KEY") or ""
if not SECRET_KEY:
    _secret_file = DATA_DIR / "secret_key"
    if _secret_file.exists():
        SECRET_KEY = _secret_file.read_text().strip()
    else:
        import secrets

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        SECRET_KEY = secrets.token_urlsafe(50)
        _secret_file.write_text(SECRET_KEY)
        _secret_file.chmod(0o600)

DEBUG = os.environ.get("SAFESHARE_DEBUG", "") == "1"
SAFESHARE_DEMO_MODE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # served from the app folders by WhiteNoise finders; no collectstatic

# The demo has no mail server: e-mails are printed by the worker (set SAFESHARE_EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend and SAFESHARE_SMTP_* to send them).
EMAIL_BACKEND = os.environ.get(
    "SAFESHARE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
