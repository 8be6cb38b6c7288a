"""Working days: weekends and bank holidays skipped, wall-clock time kept across clock changes."""

from __future__ import annotations

import datetime as dt

import pytest

from safeshare.core.workdays import add_working_days, is_working_day


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2026-11-23T12:00:00+00:00", "2026-11-24T12:00:00+00:00"),  # Monday -> Tuesday
        ("2026-11-27T12:00:00+00:00", "2026-11-30T12:00:00+00:00"),  # Friday -> Monday
        ("2026-12-24T09:00:00+00:00", "2026-12-29T09:00:00+00:00"),  # over Christmas
        ("2026-04-02T10:00:00+01:00", "2026-04-07T10:00:00+01:00"),  # over Easter
        ("2026-10-23T12:00:00+01:00", "2026-10-26T12:00:00+00:00"),  # clocks go back
    ],
)
def test_one_working_day_later(start: str, expected: str) -> None:
    assert add_working_days(dt.datetime.fromisoformat(start), 1) == dt.datetime.fromisoformat(
        expected
    )


def test_weekends_and_bank_holidays_are_not_working_days() -> None:
    assert not is_working_day(dt.date(2026, 11, 28))
    assert not is_working_day(dt.date(2026, 12, 25))
    assert is_working_day(dt.date(2026, 11, 23))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_working_days(dt.datetime(2026, 1, 1), 1)  # noqa: DTZ001
