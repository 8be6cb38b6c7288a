"""Information items through the API: list (summaries), read (recorded), record, correct."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from safeshare.cases.models import CaseStatus, InformationItem, InformationItemRevision
from safeshare.core import clock
from safeshare.ledger.events import Event
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.conftest import World
from tests.factories import InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db

Caller = Callable[..., ApiCaller]


def item_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "child",
        "summary": "Missed health appointment",
        "content": "Fakechild was not brought to the clinic appointment on Tuesday.",
        "fact_or_opinion": "fact",
        "source": "Health visitor",
        "how_known": "agency_record",
        "event_date": "2025-06-02",
    }
    body.update(changes)
    return body


# --- List and read -------------------------------------------------------------------------------


def test_allocated_worker_can_list_case_items_as_summaries(world: World, call_as: Caller) -> None:
    response = call_as(world.worker).get(f"/api/cases/{world.case.pk}/items")
    assert response.status_code == 200
    [item] = response.json()
    assert (item["id"], item["summary"]) == (str(world.item.pk), world.item.summary)
    assert "content" not in item
    assert "source" not in item


def test_colleague_without_allocation_gets_404_for_case_items(
    world: World, call_as: Caller
) -> None:
    response = call_as(world.colleague).get(f"/api/cases/{world.case.pk}/items")
    assert response.status_code == 404
    assert response.json() == not_found_body()


def test_allocated_worker_can_read_item_and_the_read_is_recorded(
    world: World, call_as: Caller
) -> None:
    response = call_as(world.worker).get(f"/api/items/{world.item.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["content"], body["source"]) == (world.item.content, world.item.source)
    assert body["recorded_by"]["id"] == str(world.worker.pk)
    assert ledger_count(Event.ITEM_VIEWED, actor_id=world.worker.pk, object_id=str(world.item.pk))


def test_dsl_can_read_item_of_their_agency(world: World, call_as: Caller) -> None:
    assert call_as(world.dsl).get(f"/api/items/{world.item.pk}").status_code == 200


@pytest.mark.parametrize("who", ["outsider", "colleague"])
def test_practitioner_who_may_not_see_the_case_gets_404_for_item(
    world: World, call_as: Caller, who: str
) -> None:
    response = call_as(getattr(world, who)).get(f"/api/items/{world.item.pk}")
    assert response.status_code == 404
    assert response.json() == not_found_body()
    assert not ledger_count(Event.ITEM_VIEWED)


def test_404_for_missing_and_forbidden_item_is_identical(world: World, call_as: Caller) -> None:
    caller = call_as(world.outsider)
    forbidden = caller.get(f"/api/items/{world.item.pk}")
    missing = caller.get(f"/api/items/{uuid.uuid4()}")
    assert (forbidden.status_code, forbidden.content) == (missing.status_code, missing.content)


# --- Record --------------------------------------------------------------------------------------


def test_allocated_worker_can_record_item(world: World, call_as: Caller) -> None:
    response = call_as(world.worker).post(
        f"/api/cases/{world.case.pk}/items", item_body(special_category="health")
    )
    assert response.status_code == 201
    body = response.json()
    item = InformationItem.objects.get(pk=body["id"])
    assert (item.summary, item.special_category, item.recorded_by) == (
        "Missed health appointment",
        "health",
        world.worker,
    )
    assert body["about"]["id"] == str(world.case.subject_id)
    assert ledger_count(Event.ITEM_CREATED, actor_id=world.worker.pk, object_id=str(item.pk)) == 1


def test_item_can_be_about_someone_involved_in_the_case(world: World, call_as: Caller) -> None:
    parent = InvolvementFactory(case=world.case).person
    response = call_as(world.worker).post(
        f"/api/cases/{world.case.pk}/items", item_body(about_id=str(parent.pk))
    )
    assert response.status_code == 201
    assert response.json()["about"]["id"] == str(parent.pk)


def test_item_about_someone_the_worker_may_not_see_is_404_and_creates_nothing(
    world: World, call_as: Caller
) -> None:
    stranger = PersonFactory(agency=world.other_agency)
    before = InformationItem.objects.count()
    response = call_as(world.worker).post(
        f"/api/cases/{world.case.pk}/items", item_body(about_id=str(stranger.pk))
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found", "field": "about_id"}
    assert InformationItem.objects.count() == before


def test_practitioner_in_other_agency_cannot_record_item(world: World, call_as: Caller) -> None:
    before = InformationItem.objects.count()
    response = call_as(world.outsider).post(f"/api/cases/{world.case.pk}/items", item_body())
    assert response.status_code == 404
    assert InformationItem.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"summary": "x" * 201}, "summary"),
        ({"summary": 42}, "summary"),
        ({"is_confidential": "true"}, "is_confidential"),
        ({"criminal_offence_data": 1}, "criminal_offence_data"),
        ({"category": "gossip"}, "category"),
        ({"event_date": "05/01/2026"}, "event_date"),
        ({"event_date": 1767571200}, "event_date"),
        ({"content": "null byte \x00 here"}, "content"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_malformed_item_is_422_naming_the_field_and_creates_nothing(
    world: World, call_as: Caller, changes: dict[str, Any], field: str
) -> None:
    before = InformationItem.objects.count()
    response = call_as(world.worker).post(f"/api/cases/{world.case.pk}/items", item_body(**changes))
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert response.json()["detail"][0]["loc"][:2] == ["body", "payload"]
    assert InformationItem.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"summary": "   "}, "summary", "Enter a short summary"),
        ({"event_date": "2999-01-01"}, "event_date", "The date of the event must be today or in"),
    ],
)
def test_item_breaking_a_rule_is_422_with_the_rule_and_creates_nothing(
    world: World, call_as: Caller, changes: dict[str, Any], field: str, message: str
) -> None:
    before = InformationItem.objects.count()
    response = call_as(world.worker).post(f"/api/cases/{world.case.pk}/items", item_body(**changes))
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert response.json()["detail"].startswith(message)
    assert InformationItem.objects.count() == before


def test_recording_item_in_closed_case_is_409(world: World, call_as: Caller) -> None:
    world.case.status = CaseStatus.CLOSED
    world.case.save()
    before = InformationItem.objects.count()
    response = call_as(world.worker).post(f"/api/cases/{world.case.pk}/items", item_body())
    assert response.status_code == 409
    assert InformationItem.objects.count() == before


# --- Correct -------------------------------------------------------------------------------------


def test_allocated_worker_can_correct_item_with_a_reason(world: World, call_as: Caller) -> None:
    old_summary = world.item.summary
    response = call_as(world.worker).put(
        f"/api/items/{world.item.pk}",
        item_body(summary="Attended school tired and hungry", reason="Added detail"),
    )
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["summary"]) == (
        2,
        "Attended school tired and hungry",
    )
    revision = InformationItemRevision.objects.get(item=world.item)
    assert (revision.summary, revision.reason) == (old_summary, "Added detail")
    assert ledger_count(Event.ITEM_UPDATED, actor_id=world.worker.pk) == 1


@pytest.mark.parametrize(("reason", "status"), [(None, 422), ("   ", 422), ("x" * 1001, 422)])
def test_correcting_item_without_a_proper_reason_changes_nothing(
    world: World, call_as: Caller, reason: str | None, status: int
) -> None:
    body = item_body(summary="Changed")
    if reason is not None:
        body["reason"] = reason
    response = call_as(world.worker).put(f"/api/items/{world.item.pk}", body)
    assert response.status_code == status
    assert response.json()["field"] == "reason"
    world.item.refresh_from_db()
    assert (world.item.version, world.item.summary) == (1, "Attended school tired")
    assert not InformationItemRevision.objects.exists()


def test_practitioner_in_other_agency_gets_404_correcting_item(
    world: World, call_as: Caller
) -> None:
    response = call_as(world.outsider).put(
        f"/api/items/{world.item.pk}", item_body(reason="Because")
    )
    assert response.status_code == 404
    world.item.refresh_from_db()
    assert world.item.version == 1


def test_event_date_today_is_accepted(world: World, call_as: Caller) -> None:
    today = clock.today()
    response = call_as(world.worker).post(
        f"/api/cases/{world.case.pk}/items", item_body(event_date=today.isoformat())
    )
    assert response.status_code == 201
    assert response.json()["event_date"] == today.isoformat()
    assert dt.date.fromisoformat(response.json()["event_date"]) == today
