"""Who has seen a record through the API, grouped (``group=person_day_kind``) like the web page:
one group per person, day and kind, with how many times and the first and last time; the same
filters (days, agency, practitioner, event); 422 for a bad one; every request recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from safeshare.agencies.models import Practitioner
from safeshare.core import clock
from safeshare.ledger.events import Event
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.conftest import World
from tests.oversight.helpers import UTC, allocations_since_2020, open_case

pytestmark = pytest.mark.django_db

Caller = Callable[[Practitioner], ApiCaller]

MONDAY = dt.datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
TUESDAY = MONDAY + dt.timedelta(days=1)
LATER = dt.datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def later(world: World) -> Iterator[None]:
    allocations_since_2020(world)
    with clock.frozen(LATER):
        yield


@pytest.fixture
def busy(world: World) -> World:
    for n in range(30):
        open_case(world.worker, world.case, at=MONDAY + dt.timedelta(minutes=n))
    for n in range(4):
        open_case(world.outsider, world.case, at=TUESDAY + dt.timedelta(minutes=n))
    for n in range(12):
        open_case(world.worker, world.case, at=TUESDAY + dt.timedelta(hours=1, minutes=n))
    return world


def path_of(world: World) -> str:
    return f"/api/cases/{world.case.pk}/record-access"


def test_dsl_lists_the_history_grouped_by_person_day_and_kind(busy: World, call_as: Caller) -> None:
    response = call_as(busy.dsl).get(path_of(busy), group="person_day_kind", show="reads")
    assert response.status_code == 200
    body = response.json()
    assert body["group"] == "person_day_kind"
    opened = [
        (g["actor"], g["day"], g["times"])
        for g in body["groups"]
        if g["event"] == "Opened the case"
    ]
    assert opened == [
        (busy.worker.full_name, "2026-11-17", 12),
        (busy.outsider.full_name, "2026-11-17", 4),
        (busy.worker.full_name, "2026-11-16", 30),
    ]
    monday = body["groups"][-1]
    assert monday["first_at"].startswith("2026-11-16T09:00")
    assert monday["last_at"].startswith("2026-11-16T09:29")
    assert monday["actor_id"] == str(busy.worker.pk)
    assert monday["actor_agency"] == busy.agency.name
    assert monday["outside_agency"] is False
    assert monday["is_read"] is True
    assert body["count"] == len(body["groups"])
    assert ledger_count(Event.RECORD_ACCESS_VIEWED, actor_id=busy.dsl.pk) == 1


def test_the_filters_narrow_entries_and_groups_alike(busy: World, call_as: Caller) -> None:
    dsl = call_as(busy.dsl)
    police = dsl.get(
        path_of(busy), group="person_day_kind", agency_id=str(busy.other_agency.pk)
    ).json()
    assert [(g["actor"], g["times"]) for g in police["groups"]] == [(busy.outsider.full_name, 4)]
    one_day = dsl.get(
        path_of(busy),
        actor_id=str(busy.worker.pk),
        date_from="2026-11-16",
        date_to="2026-11-16",
        event_code=int(Event.CASE_VIEWED),
        limit=100,
    ).json()
    assert one_day["count"] == 30
    assert {item["actor"] for item in one_day["items"]} == {busy.worker.full_name}
    assert "groups" not in one_day  # every entry on its own unless asked to group
    paged = dsl.get(path_of(busy), group="person_day_kind", limit=1, offset=1).json()
    assert len(paged["groups"]) == 1
    assert paged["offset"] == 1


@pytest.mark.parametrize(
    "query",
    [
        {"group": "by_person"},
        {"date_from": "2026-13-01"},
        {"date_from": "2026-11-17", "date_to": "2026-11-16"},
        {"agency_id": "police"},
        {"event_code": "0"},
    ],
)
def test_a_bad_filter_is_422_and_recorded_nothing(
    busy: World, call_as: Caller, query: dict[str, str]
) -> None:
    response = call_as(busy.dsl).get(path_of(busy), **query)
    assert response.status_code == 422, response.content
    assert ledger_count(Event.RECORD_ACCESS_VIEWED) == 0


def test_a_range_that_ends_before_it_starts_names_date_to(busy: World, call_as: Caller) -> None:
    response = call_as(busy.dsl).get(path_of(busy), date_from="2026-11-17", date_to="2026-11-16")
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "date_to"
    assert "date_to must be the same as or after date_from" in str(body["detail"])


def test_another_agency_gets_404_grouped_or_not(busy: World, call_as: Caller) -> None:
    response = call_as(busy.outsider).get(path_of(busy), group="person_day_kind")
    assert response.status_code == 404
    assert response.json() == not_found_body()
