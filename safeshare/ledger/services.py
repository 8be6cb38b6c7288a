"""The ledger's append path: the only code that writes ledger rows.

Every service calls ``ledger_append`` inside its own ``transaction.atomic`` block, so the change
and its record commit or roll back together. Appending outside a transaction is refused: an
entry that could commit without its change (or a change without its entry) proves nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models, transaction

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
    return LedgerEntry(
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
    entry.save(force_insert=True)
    return entry


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
