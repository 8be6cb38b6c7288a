"""Production: PostgreSQL, TLS in front, every secret from the environment."""

import os

from config.settings.base import *  # noqa: F403

SECRET_KEY = os.environ["SAFESHARE_SECRET_KEY"]
ALLOWED_HOSTS = [h for h in os.environ.get("SAFESHARE_ALLOWED_HOSTS", "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("SAFESHARE_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
