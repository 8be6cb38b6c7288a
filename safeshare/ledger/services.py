"""The ledger's append path: the only code that writes ledger rows.

Every service calls ``ledger_append`` inside its own ``transaction.atomic`` block, so the change
and its record commit or roll back together. Appending outside a transaction is refused: an
entry that could commit without its change (or a change without its entry) proves nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from safeshare.core import clock
from safeshare.ledger.encoding import canonical_json
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry


class LedgerActor(Protocol):
    """Who acted: a practitioner (agencies.Practitioner satisfies this)."""

    @property
    def pk(self) -> Any: ...

    @property
    def agency_id(self) -> Any: ...

    def role_codes(self) -> list[str]: ...


class LedgerOutsideTransaction(RuntimeError):
    """ledger_append was called outside transaction.atomic."""


@dataclass(frozen=True)
class Subject:
    """The person and/or case an entry is about (for 'who has seen this record')."""

    person_id: uuid.UUID | None = None
    case_id: uuid.UUID | None = None


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _entry(
    *,
    event: Event,
    actor: LedgerActor | None,
    subject: Subject,
    obj: models.Model | None,
    purpose: str,
    details: Mapping[str, Any] | None,
) -> LedgerEntry:
    object_type, object_id = _object_ref(obj)
    return LedgerEntry.compose(
        occurred_at=clock.now(),
        event_code=int(event),
        actor_id=actor.pk if actor is not None else None,
        actor_agency_id=actor.agency_id if actor is not None else None,
        actor_roles=",".join(sorted(actor.role_codes())) if actor is not None else "system",
        subject_person_id=subject.person_id,
        subject_case_id=subject.case_id,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        details=canonical_json(dict(details or {})),
    )


# The columns ``ledger_append`` writes, in order: every concrete field but the database id and
# the columns the database generates from the canonical bytes (that is, ``canonical`` alone).
_INSERT_FIELDS = tuple(
    f for f in LedgerEntry._meta.concrete_fields if not f.primary_key and not f.generated
)
_INSERT_SQL: dict[str, str] = {}


def _insert_sql(connection: BaseDatabaseWrapper) -> str:
    """``INSERT INTO ledger_ledgerentry (...) VALUES (...)``, built once per database vendor from
    the model's own fields (so it follows the model), with ``RETURNING`` the id where the
    database can."""
    sql = _INSERT_SQL.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in _INSERT_FIELDS)
        values = ", ".join(["%s"] * len(_INSERT_FIELDS))
        # Only quoted identifiers from the model's metadata go into the text; values are bound.
        table = quote(LedgerEntry._meta.db_table)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"  # noqa: S608
        if connection.features.can_return_columns_from_insert:
            sql += f" RETURNING {quote(LedgerEntry._meta.pk.column)}"  # type: ignore[union-attr]
        _INSERT_SQL[connection.vendor] = sql
    return sql


def _insert(entry: LedgerEntry) -> None:
    """Insert one new entry: the same row ``save(force_insert=True)`` writes, without the model
    save machinery (signals, field-by-field checks for an update), which cost more than the
    insert itself on the path every service and every recorded read takes. The generated
    columns are not read back: ``LedgerEntry.compose`` already set the values the database
    derives from the same canonical bytes."""
    connection = transaction.get_connection()
    params = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in _INSERT_FIELDS]
    queue_with_next = getattr(connection, "queue_with_next", None)
    if queue_with_next is not None:
        # PostgreSQL: the insert travels with the transaction's next statement or its COMMIT,
        # saving a round trip of its own (ADR 17); the id is set when it has been sent.
        queue_with_next(_insert_sql(connection), params, partial(_take_id, entry))
    else:
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(connection), params)
            if connection.features.can_return_columns_from_insert:
                _take_id(entry, cursor.fetchone())
            else:
                entry.id = cursor.lastrowid
    entry._state.adding = False
    entry._state.db = connection.alias


def _take_id(entry: LedgerEntry, row: Sequence[Any]) -> None:
    entry.id = row[0]


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise LedgerOutsideTransaction(
            "ledger_append must run inside the transaction of the change it records"
        )


def ledger_append(
    *,
    event: Event,
    actor: LedgerActor | None,
    subject: Subject | None = None,
    obj: models.Model | None = None,
    purpose: str = "",
    details: Mapping[str, Any] | None = None,
) -> LedgerEntry:
    """Append one entry in the caller's transaction. ``actor=None`` means the system itself."""
    _require_transaction()
    entry = _entry(
        event=event,
        actor=actor,
        subject=subject or Subject(),
        obj=obj,
        purpose=purpose,
        details=details,
    )
    _insert(entry)
    return entry


def ledger_flush() -> None:
    """Put the entries appended on this connection into the database now, in their own round
    trip. Nothing needs this for correctness: an entry reaches the server before any later
    statement of its transaction and with its COMMIT. It is for code (and tests) that must hold
    an entry inserted but not committed, or needs its database id at once."""
    send_queued = getattr(transaction.get_connection(), "send_queued", None)
    if send_queued is not None:
        send_queued()


def ledger_append_many(
    *,
    event: Event,
    actor: LedgerActor | None,
    subjects: Iterable[tuple[Subject, models.Model | None]],
    purpose: str = "",
    details: Mapping[str, Any] | None = None,
) -> int:
    """Append one entry per subject (a list page shows many records: each read is recorded)."""
    _require_transaction()
    entries = [
        _entry(event=event, actor=actor, subject=s, obj=o, purpose=purpose, details=details)
        for s, o in subjects
    ]
    LedgerEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)
