"""PostgreSQL, with statements that can ride with the next one (ADR 17).

Django's PostgreSQL backend, plus one facility: ``queue_with_next(sql, params, on_row)`` holds an
``INSERT ... RETURNING`` (the ledger's append) and sends it in the same network round trip as the
connection's next statement, or with its ``COMMIT``. It reaches the server before anything that
follows it, in the same transaction, so it behaves exactly as if it had been executed at once:
a later savepoint rollback undoes it, a later query sees it, a rollback discards it. What changes
is the cost: one round trip fewer per ledger entry, which on a loopback connection between two
busy cores is most of what an entry costs.

The statement is rendered to SQL text by psycopg's own client-side binding (``mogrify``), which
is how Django's default PostgreSQL cursor binds every parameter, and sent as a multi-statement
simple query. Anything that cannot take a prefix (``executemany``, named server-side cursors,
composed SQL, ``COPY``) sends the queue on its own first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db.backends.postgresql import base as postgresql
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


@dataclass(frozen=True)
class _Queued:
    statement: str  # SQL text, parameters bound
    on_row: Callable[[Sequence[Any]], None]  # given the statement's one returned row


class _SendsQueuedFirst:
    """Cursor wrapper behaviour: the connection's queued statements go first, in one round trip
    with the statement being executed where they can."""

    db: DatabaseWrapper
    cursor: Any

    def _execute(self, sql: Any, params: Any, *wrapper_args: Any) -> Any:
        queued = self.db.take_queued()
        if not queued:
            return super()._execute(sql, params, *wrapper_args)  # type: ignore[misc]
        if not isinstance(sql, str) or not _takes_a_prefix(self.cursor):
            self.db.send(queued)
            return super()._execute(sql, params, *wrapper_args)  # type: ignore[misc]
        prefix = _text(queued)
        if params is not None:  # the text will be formatted: its own % must stay literal
            prefix = prefix.replace("%", "%%")
        self.db.log_sent(queued)
        result = super()._execute(prefix + sql, params, *wrapper_args)  # type: ignore[misc]
        _collect(self.cursor, queued)
        return result

    def _executemany(self, sql: Any, param_list: Any, *wrapper_args: Any) -> Any:
        self.db.send(self.db.take_queued())
        return super()._executemany(sql, param_list, *wrapper_args)  # type: ignore[misc]


def _takes_a_prefix(cursor: Any) -> bool:
    return isinstance(cursor, psycopg.ClientCursor) and not isinstance(cursor, psycopg.ServerCursor)


def _text(queued: Sequence[_Queued]) -> str:
    return "".join(f"{item.statement};\n" for item in queued)


def _collect(cursor: Any, queued: Sequence[_Queued]) -> None:
    """Read each queued statement's returned row, leaving ``cursor`` on the last result (the
    statement the caller executed), as if that had been sent alone."""
    for item in queued:
        item.on_row(cursor.fetchone())
        cursor.nextset()


class SendsQueuedCursorWrapper(_SendsQueuedFirst, CursorWrapper):
    pass


class SendsQueuedCursorDebugWrapper(_SendsQueuedFirst, postgresql.CursorDebugWrapper):
    """The debug cursor (``DEBUG``, ``CaptureQueriesContext``) logs a statement that carried
    queued ones as itself alone, after them, so the log reads as if each had been sent on its
    own: the same statements, in the order the server ran them."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        if not self.db.has_queued():
            return super().execute(sql, params)
        shown = sql if params is None else self.db.ops.compose_sql(sql, params)
        with self.debug_sql(shown):
            return CursorWrapper.execute(self, sql, params)


class DatabaseWrapper(postgresql.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queued: list[_Queued] = []

    def queue_with_next(
        self, sql: str, params: Sequence[Any], on_row: Callable[[Sequence[Any]], None]
    ) -> None:
        """Send ``sql`` (one statement returning one row) with this connection's next statement
        or its commit, in the current transaction; ``on_row`` gets its row then."""
        if not self.in_atomic_block:
            raise RuntimeError("only a statement inside a transaction can wait for the next one")
        with self.connection.cursor() as cursor:
            statement = cursor.mogrify(sql, params)
        self._queued.append(_Queued(statement, on_row))

    def has_queued(self) -> bool:
        return bool(self._queued)

    def take_queued(self) -> list[_Queued]:
        queued, self._queued = self._queued, []
        return queued

    def send_queued(self) -> None:
        """Send what is queued now, in a round trip of its own."""
        self.send(self.take_queued())

    def send(self, queued: Sequence[_Queued], *, then: str = "") -> None:
        if not queued:
            return
        text = _text(queued) + then
        self.log_sent(queued)
        with self.wrap_database_errors, self.connection.cursor() as cursor:
            cursor.execute(text)
            _collect(cursor, queued)

    def log_sent(self, queued: Sequence[_Queued]) -> None:
        if self.queries_logged:
            self.queries_log.extend({"sql": item.statement, "time": "0.000"} for item in queued)

    def make_cursor(self, cursor: Any) -> CursorWrapper:
        return SendsQueuedCursorWrapper(cursor, self)

    def make_debug_cursor(self, cursor: Any) -> CursorDebugWrapper:
        return SendsQueuedCursorDebugWrapper(cursor, self)

    def _commit(self) -> None:
        queued = self.take_queued()
        if queued and self.connection is not None:
            # The COMMIT goes in the same round trip; psycopg then sees the transaction over.
            self.send(queued, then="COMMIT")
        super()._commit()  # type: ignore[misc]  # not in django-stubs

    def _rollback(self) -> None:
        self._queued.clear()
        super()._rollback()  # type: ignore[misc]  # not in django-stubs

    def _close(self) -> None:
        self._queued.clear()
        super()._close()  # type: ignore[misc]  # not in django-stubs
