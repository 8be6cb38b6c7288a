"""The ``safeshare`` command: a small front door to SafeShare's Django management commands.

``safeshare <command> [options]`` runs the management command named in ``COMMANDS``. Errors a
user can act on (bad input, a refused operation, missing keys) print one line,
``safeshare: error: <message>``, on stderr and exit non-zero; ``--traceback`` shows the detail.
To add a subcommand, write the management command and add one line to ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_SETTINGS = "config.settings.dev"
USAGE_ERROR = 2


@dataclass(frozen=True)
class Subcommand:
    django_command: str  # the management command that does the work
    summary: str  # one line for ``safeshare --help``


COMMANDS: dict[str, Subcommand] = {
    "serve": Subcommand("serve", "Serve the web application and API (gunicorn, 127.0.0.1)"),
    "demo": Subcommand("demo", "Generate the fake demo area Fakeshire (fictional people only)"),
    "migrate": Subcommand("migrate", "Create or update the database tables"),
    "createadmin": Subcommand("createadmin", "Create a system administrator"),
    "keys": Subcommand("keys", "Encryption keys: generate, status, rotate, retire, reseal"),
    "decide": Subcommand("decide", "Evaluate sharing facts from a JSON file (nothing recorded)"),
    "ledger": Subcommand("ledger", "Tamper-evident ledger: sequence, keys, prove, witness, verify"),
    "link": Subcommand("link", "Link people's records across agencies into identities"),
    "worker": Subcommand("worker", "Run the background tasks: timers, work notices, e-mail"),
}


def help_text() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        "usage: safeshare <command> [options]",
        "",
        "SafeShare: multi-agency information sharing for safeguarding children.",
        "",
        "commands:",
        *(f"  {name:<{width}}  {sub.summary}" for name, sub in COMMANDS.items()),
        "",
        "Run 'safeshare <command> --help' for a command's options.",
        f"Settings: DJANGO_SETTINGS_MODULE (default {DEFAULT_SETTINGS}); "
        "data in SAFESHARE_DATA_DIR (default ./data).",
    ]
    return "\n".join(lines)


def _error(message: str) -> None:
    first_line = " ".join(str(message).split()) or "failed"
    sys.stderr.write(f"safeshare: error: {first_line}\n")
    sys.stderr.flush()


def _apply_early_options(rest: list[str]) -> None:
    """Honour --settings and --pythonpath before Django starts (as django-admin does)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--settings")
    early.add_argument("--pythonpath")
    known, _ = early.parse_known_args(rest)
    if known.settings:
        os.environ["DJANGO_SETTINGS_MODULE"] = known.settings
    if known.pythonpath:
        sys.path.insert(0, known.pythonpath)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        sys.stderr.write(help_text() + "\n")
        return USAGE_ERROR
    if args[0] in ("-h", "--help", "help"):
        sys.stdout.write(help_text() + "\n")
        return 0
    name, rest = args[0], args[1:]
    subcommand = COMMANDS.get(name)
    if subcommand is None:
        _error(f"unknown command {name!r}; run 'safeshare --help' for the list")
        return USAGE_ERROR
    try:
        _apply_early_options(rest)
    except SystemExit:
        return USAGE_ERROR
    show_traceback = "--traceback" in rest
    try:
        return _run(name, subcommand, rest)
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Exception as exc:
        message = _user_error_message(exc)
        if message is None or show_traceback:
            raise
        _error(message)
        return getattr(exc, "returncode", 1)


def _user_error_message(exc: Exception) -> str | None:
    """The one-line message for an error the user can act on; None for a bug (traceback)."""
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management.base import CommandError
    from django.db import DatabaseError

    from safeshare.core.crypto import DecryptionError, KeyringError
    from safeshare.core.exceptions import DomainError

    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, CommandError | KeyringError | DecryptionError | ImproperlyConfigured):
        return str(exc)
    if isinstance(exc, DatabaseError):
        return f"database error: {exc} (has 'safeshare migrate' been run?)"
    return None


def _run(name: str, subcommand: Subcommand, rest: list[str]) -> int:
    import django
    from django.core.management import get_commands, load_command_class
    from django.core.management.base import CommandError
    from django.db import connections

    try:
        django.setup()
    except Exception as exc:  # settings that cannot load: say which and why, in one line
        from django.core.exceptions import ImproperlyConfigured

        settings_module = os.environ.get("DJANGO_SETTINGS_MODULE")
        raise ImproperlyConfigured(
            f"cannot load settings {settings_module}: {type(exc).__name__}: {exc}"
        ) from exc

    app_name = get_commands()[subcommand.django_command]
    command = load_command_class(app_name, subcommand.django_command)
    parser = command.create_parser("safeshare", name)
    try:
        options = parser.parse_args(rest)
    except CommandError as exc:  # bad arguments: argparse's message, on one line
        _error(str(exc).removeprefix("Error: "))
        return USAGE_ERROR
    except SystemExit as exc:  # --help and --version print and exit
        return exc.code if isinstance(exc.code, int) else 0
    cmd_options = vars(options)
    positional = cmd_options.pop("args", ())
    try:
        command.execute(*positional, **cmd_options)
    finally:
        # As django-admin does, but never inside a caller's transaction (tests call main()).
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
