"""The background tasks (ADR 19): the timers' sweep, every ``SAFESHARE_SWEEP_MINUTES``, and
one e-mail per notice, retried with a growing delay when the mail server does not answer."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections, connection
from huey import Huey, crontab

from safeshare.workday import services
from safeshare.workday.queue import huey

_F = TypeVar("_F", bound=Callable[..., Any])

EMAIL_RETRIES = services.MAX_EMAIL_ATTEMPTS - 1
EMAIL_RETRY_DELAY_SECONDS = 60


def _fresh_connections(fn: _F) -> _F:
    """A worker thread's database connection may have gone stale between tasks. (Never inside
    a transaction: a task run in place by its caller uses the caller's connection as it is.)"""

    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if connection.in_atomic_block:
            return fn(*args, **kwargs)
        close_old_connections()
        try:
            return fn(*args, **kwargs)
        finally:
            close_old_connections()

    return run  # type: ignore[return-value]


def send_notice_email(notice_id: str) -> bool:
    return services.notice_email(notice_id=notice_id)


def sweep_now() -> int:
    return services.sweep(enqueue_email=lambda notice_id: email_task(notice_id))


def register(queue: Huey) -> tuple[Any, Any]:
    """The two tasks on ``queue`` (the process's own, or a test's SQLite or Redis queue)."""
    email = queue.task(
        retries=EMAIL_RETRIES, retry_delay=EMAIL_RETRY_DELAY_SECONDS, name="notice_email"
    )(_fresh_connections(send_notice_email))
    every = max(1, int(settings.SAFESHARE_SWEEP_MINUTES))
    timers = queue.periodic_task(crontab(minute=f"*/{every}"), name="sweep")(
        queue.lock_task("sweep")(_fresh_connections(sweep_now))
    )
    return email, timers


email_task, sweep_task = register(huey())
