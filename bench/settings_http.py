"""Settings for benchmark servers: the demo settings plus one bench-only route (bench/urls_http.py).

Never used outside bench/: it adds an unauthenticated insert endpoint that exists only to measure
a plain one-row insert through the same HTTP stack (gunicorn, Django, middleware) as the API.
"""

from config.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.urls_http"
