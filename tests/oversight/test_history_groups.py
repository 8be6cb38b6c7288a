"""Who has seen a record, grouped: one row per person, day (UK time) and kind of access, with
how many times and the first and last time; narrowed by days, agency, person and kind; the
choices offered are those in the record's history. Many reads across days and people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeshare.agencies.models import Practitioner
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.ledger.services import Subject, ledger_append
from safeshare.oversight.labels import event_label
from safeshare.oversight.selectors import (
    SYSTEM_ACTOR,
    AccessGroupRow,
    RecordAccessFilters,
    group_rows,
    record_access_choices,
    record_access_entries,
    record_access_groups,
)
from tests.conftest import World
from tests.oversight.helpers import UTC, allocations_since_2020, open_case, read

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 16, 9, 0, tzinfo=UTC)  # GMT: UK time is UTC
TUESDAY = MONDAY + dt.timedelta(days=1)


def _reads(actor: Practitioner, world: World, start: dt.datetime, times: int) -> None:
    """``times`` openings of the case, a minute apart from ``start``."""
    for n in range(times):
        open_case(actor, world.case, at=start + dt.timedelta(minutes=n))


@pytest.fixture
def busy(world: World) -> World:
    """Monday: the worker opens the case 40 times, the outsider 3; Tuesday: the worker 25 times
    and lists it twice, the DSL once."""
    allocations_since_2020(world)
    _reads(world.worker, world, MONDAY, 40)
    _reads(world.outsider, world, MONDAY + dt.timedelta(hours=2), 3)
    _reads(world.worker, world, TUESDAY, 25)
    for n in range(2):
        read(
            Event.CASE_LISTED,
            world.worker,
            case=world.case,
            at=TUESDAY + dt.timedelta(hours=3, minutes=n),
        )
    open_case(world.dsl, world.case, at=TUESDAY + dt.timedelta(hours=5))
    return world


def _groups(world: World, **filters: object) -> list[AccessGroupRow]:
    entries = record_access_entries(record=world.case, filters=RecordAccessFilters(**filters))  # type: ignore[arg-type]
    return group_rows(groups=list(record_access_groups(entries=entries)), agency_id=world.agency.pk)


def test_reads_are_grouped_by_person_day_and_kind_seen_last_first(busy: World) -> None:
    groups = _groups(busy)
    summary = [(g.actor, g.day, g.event, g.times) for g in groups]
    assert summary == [
        (busy.dsl.full_name, TUESDAY.date(), "Opened the case", 1),
        (busy.worker.full_name, TUESDAY.date(), event_label(Event.CASE_LISTED), 2),
        (busy.worker.full_name, TUESDAY.date(), "Opened the case", 25),
        (busy.outsider.full_name, MONDAY.date(), "Opened the case", 3),
        (busy.worker.full_name, MONDAY.date(), "Opened the case", 40),
    ]
    monday_worker = groups[-1]
    assert monday_worker.first_at == MONDAY
    assert monday_worker.last_at == MONDAY + dt.timedelta(minutes=39)
    assert monday_worker.agency == busy.agency.name
    assert monday_worker.is_read
    assert not monday_worker.outside
    outsider = groups[-2]
    assert outsider.outside
    assert outsider.agency == busy.other_agency.name
    # Every read is in exactly one group.
    assert sum(g.times for g in groups) == record_access_entries(record=busy.case).count()


def test_days_are_uk_calendar_days(world: World) -> None:
    # 23:30 UTC on 1 June is 00:30 on 2 June in the UK (BST).
    late = dt.datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    open_case(world.worker, world.case, at=late - dt.timedelta(hours=1))  # 23:30 BST, 1 June
    open_case(world.worker, world.case, at=late)
    days = sorted(g.day for g in _groups(world))
    assert days == [dt.date(2026, 6, 1), dt.date(2026, 6, 2)]
    only_second = _groups(world, date_from=dt.date(2026, 6, 2), date_to=dt.date(2026, 6, 2))
    assert [(g.day, g.times, g.first_at) for g in only_second] == [(dt.date(2026, 6, 2), 1, late)]


def test_filters_narrow_by_days_agency_person_and_kind(busy: World) -> None:
    monday = _groups(busy, date_from=MONDAY.date(), date_to=MONDAY.date())
    assert {(g.actor, g.times) for g in monday} == {
        (busy.worker.full_name, 40),
        (busy.outsider.full_name, 3),
    }
    from_tuesday = _groups(busy, date_from=TUESDAY.date())
    assert {g.day for g in from_tuesday} == {TUESDAY.date()}
    outside = _groups(busy, agency_id=busy.other_agency.pk)
    assert [(g.actor, g.times) for g in outside] == [(busy.outsider.full_name, 3)]
    worker = _groups(busy, actor=busy.worker.pk)
    assert sum(g.times for g in worker) == 40 + 25 + 2
    listed = _groups(busy, event_code=int(Event.CASE_LISTED))
    assert [(g.actor, g.times) for g in listed] == [(busy.worker.full_name, 2)]
    one_group = record_access_entries(
        record=busy.case,
        filters=RecordAccessFilters(
            actor=busy.worker.pk,
            date_from=TUESDAY.date(),
            date_to=TUESDAY.date(),
            event_code=int(Event.CASE_VIEWED),
        ),
    )
    assert one_group.count() == 25
    assert next(iter(one_group.values_list("occurred_at", flat=True))) == TUESDAY + dt.timedelta(
        minutes=24
    )  # newest first


def test_show_outside_and_the_filters_combine(busy: World) -> None:
    groups = _groups(busy, show="outside", date_from=TUESDAY.date())
    assert groups == []
    groups = _groups(busy, show="outside")
    assert [g.actor for g in groups] == [busy.outsider.full_name]


def test_entries_safeshare_itself_wrote_group_and_filter_as_system(world: World) -> None:
    with clock.frozen(MONDAY):
        ledger_append(
            event=Event.CASE_VIEWED,
            actor=None,
            subject=Subject(person_id=world.case.subject_id, case_id=world.case.pk),
            obj=world.case,
        )
    open_case(world.worker, world.case, at=MONDAY)
    (system,) = _groups(world, actor=SYSTEM_ACTOR)
    assert system.actor == "SafeShare itself"
    assert system.actor_id is None
    assert system.actor_value == SYSTEM_ACTOR
    assert (SYSTEM_ACTOR, "SafeShare itself") in record_access_choices(record=world.case).people


def test_the_choices_are_who_and_what_appear_in_the_history(busy: World) -> None:
    choices = record_access_choices(record=busy.case)
    people = dict(choices.people)
    assert set(people) == {str(busy.worker.pk), str(busy.outsider.pk), str(busy.dsl.pk)}
    assert people[str(busy.worker.pk)] == busy.worker.full_name
    assert dict(choices.agencies) == {
        str(busy.agency.pk): busy.agency.name,
        str(busy.other_agency.pk): busy.other_agency.name,
    }
    assert dict(choices.kinds) == {
        str(int(Event.CASE_VIEWED)): "Opened the case",
        str(int(Event.CASE_LISTED)): event_label(Event.CASE_LISTED),
    }
    outside = record_access_choices(record=busy.case, show="outside")
    assert [pk for pk, _ in outside.people] == [str(busy.outsider.pk)]


def test_a_page_of_groups_costs_the_same_few_queries_however_many_reads(busy: World) -> None:
    def page_queries() -> int:
        entries = record_access_entries(record=busy.case, filters=RecordAccessFilters())
        with CaptureQueriesContext(connection) as captured:
            groups = record_access_groups(entries=entries)
            groups.count()
            group_rows(groups=list(groups[:50]), agency_id=busy.agency.pk)
        return len(captured.captured_queries)

    before = page_queries()
    _reads(busy.colleague, busy, TUESDAY + dt.timedelta(hours=6), 60)
    assert page_queries() == before == 4  # count, groups, names, agencies
    assert LedgerEntry.objects.filter(subject_case_id=busy.case.pk).count() > 130


def test_no_two_kinds_of_entry_share_a_label() -> None:
    """Groups and the "Kind of access" filter name each kind by its label: two events with the
    same words (creating a case and opening it were both "Opened the case") would read as one."""
    from collections import Counter

    from safeshare.oversight.labels import EVENT_LABELS

    shared = {label: n for label, n in Counter(EVENT_LABELS.values()).items() if n > 1}
    assert shared == {}
