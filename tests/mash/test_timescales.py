"""The MASH timescales, table-driven (pure: no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from safeshare.mash.timescales import (
    TimescaleState,
    decision_due,
    enquiry_due,
    rating_due,
    timescale_state,
)

UTC = dt.UTC


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=UTC)  # March 2026: GMT (UTC+0)


def test_rating_is_due_two_hours_after_receipt() -> None:
    assert rating_due(at(10, 9)) == at(10, 11)


def test_enquiry_answer_is_due_24_hours_after_it_was_sent() -> None:
    assert enquiry_due(at(10, 9)) == at(11, 9)


@pytest.mark.parametrize(
    ("received", "rating", "due"),
    [
        (at(10, 9), "", at(11, 9)),  # Tuesday -> Wednesday
        (at(10, 9), "amber", at(11, 9)),
        (at(10, 9), "green", at(11, 9)),
        (at(13, 16), "", at(16, 16)),  # Friday -> Monday
        (at(14, 10), "amber", at(16, 10)),  # Saturday -> Monday
        (at(10, 9), "red", at(10, 13)),  # red: 4 hours, the same day
        (at(13, 16), "red", at(13, 20)),  # red on a Friday is not put off to Monday
    ],
)
def test_decision_is_due_one_working_day_after_receipt_or_4_hours_when_red(
    received: dt.datetime, rating: str, due: dt.datetime
) -> None:
    assert decision_due(received, rating) == due


def test_decision_skips_a_bank_holiday() -> None:
    thursday_before_good_friday = dt.datetime(2026, 4, 2, 9, tzinfo=UTC)
    # Good Friday 3 April and Easter Monday 6 April are bank holidays; BST is UTC+1.
    assert decision_due(thursday_before_good_friday) == dt.datetime(2026, 4, 7, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("done_at", "now", "state"),
    [
        (None, at(10, 10), TimescaleState.ON_TIME),
        (None, at(10, 12), TimescaleState.OVERDUE),
        (at(10, 10), at(10, 12), TimescaleState.MET),
        (at(10, 11, 30), at(10, 12), TimescaleState.MET_LATE),
        (at(10, 11), at(10, 12), TimescaleState.MET),  # exactly on time is on time
    ],
)
def test_timescale_state(
    done_at: dt.datetime | None, now: dt.datetime, state: TimescaleState
) -> None:
    assert timescale_state(at(10, 11), done_at=done_at, now=now) == state


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        rating_due(dt.datetime(2026, 3, 10, 9))  # noqa: DTZ001 - the point of the test
