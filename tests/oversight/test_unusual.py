"""The unusual-access rules, one at a time, on plain reads (no database)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from safeshare.ledger.events import Event
from safeshare.oversight.unusual import (
    RULES,
    Read,
    Reason,
    ScanContext,
    flag,
    many_children,
    no_allocation,
    non_working_periods,
    out_of_hours,
    outside_agency,
    protected_address,
    reads_over_hourly_limit,
    reason_label,
    reasons_for,
    within_working_hours,
)

UTC = dt.UTC
OUR_AGENCY, OTHER_AGENCY = uuid.uuid4(), uuid.uuid4()
WORKER, OTHER_WORKER = uuid.uuid4(), uuid.uuid4()
CHILD = uuid.uuid4()
WEDNESDAY_10AM = dt.datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # GMT: 10:00 in the UK

_ids = iter(range(1, 1_000_000))


def a_read(**changes: Any) -> Read:
    fields: dict[str, Any] = {
        "id": next(_ids),
        "entry_id": uuid.uuid4(),
        "occurred_at": WEDNESDAY_10AM,
        "event_code": int(Event.CASE_VIEWED),
        "actor_id": WORKER,
        "actor_agency_id": OUR_AGENCY,
        "person_id": CHILD,
        "case_id": uuid.uuid4(),
        "owning_agency_id": OUR_AGENCY,
        "is_open": True,
    }
    fields.update(changes)
    return Read(**fields)


CONTEXT = ScanContext()


def test_every_reason_has_a_rule_and_a_label() -> None:
    assert [reason for reason, _ in RULES] == list(Reason)
    assert all(reason_label(reason) != reason.value for reason in Reason)


# --- outside_agency ------------------------------------------------------------------------------


def test_read_by_another_agency_is_outside_access() -> None:
    assert outside_agency(a_read(actor_agency_id=OTHER_AGENCY), CONTEXT)


def test_list_hit_by_another_agency_is_outside_access_too() -> None:
    assert outside_agency(a_read(actor_agency_id=OTHER_AGENCY, is_open=False), CONTEXT)


def test_read_by_the_holding_agency_is_not_outside_access() -> None:
    assert not outside_agency(a_read(), CONTEXT)


def test_read_of_a_record_whose_holder_is_unknown_is_not_outside_access() -> None:
    assert not outside_agency(a_read(owning_agency_id=None), CONTEXT)


# --- out_of_hours --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "flagged"),
    [
        (dt.datetime(2026, 11, 18, 7, 0, tzinfo=UTC), False),  # 07:00 GMT, Wednesday
        (dt.datetime(2026, 11, 18, 19, 59, tzinfo=UTC), False),
        (dt.datetime(2026, 11, 18, 20, 0, tzinfo=UTC), True),
        (dt.datetime(2026, 11, 18, 6, 59, tzinfo=UTC), True),
        (dt.datetime(2026, 11, 21, 11, 0, tzinfo=UTC), True),  # Saturday
        (dt.datetime(2026, 11, 22, 11, 0, tzinfo=UTC), True),  # Sunday
        (dt.datetime(2026, 12, 25, 11, 0, tzinfo=UTC), True),  # Christmas Day (a Friday)
        (dt.datetime(2026, 8, 31, 11, 0, tzinfo=UTC), True),  # August bank holiday Monday
        (dt.datetime(2026, 7, 1, 19, 30, tzinfo=UTC), True),  # 20:30 British Summer Time
        (dt.datetime(2026, 7, 1, 6, 30, tzinfo=UTC), False),  # 07:30 British Summer Time
    ],
)
def test_open_outside_uk_working_hours_is_flagged(moment: dt.datetime, flagged: bool) -> None:
    assert out_of_hours(a_read(occurred_at=moment), CONTEXT) is flagged


def test_list_hit_out_of_hours_is_not_flagged_for_the_hour() -> None:
    late = dt.datetime(2026, 11, 18, 23, 0, tzinfo=UTC)
    assert not out_of_hours(a_read(occurred_at=late, is_open=False), CONTEXT)


def test_working_hours_come_from_the_context() -> None:
    nine_pm = dt.datetime(2026, 11, 18, 21, 0, tzinfo=UTC)
    assert within_working_hours(nine_pm, (7, 22))
    assert not out_of_hours(a_read(occurred_at=nine_pm), ScanContext(working_hours=(7, 22)))


# --- many_children -------------------------------------------------------------------------------


def _opens(actor: uuid.UUID, children: list[uuid.UUID], minutes: list[int]) -> list[Read]:
    return [
        a_read(
            actor_id=actor, person_id=child, occurred_at=WEDNESDAY_10AM + dt.timedelta(minutes=m)
        )
        for child, m in zip(children, minutes, strict=True)
    ]


def test_opens_past_the_limit_of_distinct_children_in_an_hour_are_flagged() -> None:
    children = [uuid.uuid4() for _ in range(5)]
    reads = _opens(WORKER, children, [0, 10, 20, 30, 59])
    over = reads_over_hourly_limit(reads, limit=3)
    assert over == {reads[3].id, reads[4].id}
    assert many_children(reads[3], ScanContext(over_hourly_limit=over))
    assert not many_children(reads[2], ScanContext(over_hourly_limit=over))


def test_opening_the_same_child_again_does_not_count_twice() -> None:
    children = [uuid.uuid4(), uuid.uuid4()]
    reads = _opens(WORKER, [children[0], children[1], children[0], children[1]], [0, 1, 2, 3])
    assert reads_over_hourly_limit(reads, limit=2) == frozenset()


def test_opens_spread_over_more_than_an_hour_are_not_flagged() -> None:
    children = [uuid.uuid4() for _ in range(4)]
    reads = _opens(WORKER, children, [0, 30, 61, 92])
    assert reads_over_hourly_limit(reads, limit=2) == frozenset()


def test_each_practitioner_has_their_own_hour() -> None:
    children = [uuid.uuid4() for _ in range(4)]
    mine = _opens(WORKER, children[:2], [0, 1])
    theirs = _opens(OTHER_WORKER, children[2:], [2, 3])
    assert reads_over_hourly_limit([*mine, *theirs], limit=2) == frozenset()


def test_list_hits_do_not_count_towards_the_limit() -> None:
    reads = [a_read(person_id=uuid.uuid4(), is_open=False) for _ in range(10)]
    assert reads_over_hourly_limit(reads, limit=1) == frozenset()


# --- no_allocation -------------------------------------------------------------------------------


def test_open_of_own_agency_record_without_allocation_is_break_glass() -> None:
    assert no_allocation(a_read(), CONTEXT)


def test_open_while_allocated_is_not_flagged() -> None:
    the_read = a_read()
    assert not no_allocation(the_read, ScanContext(allocated=frozenset({the_read.id})))


def test_outside_agency_open_is_not_break_glass() -> None:
    assert not no_allocation(a_read(actor_agency_id=OTHER_AGENCY), CONTEXT)


def test_list_hit_without_allocation_is_not_break_glass() -> None:
    assert not no_allocation(a_read(is_open=False), CONTEXT)


# --- protected_address ---------------------------------------------------------------------------


def test_open_of_a_person_with_a_protected_address_is_flagged() -> None:
    assert protected_address(a_read(), ScanContext(protected_people=frozenset({CHILD})))


def test_open_of_anyone_else_is_not_flagged_for_an_address() -> None:
    assert not protected_address(
        a_read(person_id=uuid.uuid4()), ScanContext(protected_people=frozenset({CHILD}))
    )
    assert not protected_address(
        a_read(person_id=None), ScanContext(protected_people=frozenset({CHILD}))
    )


# --- all rules together --------------------------------------------------------------------------


def test_a_read_can_be_flagged_for_several_reasons_in_rule_order() -> None:
    late = dt.datetime(2026, 11, 18, 23, 0, tzinfo=UTC)
    context = ScanContext(protected_people=frozenset({CHILD}))
    assert reasons_for(a_read(occurred_at=late), context) == (
        Reason.OUT_OF_HOURS,
        Reason.NO_ALLOCATION,
        Reason.PROTECTED_ADDRESS,
    )


def test_flag_keeps_only_reads_some_rule_flags() -> None:
    usual = a_read()
    unusual = a_read(actor_agency_id=OTHER_AGENCY)
    context = ScanContext(allocated=frozenset({usual.id}))
    flagged = flag([usual, unusual], context)
    assert [f.read for f in flagged] == [unusual]
    assert flagged[0].reasons == (Reason.OUTSIDE_AGENCY,)


def test_non_working_periods_are_exactly_the_hours_outside_working_hours() -> None:
    # Across the October clock change and a weekend, a minute into each hour and at its end.
    start = dt.datetime(2026, 10, 22, 0, 0, tzinfo=UTC)
    end = dt.datetime(2026, 10, 28, 0, 0, tzinfo=UTC)
    periods = non_working_periods(start, end, (7, 20))
    moment = start
    while moment < end:
        for probe in (moment + dt.timedelta(minutes=1), moment + dt.timedelta(minutes=59)):
            inside = any(a <= probe < b for a, b in periods)
            assert inside is not within_working_hours(probe, (7, 20)), probe
        moment += dt.timedelta(hours=1)
    assert all(a < b for a, b in periods)
    assert all(periods[n][1] < periods[n + 1][0] for n in range(len(periods) - 1))  # merged
