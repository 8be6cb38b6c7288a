"""Settings shared by every environment.

Environment variables (all optional in development):
- SAFESHARE_DATA_DIR: folder for the embedded SQLite database and the key file (default ./data).
- DATABASE_URL: ``postgres://user@host:port/name`` for PostgreSQL; else SQLite in the data folder.
- SAFESHARE_KEY_FILE, SAFESHARE_KEYS: encryption keys (safeshare.core.keys), never SECRET_KEY.
- SAFESHARE_SECRET_KEY: Django's signing key (sessions, CSRF); required in production.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("SAFESHARE_DATA_DIR", BASE_DIR / "data")).resolve()


def database_from_url(url: str | None, *, data_dir: Path) -> dict[str, object]:
    """Translate DATABASE_URL into Django's DATABASES entry (SQLite when unset)."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(data_dir / "safeshare.sqlite3"),
            # Keep each worker's connection: opening one re-reads the schema and re-runs the
            # pragmas, which costs more than a small request's own queries.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # Writers take the lock when the transaction starts, so two writers queue on the
                # busy timeout instead of failing half-way with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "safeshare.core.db.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "safeshare",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parsed.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parsed.path),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30},
        }
    raise ValueError(f"DATABASE_URL scheme {parsed.scheme!r} is not supported")


SECRET_KEY = os.environ.get("SAFESHARE_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",
    "safeshare.core",
    "safeshare.ledger",
    "safeshare.agencies",
    "safeshare.people",
    "safeshare.cases",
    "safeshare.consent",
    "safeshare.decisions",
    "safeshare.disclosures",
    "safeshare.oversight",
    "safeshare.linkage",
    "safeshare.mash",
    "safeshare.access",
    "safeshare.workday",
    "safeshare.api",
    "safeshare.web",
    "safeshare.cli",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safeshare.web.middleware.SessionLifetimeMiddleware",
    "safeshare.web.middleware.RequireVerifiedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeshare.web.context_processors.shell",
            ],
        },
    }
]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"), data_dir=DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.Practitioner"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:dashboard"

# Lockout by username (an attacker rotating addresses gets no more guesses at one account) and,
# separately, by address (one address spraying passwords across many accounts is stopped too).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "safeshare.web.views.auth.locked_out"

OTP_TOTP_ISSUER = "SafeShare"

# Sessions: idle timeout and an absolute lifetime, both enforced by SessionLifetimeMiddleware.
SAFESHARE_SESSION_IDLE_SECONDS = int(os.environ.get("SAFESHARE_SESSION_IDLE_SECONDS", 30 * 60))
# How long before the idle timeout pages warn and offer to extend (WCAG 2.2.1 Timing adjustable).
SAFESHARE_SESSION_WARN_SECONDS = int(os.environ.get("SAFESHARE_SESSION_WARN_SECONDS", 120))
SAFESHARE_SESSION_ABSOLUTE_SECONDS = int(
    os.environ.get("SAFESHARE_SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
)
SESSION_COOKIE_AGE = SAFESHARE_SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = DATA_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Encryption keys for sensitive fields: see safeshare.core.crypto and docs/adr/0004.
SAFESHARE_KEY_FILE = os.environ.get("SAFESHARE_KEY_FILE", str(DATA_DIR / "keys.json"))
# Ed25519 keys that sign the ledger's tree heads (safeshare.ledger.signing, docs/how-to/ledger.md):
# SAFESHARE_LEDGER_SIGNING_KEYS (the key file's JSON) or this key file; and the name signed heads
# carry, which witnesses check.
SAFESHARE_LEDGER_KEY_FILE = os.environ.get(
    "SAFESHARE_LEDGER_KEY_FILE", str(DATA_DIR / "ledger-keys.json")
)
SAFESHARE_LEDGER_ORIGIN = os.environ.get("SAFESHARE_LEDGER_ORIGIN", "safeshare.invalid/ledger")
SAFESHARE_DEMO_MODE = False

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Oversight of the ledger (safeshare.oversight; docs/how-to/oversight.md).
# Unusual-access review: how many days of reads the queue scans, UK working hours (reads outside
# them, at weekends and on bank holidays are flagged) and how many distinct children one
# practitioner may open within an hour before their further opens are flagged.
SAFESHARE_ACCESS_REVIEW_WINDOW_DAYS = int(os.environ.get("SAFESHARE_ACCESS_REVIEW_WINDOW_DAYS", 28))
SAFESHARE_WORKING_HOURS = (7, 20)  # 07:00 to 20:00 UK time
SAFESHARE_ACCESS_REVIEW_HOURLY_LIMIT = int(
    os.environ.get("SAFESHARE_ACCESS_REVIEW_HOURLY_LIMIT", 30)
)
# Notifications of outside-agency access: how many days back they are shown and counted.
SAFESHARE_NOTIFICATION_WINDOW_DAYS = int(os.environ.get("SAFESHARE_NOTIFICATION_WINDOW_DAYS", 30))
# Urgent sharing with a statutory partner outside any agreement: the longest the recipient may
# keep it (days), and the expiry given when the sharer names none.
SAFESHARE_URGENT_SHARE_MAX_DAYS = int(os.environ.get("SAFESHARE_URGENT_SHARE_MAX_DAYS", 30))

# A practitioner's working day (ADR 19). Background tasks run in Huey: a SQLite file in
# SAFESHARE_DATA_DIR by default (no extra server), Redis when SAFESHARE_TASK_BROKER is a
# redis:// URL (production). `safeshare serve` starts a worker beside the server.
SAFESHARE_TASK_BROKER = os.environ.get("SAFESHARE_TASK_BROKER", "")
SAFESHARE_TASK_FILE = os.environ.get("SAFESHARE_TASK_FILE", str(DATA_DIR / "tasks.sqlite3"))
SAFESHARE_TASKS_IMMEDIATE = False  # run tasks in the caller's process (tests only)
SAFESHARE_SWEEP_MINUTES = 1  # how often the timers look for work that is due
# Links in e-mails point here; an e-mail says only that something is waiting, never who.
SAFESHARE_BASE_URL = os.environ.get("SAFESHARE_BASE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = os.environ.get(
    "SAFESHARE_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("SAFESHARE_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("SAFESHARE_SMTP_PORT", 25))
EMAIL_HOST_USER = os.environ.get("SAFESHARE_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SAFESHARE_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SAFESHARE_SMTP_TLS", "") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get(
    "SAFESHARE_EMAIL_FROM", "SafeShare <no-reply@safeshare.invalid>"
)
