"""``safeshare worker``: the background task runner (ADR 19): the timers' sweep and e-mails."""

from __future__ import annotations

import os
import subprocess
import sys
from argparse import ArgumentParser
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand, CommandError


@contextmanager
def worker_in_background() -> Iterator[subprocess.Popen[bytes]]:
    """Run ``safeshare worker`` in a child process for the duration (as the ledger's sequencer
    runs beside the server: a child process, never a thread of the forking server)."""
    command = [sys.executable, "-m", "safeshare.cli.main", "worker", "--quiet"]
    process = subprocess.Popen(command, env=dict(os.environ))  # noqa: S603 - our own command
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Command(BaseCommand):
    help = "Run the background tasks: the timers that raise work notices, and their e-mails"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--threads", type=int, default=2, help="Worker threads (default 2)")
        parser.add_argument("--quiet", action="store_true", help="Print nothing when starting")

    def handle(self, *args: Any, **options: Any) -> None:
        from safeshare.workday import tasks  # noqa: F401 - registers the tasks on the queue
        from safeshare.workday.queue import huey

        threads: int = options["threads"]
        if threads < 1:
            raise CommandError("--threads must be at least 1")
        queue = huey()
        if queue.immediate:
            raise CommandError("SAFESHARE_TASKS_IMMEDIATE is set: tasks run in place, not here")
        if not options["quiet"]:
            self.stdout.write(f"SafeShare worker on {type(queue).__name__} ({threads} threads)")
        consumer = queue.create_consumer(workers=threads, worker_type="thread")
        consumer.run()
