"""The background task queue (ADR 19): one Huey instance, chosen by the settings.

- ``SAFESHARE_TASK_BROKER`` empty: ``SqliteHuey`` in ``SAFESHARE_TASK_FILE`` (the embedded
  default: no extra server; tasks survive a restart because they are in a file).
- ``redis://host:port/db``: ``RedisHuey`` (production).
- ``SAFESHARE_TASKS_IMMEDIATE``: tasks run at once in the caller's process (tests).

A task enqueued inside a database transaction is enqueued only when the transaction commits
(``on_commit``), so a worker never acts on work that was rolled back.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

QUEUE_NAME = "safeshare"


def make_huey(broker: str, *, task_file: str, immediate: bool = False) -> Huey:
    """A Huey for ``broker`` ("" for the SQLite file, or a redis:// URL)."""
    if immediate:
        return MemoryHuey(QUEUE_NAME, immediate=True)
    if not broker:
        Path(task_file).parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=task_file)
    if broker.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(QUEUE_NAME, url=broker)
    raise ImproperlyConfigured(
        f"SAFESHARE_TASK_BROKER must be empty (SQLite) or a redis:// URL, not {broker!r}"
    )


@cache
def huey() -> Huey:
    """The process's queue, made on first use from the settings."""
    return make_huey(
        settings.SAFESHARE_TASK_BROKER,
        task_file=settings.SAFESHARE_TASK_FILE,
        immediate=settings.SAFESHARE_TASKS_IMMEDIATE,
    )
