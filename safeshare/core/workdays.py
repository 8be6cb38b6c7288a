"""Working days in England (pure): Monday to Friday, except England and Wales bank holidays.

The bank holiday list is data and must be extended each year (gov.uk publishes it); a date past
the last listed year is treated as a working day unless it falls at a weekend.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")

BANK_HOLIDAYS_ENGLAND_AND_WALES = frozenset(
    dt.date.fromisoformat(day)
    for day in (
        "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
        "2025-12-25", "2025-12-26",
        "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
        "2026-12-25", "2026-12-28",
        "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
        "2027-12-27", "2027-12-28",
    )
)  # fmt: skip


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS_ENGLAND_AND_WALES


def add_working_days(moment: dt.datetime, days: int) -> dt.datetime:
    """The same UK wall-clock time ``days`` working days later (aware, in UTC)."""
    if moment.tzinfo is None:
        raise ValueError("add_working_days needs an aware datetime")
    local = moment.astimezone(UK)
    day = local.date()
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    result = dt.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=UK)
    return result.astimezone(dt.UTC)
