"""The canonical byte encoding of a ledger entry (pure; no Django import).

One entry has exactly one encoding: a JSON object with a fixed set of keys, sorted, no
whitespace, ASCII only, timestamps as UTC ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, UUIDs lower-case with
hyphens, absent values as ``null``. The Merkle tree's leaves are built over these bytes, so the
encoding is versioned (``"v"``) and a change to it needs a new version, never an edit.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ENCODING_VERSION = 1

JsonValue = None | bool | int | str | list["JsonValue"] | dict[str, "JsonValue"]


class NotCanonical(ValueError):
    """Details contain something with no single JSON spelling (floats, non-string keys...)."""


def check_details(value: Any, path: str = "details") -> None:
    """Allow only values whose JSON spelling is unique: no floats, string keys only."""
    if value is None or isinstance(value, str | int):  # bool is an int
        return
    if isinstance(value, list | tuple):
        for index, element in enumerate(value):
            check_details(element, f"{path}[{index}]")
        return
    if isinstance(value, Mapping):
        for key, element in value.items():
            if not isinstance(key, str):
                raise NotCanonical(f"{path} has a non-string key {key!r}")
            check_details(element, f"{path}.{key}")
        return
    raise NotCanonical(f"{path} holds a {type(value).__name__}; use str, int, bool, list or dict")


def canonical_json(value: Any) -> str:
    check_details(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def format_timestamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise NotCanonical("ledger timestamps must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _uuid(value: uuid.UUID | str | None) -> str | None:
    if value is None or value == "":
        return None
    if type(value) is uuid.UUID:  # already a UUID: its str() is the canonical spelling
        return str(value)
    return str(uuid.UUID(str(value)))


@dataclass(frozen=True)
class EntryFields:
    """The fields of an entry that the encoding covers (everything but the database sequence)."""

    entry_id: uuid.UUID | str
    occurred_at: dt.datetime
    event_code: int
    actor_id: uuid.UUID | str | None
    actor_agency_id: uuid.UUID | str | None
    actor_roles: str
    subject_person_id: uuid.UUID | str | None
    subject_case_id: uuid.UUID | str | None
    object_type: str
    object_id: str
    purpose: str
    details: str  # already canonical JSON text


def canonical_bytes(entry: EntryFields) -> bytes:
    document = {
        "v": ENCODING_VERSION,
        "id": _uuid(entry.entry_id),
        "at": format_timestamp(entry.occurred_at),
        "event": int(entry.event_code),
        "actor": _uuid(entry.actor_id),
        "agency": _uuid(entry.actor_agency_id),
        "roles": entry.actor_roles,
        "person": _uuid(entry.subject_person_id),
        "case": _uuid(entry.subject_case_id),
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "purpose": entry.purpose,
        "details": json.loads(entry.details) if entry.details else {},
    }
    return canonical_json(document).encode("ascii")
