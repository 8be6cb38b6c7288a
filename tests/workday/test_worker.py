"""The task runner on both brokers (ADR 19): the embedded SQLite file and Redis. A task survives
a restart of the worker, a failed e-mail is retried later, and an e-mail goes through a real SMTP
server (aiosmtpd, started here on loopback)."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from huey import Huey

from safeshare.workday.models import NoticeKind, WorkNotice
from safeshare.workday.queue import make_huey
from safeshare.workday.tasks import EMAIL_RETRIES, register
from tests.conftest import World

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, flushed by each test


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture(params=["sqlite", "redis"])
def broker(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(broker URL, task file). Redis is required: this machine runs it on 127.0.0.1:6379."""
    if request.param == "sqlite":
        yield "", str(tmp_path / "tasks.sqlite3")
        return
    queue = make_huey(REDIS_URL, task_file="")
    try:
        queue.flush()
    except Exception as exc:
        pytest.fail(f"Redis at {REDIS_URL} is required for the task runner tests: {exc}")
    yield REDIS_URL, ""
    queue.flush()


def restarted(broker: tuple[str, str]) -> tuple[Huey, Any]:
    """A new queue on the same broker, as a worker that has just started sees it."""
    queue = make_huey(broker[0], task_file=broker[1])
    email, _ = register(queue)
    return queue, email


def a_notice(world: World) -> WorkNotice:
    world.dsl.email = "dsl@council.example"
    world.dsl.save(update_fields=["email"])
    return WorkNotice.objects.create(
        recipient=world.dsl,
        kind=NoticeKind.URGENT_REQUEST,
        key="request:test:urgent",
        url="/requests/00000000-0000-0000-0000-000000000000/",
    )


def test_a_queued_email_survives_a_restart_and_is_sent_over_smtp(
    world: World, broker: tuple[str, str], smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    notice = a_notice(world)
    first, email = restarted(broker)
    email(str(notice.pk))  # enqueued, not run: no worker yet
    assert first.pending_count() == 1
    del first
    queue, _ = restarted(broker)
    assert queue.pending_count() == 1
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
    ):
        queue.execute(queue.dequeue())
    (envelope,) = inbox.messages
    assert envelope.rcpt_tos == ["dsl@council.example"]
    assert b"immediate-risk request" in envelope.content
    notice.refresh_from_db()
    assert notice.emailed_at is not None


def test_a_failed_email_is_retried_later(world: World, broker: tuple[str, str]) -> None:
    notice = a_notice(world)
    queue, email = restarted(broker)
    email(str(notice.pk))
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),  # nothing listens there
        EMAIL_TIMEOUT=2,
    ):
        queue.execute(queue.dequeue())
    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert notice.email_attempts == 1
    assert queue.pending_count() == 0
    (retry,) = queue.scheduled()
    assert retry.retries == EMAIL_RETRIES - 1
    assert retry.eta > dt.datetime.now(dt.UTC).replace(tzinfo=None)
