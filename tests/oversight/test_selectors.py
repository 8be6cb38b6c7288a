"""Oversight reads: a record's history, notifications and the unusual-access scan."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings as SettingsWrapper

from safeshare.access.scopes import (
    access_reviews_visible_to,
    cases_notifying,
    people_notifying,
    reads_reviewable_by,
)
from safeshare.agencies.models import Practitioner, Role
from safeshare.cases.models import CaseAllocation
from safeshare.cases.services import case_set_status
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.oversight.models import AccessReview, NotificationMarker, ReviewOutcome
from safeshare.oversight.selectors import (
    access_review_overview,
    entry_rows,
    flagged_reads,
    notification_rows,
    notifications_unread_count,
    outside_reads,
    read_flag_reasons,
    record_access_entries,
    review_window_start,
)
from safeshare.oversight.unusual import Reason
from tests.conftest import World
from tests.factories import AddressFactory, CaseFactory, InvolvementFactory, PractitionerFactory
from tests.oversight.helpers import AT_WORK, LATE, allocations_since_2020, open_case, read

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def at_work(world: World) -> Iterator[dt.datetime]:
    allocations_since_2020(world)
    with clock.frozen(AT_WORK):
        yield AT_WORK


def _ig(world: World) -> Practitioner:
    return PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])


# --- Who has seen or changed this record ---------------------------------------------------------


def test_case_history_is_every_entry_about_the_case_newest_first(world: World) -> None:
    first = open_case(world.worker, world.case, at=AT_WORK - dt.timedelta(hours=2))
    case_set_status(actor=world.worker, case=world.case, status="child_protection")
    last = open_case(world.outsider, world.case)
    unrelated = open_case(world.worker, world.other_case)
    entries = list(record_access_entries(record=world.case))
    assert entries[0] == last
    assert entries[-1] == first
    assert unrelated not in entries
    assert [e.event_code for e in entries].count(int(Event.CASE_STATUS_CHANGED)) == 1


def test_case_history_filters_reads_changes_and_outside_access(world: World) -> None:
    mine = open_case(world.worker, world.case)
    case_set_status(actor=world.worker, case=world.case, status="child_protection")
    theirs = open_case(world.outsider, world.case)
    reads = set(record_access_entries(record=world.case, show="reads"))
    changes = list(record_access_entries(record=world.case, show="changes"))
    outside = list(record_access_entries(record=world.case, show="outside"))
    assert {mine, theirs} <= reads
    assert [e.event_code for e in changes] == [int(Event.CASE_STATUS_CHANGED)]
    assert outside == [theirs]


def test_person_history_includes_their_cases(world: World) -> None:
    case_entry = open_case(world.outsider, world.case)
    person_entry = read(Event.PERSON_VIEWED, world.worker, person=world.case.subject)
    assert {case_entry, person_entry} <= set(record_access_entries(record=world.case.subject))


def test_history_rows_name_the_actor_agency_roles_and_purpose(world: World) -> None:
    entry = open_case(world.outsider, world.case)
    (row,) = entry_rows(entries=[entry], agency_id=world.agency.pk)
    assert row.actor == world.outsider.full_name
    assert row.agency == world.other_agency.name
    assert row.roles == ("Designated safeguarding lead or manager",)
    assert row.outside
    assert row.is_read
    assert row.event == "Opened the case"
    assert row.purpose == "Not recorded"


def test_history_rows_take_two_queries_however_many_entries(world: World) -> None:
    entries = [open_case(world.outsider, world.case) for _ in range(5)]
    entries += [open_case(world.worker, world.case) for _ in range(5)]
    with CaptureQueriesContext(connection) as queries:
        entry_rows(entries=entries, agency_id=world.agency.pk)
    assert len(queries) == 2


# --- Notifications -------------------------------------------------------------------------------


def _unread(world: World, practitioner: Practitioner) -> int:
    return notifications_unread_count(
        practitioner=practitioner,
        cases=cases_notifying(practitioner),
        people=people_notifying(practitioner),
    )


def test_outside_read_notifies_the_allocated_worker_and_the_dsl_only(world: World) -> None:
    open_case(world.outsider, world.case)
    assert _unread(world, world.worker) == 1
    assert _unread(world, world.dsl) == 1
    assert _unread(world, world.colleague) == 0
    assert _unread(world, world.outsider) == 0


def test_reads_inside_the_agency_do_not_notify(world: World) -> None:
    open_case(world.dsl, world.case)
    open_case(world.colleague, world.case)
    assert _unread(world, world.worker) == 0


def test_outside_read_of_someone_involved_notifies_the_worker(world: World) -> None:
    parent = InvolvementFactory(case=world.case).person
    read(Event.PERSON_VIEWED, world.outsider, person=parent)
    assert _unread(world, world.worker) == 1


def test_outside_reads_before_the_window_are_not_counted(
    world: World, settings: SettingsWrapper
) -> None:
    settings.SAFESHARE_NOTIFICATION_WINDOW_DAYS = 7
    open_case(world.outsider, world.case, at=AT_WORK - dt.timedelta(days=8))
    assert _unread(world, world.worker) == 0


def test_notifications_after_the_marker_are_new(world: World) -> None:
    old = open_case(world.outsider, world.case, at=AT_WORK - dt.timedelta(hours=1))
    NotificationMarker.objects.create(practitioner=world.worker, seen_up_to=old.id)
    new = open_case(world.outsider, world.case)
    assert _unread(world, world.worker) == 1
    cases, people = cases_notifying(world.worker), people_notifying(world.worker)
    entries = list(
        outside_reads(
            cases=cases, people=people, agency_id=world.agency.pk, since=AT_WORK - dt.timedelta(1)
        )
    )
    assert entries == [new, old]
    rows = notification_rows(entries=entries, marker=old.id, cases=cases, people=people)
    assert [row.is_new for row in rows] == [True, False]
    assert rows[0].case == world.case
    assert rows[0].person == world.case.subject
    assert rows[0].agency == world.other_agency.name


def test_the_unread_count_is_one_query(world: World) -> None:
    open_case(world.outsider, world.case)
    cases, people = cases_notifying(world.worker), people_notifying(world.worker)
    with CaptureQueriesContext(connection) as queries:
        count = notifications_unread_count(practitioner=world.worker, cases=cases, people=people)
    assert count == 1
    assert len(queries) == 1


# --- The unusual-access scan ---------------------------------------------------------------------


def _reasons(world: World, entry: object) -> tuple[Reason, ...]:
    flagged = flagged_reads(reads=reads_reviewable_by(_ig(world)), since=review_window_start())
    return next((f.reasons for f in flagged if f.read.id == entry.id), ())  # type: ignore[attr-defined]


def test_allocated_worker_opening_their_case_at_work_is_not_flagged(world: World) -> None:
    entry = open_case(world.worker, world.case)
    assert _reasons(world, entry) == ()
    assert read_flag_reasons(entry=entry) == ()


def test_allocated_worker_opening_their_case_late_at_night_is_flagged(world: World) -> None:
    entry = open_case(world.worker, world.case, at=LATE - dt.timedelta(days=1))
    assert _reasons(world, entry) == (Reason.OUT_OF_HOURS,)


def test_dsl_opening_a_case_without_allocation_is_break_glass(world: World) -> None:
    entry = open_case(world.dsl, world.case)
    assert _reasons(world, entry) == (Reason.NO_ALLOCATION,)
    assert read_flag_reasons(entry=entry) == (Reason.NO_ALLOCATION,)


def test_worker_opening_after_their_allocation_ended_is_break_glass(world: World) -> None:
    CaseAllocation.objects.filter(practitioner=world.worker).update(ended_on=dt.date(2026, 11, 1))
    entry = open_case(world.worker, world.case)
    assert _reasons(world, entry) == (Reason.NO_ALLOCATION,)


def test_worker_opening_a_person_in_their_case_is_not_break_glass(world: World) -> None:
    parent = InvolvementFactory(case=world.case).person
    child_read = read(Event.PERSON_VIEWED, world.worker, person=world.case.subject)
    parent_read = read(Event.PERSON_VIEWED, world.worker, person=parent)
    assert _reasons(world, child_read) == ()
    assert _reasons(world, parent_read) == ()


def test_outside_agency_read_is_flagged_for_the_holding_agency(world: World) -> None:
    entry = open_case(world.outsider, world.case)
    assert _reasons(world, entry) == (Reason.OUTSIDE_AGENCY,)


def test_opening_a_person_with_a_protected_address_is_flagged(world: World) -> None:
    AddressFactory(person=world.case.subject, is_protected=True)
    entry = open_case(world.worker, world.case)
    assert _reasons(world, entry) == (Reason.PROTECTED_ADDRESS,)


def test_opening_many_children_in_an_hour_is_flagged_past_the_limit(
    world: World, settings: SettingsWrapper
) -> None:
    settings.SAFESHARE_ACCESS_REVIEW_HOURLY_LIMIT = 2
    cases = [CaseFactory(agency=world.agency) for _ in range(3)]
    for case in cases:
        CaseAllocation.objects.create(
            case=case, practitioner=world.worker, started_on=dt.date(2020, 1, 1)
        )
    entries = [
        open_case(world.worker, case, at=AT_WORK + dt.timedelta(minutes=n))
        for n, case in enumerate(cases)
    ]
    with clock.frozen(AT_WORK + dt.timedelta(minutes=5)):
        assert [_reasons(world, e) for e in entries] == [(), (), (Reason.MANY_CHILDREN,)]
        assert read_flag_reasons(entry=entries[2]) == (Reason.MANY_CHILDREN,)


def test_the_hour_before_the_window_counts_towards_the_limit(
    world: World, settings: SettingsWrapper
) -> None:
    settings.SAFESHARE_ACCESS_REVIEW_HOURLY_LIMIT = 1
    settings.SAFESHARE_ACCESS_REVIEW_WINDOW_DAYS = 1
    other = CaseFactory(agency=world.agency)
    CaseAllocation.objects.create(
        case=other, practitioner=world.worker, started_on=dt.date(2020, 1, 1)
    )
    start = AT_WORK - dt.timedelta(days=1)
    open_case(world.worker, world.case, at=start - dt.timedelta(minutes=10))  # before the window
    entry = open_case(world.worker, other, at=start + dt.timedelta(minutes=10))
    assert _reasons(world, entry) == (Reason.MANY_CHILDREN,)


def test_oversight_reads_and_list_pages_are_not_break_glass(world: World) -> None:
    listed = read(Event.CASE_LISTED, world.dsl, case=world.case)
    looked = read(Event.RECORD_ACCESS_VIEWED, world.dsl, case=world.case)
    assert _reasons(world, listed) == ()
    assert _reasons(world, looked) == ()
    assert read_flag_reasons(entry=looked) == ()


def test_the_scan_takes_the_same_number_of_queries_however_many_reads(world: World) -> None:
    ig = _ig(world)

    def queries_for_scan() -> int:
        with CaptureQueriesContext(connection) as queries:
            flagged_reads(reads=reads_reviewable_by(ig), since=review_window_start())
        return len(queries)

    open_case(world.dsl, world.case)
    few = queries_for_scan()
    for n in range(30):
        open_case(world.dsl if n % 2 else world.outsider, world.case)
        read(Event.PERSON_VIEWED, world.dsl, person=CaseFactory(agency=world.agency).subject)
    assert queries_for_scan() == few


def test_the_queue_leaves_out_reviewed_reads_and_counts_them_per_day(world: World) -> None:
    ig = _ig(world)
    reviewed = open_case(world.dsl, world.case, at=AT_WORK - dt.timedelta(days=1))
    waiting = open_case(world.outsider, world.case)
    AccessReview.objects.create(
        entry=reviewed,
        agency=world.agency,
        reviewer=ig,
        reasons=["no_allocation"],
        outcome=ReviewOutcome.APPROPRIATE,
    )
    overview = access_review_overview(
        reads=reads_reviewable_by(ig),
        reviews=access_reviews_visible_to(ig),
        agency_id=world.agency.pk,
    )
    assert [f.read.id for f in overview.queue] == [waiting.id]
    by_day = {day.day: (day.flagged, day.awaiting) for day in overview.per_day}
    assert by_day[dt.date(2026, 11, 17)] == (1, 0)
    assert by_day[dt.date(2026, 11, 18)] == (1, 1)
    assert len(overview.per_day) == 29  # 28 days back and today
    assert sum(day.flagged for day in overview.per_day) == 2


def test_another_agencys_review_does_not_empty_our_queue(world: World) -> None:
    theirs = PractitionerFactory(agency=world.other_agency, roles=[Role.INFORMATION_GOVERNANCE])
    entry = open_case(world.outsider, world.case)
    AccessReview.objects.create(
        entry=entry,
        agency=world.other_agency,
        reviewer=theirs,
        reasons=["outside_agency"],
        outcome=ReviewOutcome.APPROPRIATE,
    )
    ig = _ig(world)
    overview = access_review_overview(
        reads=reads_reviewable_by(ig),
        reviews=access_reviews_visible_to(ig),
        agency_id=world.agency.pk,
    )
    assert [f.read.id for f in overview.queue] == [entry.id]


def test_the_database_prefilter_keeps_exactly_the_reads_a_rule_flags(
    world: World, settings: SettingsWrapper
) -> None:
    """The queue lets the database leave out reads no rule could flag: on a varied set of reads
    it must come to the same answer as running every rule over every read."""
    settings.SAFESHARE_ACCESS_REVIEW_HOURLY_LIMIT = 3
    rng = random.Random(20261118)
    ig = _ig(world)
    cases = [world.case, *(CaseFactory(agency=world.agency) for _ in range(6))]
    allocated = [
        (dt.date(2020, 1, 1), None),
        (dt.date(2026, 11, 17), None),  # started yesterday
        (dt.date(2020, 1, 1), dt.date(2026, 11, 16)),  # ended two days ago
        (dt.date(2020, 1, 1), dt.date(2026, 11, 17)),  # ended yesterday
    ]
    for case, (started, ended) in zip(cases[1:], allocated, strict=False):
        CaseAllocation.objects.create(
            case=case, practitioner=world.worker, started_on=started, ended_on=ended
        )
    AddressFactory(person=cases[2].subject, is_protected=True)
    InvolvementFactory(case=world.case, person=cases[5].subject)
    actors = [world.worker, world.worker, world.worker, world.colleague, world.dsl, world.outsider]
    events = [Event.CASE_VIEWED, Event.ITEM_VIEWED, Event.CASE_LISTED, Event.PERSON_VIEWED]
    for _ in range(250):
        actor, event, case = rng.choice(actors), rng.choice(events), rng.choice(cases)
        at = AT_WORK - dt.timedelta(minutes=rng.randrange(3 * 24 * 60))
        if event == Event.PERSON_VIEWED:
            read(event, actor, person=case.subject, at=at)
        else:
            read(event, actor, case=case, at=at)
    # A burst in working hours: five children within minutes, the last two otherwise ordinary.
    burst = [
        open_case(world.worker, case, at=AT_WORK - dt.timedelta(days=1) + dt.timedelta(minutes=n))
        for n, case in enumerate([cases[3], cases[4], cases[2], cases[0], cases[1]])
    ]
    open_case(world.dsl, world.other_case)  # our DSL reading another agency's case
    since = review_window_start()
    everything = flagged_reads(reads=reads_reviewable_by(ig), since=since)
    prefiltered = flagged_reads(reads=reads_reviewable_by(ig), since=since, agency_id=ig.agency_id)
    assert [(f.read.id, f.reasons) for f in prefiltered] == [
        (f.read.id, f.reasons) for f in everything
    ]
    reasons = {f.read.id: f.reasons for f in prefiltered}
    assert [reasons.get(entry.id) for entry in burst[3:]] == [(Reason.MANY_CHILDREN,)] * 2
    found = {reason for f in everything for reason in f.reasons}
    assert found == set(Reason)
    assert len(everything) < 255  # some reads were ordinary, so the prefilter had work to do
