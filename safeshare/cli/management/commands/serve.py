"""``safeshare serve``: the web application and API under gunicorn, static files via WhiteNoise."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.module_loading import import_string
from gunicorn.app.base import BaseApplication

from safeshare.cli.management.commands.ledger import sequencer_in_background
from safeshare.cli.management.commands.worker import worker_in_background

DEFAULT_PORT = 8000
DEFAULT_WORKERS = 2
DEFAULT_HOST = "127.0.0.1"


class SafeShareServer(BaseApplication):  # type: ignore[misc]
    """gunicorn configured in code (no config file, no gunicorn command-line parsing)."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIHandler:
        from config.wsgi import application

        return application


def gunicorn_options(*, host: str, port: int, workers: int) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "safeshare",
    }


def needs_collectstatic() -> bool:
    """Production storage serves hashed files from STATIC_ROOT, which collectstatic fills."""
    if settings.DEBUG:
        return False
    backend = import_string(settings.STORAGES["staticfiles"]["BACKEND"])
    return isinstance(backend, type) and issubclass(backend, ManifestFilesMixin)


def resolve_port(given: int | None) -> int:
    if given is None:
        raw = os.environ.get("PORT", str(DEFAULT_PORT))
        try:
            given = int(raw)
        except ValueError as exc:
            raise CommandError(f"PORT must be a number, not {raw!r}") from exc
    if not 1 <= given <= 65535:
        raise CommandError(f"the port must be between 1 and 65535, not {given}")
    return given


class Command(BaseCommand):
    help = "Serve SafeShare with gunicorn on 127.0.0.1 (PORT, default 8000)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--port", type=int, default=None, help="Port (default: $PORT, else 8000)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=DEFAULT_WORKERS,
            help=f"Worker processes (default {DEFAULT_WORKERS})",
        )
        parser.add_argument(
            "--host",
            default=DEFAULT_HOST,
            help="Address to listen on (default 127.0.0.1; put TLS in front of anything else)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port = resolve_port(options["port"])
        workers: int = options["workers"]
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        if needs_collectstatic():
            call_command("collectstatic", interactive=False, verbosity=0)
        # Workers are forked: none may inherit the parent's database connection.
        connections.close_all()
        host: str = options["host"]
        self.stdout.write(
            f"SafeShare at http://{host}:{port}/ with {workers} workers (Ctrl+C to stop)"
        )
        # The ledger's sequencer runs beside the server, so signed heads stay fresh, and so does
        # the task worker, so that timers fire and e-mails go whether or not anyone is signed in.
        with sequencer_in_background(), worker_in_background():
            SafeShareServer(gunicorn_options(host=host, port=port, workers=workers)).run()
