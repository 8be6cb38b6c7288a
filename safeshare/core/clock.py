"""The one source of the current time, so tests can move it without sleeping.

Always timezone-aware UTC. Tests use ``frozen(...)`` or ``advance(...)``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

_offset = dt.timedelta(0)
_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current time, aware, in UTC."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now(dt.UTC) + _offset


def today() -> dt.date:
    """Today's date in the UK (Europe/London), which is what practitioners mean by 'today'."""
    from zoneinfo import ZoneInfo

    return now().astimezone(ZoneInfo("Europe/London")).date()


@contextlib.contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    """Stop the clock at ``at`` (aware) for the duration of the block."""
    global _frozen
    if at.tzinfo is None:
        raise ValueError("frozen() needs an aware datetime")
    previous = _frozen
    _frozen = at.astimezone(dt.UTC)
    try:
        yield
    finally:
        _frozen = previous


@contextlib.contextmanager
def advanced(by: dt.timedelta) -> Iterator[None]:
    """Move the clock forward by ``by`` for the duration of the block."""
    global _offset, _frozen
    previous_offset, previous_frozen = _offset, _frozen
    if _frozen is not None:
        _frozen = _frozen + by
    else:
        _offset = _offset + by
    try:
        yield
    finally:
        _offset, _frozen = previous_offset, previous_frozen
