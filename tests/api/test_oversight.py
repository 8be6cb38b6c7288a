"""Oversight through the API: who has seen a record, notifications, access review, SAR export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from safeshare.agencies.models import Practitioner, Role
from safeshare.core import clock
from safeshare.decisions.engine import ConsentState
from safeshare.ledger.events import Event
from safeshare.oversight.models import AccessReview, NotificationMarker
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent, record
from tests.factories import PractitionerFactory
from tests.oversight.helpers import AT_WORK, allocations_since_2020, open_case

pytestmark = pytest.mark.django_db

Caller = Callable[..., ApiCaller]


@pytest.fixture(autouse=True)
def at_work(world: World) -> Iterator[dt.datetime]:
    allocations_since_2020(world)
    with clock.frozen(AT_WORK):
        yield AT_WORK


@pytest.fixture
def ig(world: World) -> Practitioner:
    return PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])


# --- Who has seen this record --------------------------------------------------------------------


def test_dsl_lists_who_has_seen_the_case_and_the_request_is_recorded(
    world: World, call_as: Caller
) -> None:
    seen = open_case(world.outsider, world.case)
    body = (
        call_as(world.dsl).get(f"/api/cases/{world.case.pk}/record-access", show="outside").json()
    )
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["entry_id"] == str(seen.entry_id)
    assert item["actor"] == world.outsider.full_name
    assert item["actor_agency"] == world.other_agency.name
    assert item["outside_agency"] is True
    assert item["event"] == "Opened the case"
    assert item["roles"] == ["Designated safeguarding lead or manager"]
    assert ledger_count(Event.RECORD_ACCESS_VIEWED, actor_id=world.dsl.pk) == 1


def test_person_history_pages(world: World, call_as: Caller, ig: Practitioner) -> None:
    for _ in range(3):
        open_case(world.outsider, world.case)
    body = (
        call_as(ig)
        .get(f"/api/people/{world.case.subject_id}/record-access", limit=2, offset=0)
        .json()
    )
    assert body["count"] >= 3
    assert len(body["items"]) == 2


def test_worker_is_forbidden_and_another_agency_gets_not_found(
    world: World, call_as: Caller
) -> None:
    url = f"/api/cases/{world.case.pk}/record-access"
    assert call_as(world.worker).get(url).status_code == 403
    response = call_as(world.outsider).get(url)
    assert response.status_code == 404
    assert response.json() == not_found_body()


def test_an_unknown_filter_is_refused(world: World, call_as: Caller) -> None:
    response = call_as(world.dsl).get(f"/api/cases/{world.case.pk}/record-access", show="x")
    assert response.status_code == 422


# --- Notifications -------------------------------------------------------------------------------


def test_worker_lists_notifications_and_marks_them_seen(world: World, call_as: Caller) -> None:
    seen = open_case(world.outsider, world.case)
    caller = call_as(world.worker)
    body = caller.get("/api/notifications").json()
    assert (body["count"], body["unread"], body["seen_up_to"]) == (1, 1, 0)
    (item,) = body["items"]
    assert item["is_new"] is True
    assert item["sequence"] == seen.id
    assert item["record"]["case_reference"] == world.case.reference
    assert item["actor_agency"] == world.other_agency.name
    response = caller.post("/api/notifications/seen", {"up_to": item["sequence"]})
    assert response.status_code == 200
    assert response.json() == {"seen_up_to": seen.id}
    assert caller.get("/api/notifications").json()["unread"] == 0
    assert NotificationMarker.objects.get(practitioner=world.worker).seen_up_to == seen.id


def test_marking_beyond_the_ledger_is_422_naming_up_to(world: World, call_as: Caller) -> None:
    response = call_as(world.worker).post("/api/notifications/seen", {"up_to": 10**15})
    assert response.status_code == 422
    assert response.json()["field"] == "up_to"


def test_marking_with_a_string_is_refused(world: World, call_as: Caller) -> None:
    response = call_as(world.worker).post("/api/notifications/seen", {"up_to": "12"})
    assert response.status_code == 422


def test_colleague_without_allocation_has_no_notifications(world: World, call_as: Caller) -> None:
    open_case(world.outsider, world.case)
    body = call_as(world.colleague).get("/api/notifications").json()
    assert (body["count"], body["items"]) == (0, [])


# --- Access review -------------------------------------------------------------------------------


def test_information_governance_reviews_flagged_access(
    world: World, call_as: Caller, ig: Practitioner
) -> None:
    flagged = open_case(world.dsl, world.case)
    caller = call_as(ig)
    queue = caller.get("/api/access-review").json()
    assert queue["count"] == 1
    (item,) = queue["items"]
    assert item["entry_id"] == str(flagged.entry_id)
    assert item["reasons"] == ["no_allocation"]
    assert item["record"]["case_id"] == str(world.case.pk)
    assert sum(day["flagged"] for day in queue["per_day"]) == 1
    detail = caller.get(f"/api/access-review/{flagged.entry_id}").json()
    assert detail["review"] is None
    assert detail["read"]["reasons"] == ["no_allocation"]
    response = caller.post(
        f"/api/access-review/{flagged.entry_id}", {"outcome": "appropriate", "note": ""}
    )
    assert response.status_code == 201
    assert response.json()["outcome"] == "appropriate"
    assert caller.get("/api/access-review").json()["count"] == 0
    history = caller.get("/api/access-review/reviews").json()
    assert history["count"] == 1
    assert history["items"][0]["read"]["entry_id"] == str(flagged.entry_id)
    again = caller.post(f"/api/access-review/{flagged.entry_id}", {"outcome": "appropriate"})
    assert again.status_code == 409


def test_a_concern_without_a_note_is_422(world: World, call_as: Caller, ig: Practitioner) -> None:
    flagged = open_case(world.dsl, world.case)
    response = call_as(ig).post(f"/api/access-review/{flagged.entry_id}", {"outcome": "concern"})
    assert response.status_code == 422
    assert response.json()["field"] == "note"
    assert not AccessReview.objects.exists()


def test_a_read_no_rule_flags_is_409(world: World, call_as: Caller, ig: Practitioner) -> None:
    usual = open_case(world.worker, world.case)
    caller = call_as(ig)
    assert caller.get(f"/api/access-review/{usual.entry_id}").json()["read"] is None
    response = caller.post(f"/api/access-review/{usual.entry_id}", {"outcome": "appropriate"})
    assert response.status_code == 409


def test_dsl_is_forbidden_the_queue_and_another_agency_gets_not_found(
    world: World, call_as: Caller
) -> None:
    flagged = open_case(world.dsl, world.case)
    assert call_as(world.dsl).get("/api/access-review").status_code == 403
    theirs = PractitionerFactory(agency=world.other_agency, roles=[Role.INFORMATION_GOVERNANCE])
    response = call_as(theirs).get(f"/api/access-review/{flagged.entry_id}")
    assert response.status_code == 404
    assert response.json() == not_found_body()


# --- Subject access request export ---------------------------------------------------------------


def test_information_governance_exports_what_was_shared(
    world: World, call_as: Caller, ig: Practitioner
) -> None:
    consent = given_consent(world, world.other_agency)
    record(world, facts(consent=ConsentState.GIVEN), consent=consent)
    body = call_as(ig).get(f"/api/people/{world.case.subject_id}/subject-access").json()
    assert body["person"] == world.case.subject.display_name
    (shared,) = body["records"]
    assert shared["recipient"] == world.other_agency.name
    assert shared["lawful_basis"][0]["citation"] == "UK GDPR Article 6(1)(e)"
    assert body["withheld"]
    assert "reasons" not in shared
    assert ledger_count(Event.SUBJECT_ACCESS_EXPORTED, actor_id=ig.pk) == 1


def test_subject_access_for_another_agencys_person_is_not_found(
    world: World, call_as: Caller
) -> None:
    theirs = PractitionerFactory(agency=world.other_agency, roles=[Role.INFORMATION_GOVERNANCE])
    response = call_as(theirs).get(f"/api/people/{world.case.subject_id}/subject-access")
    assert response.status_code == 404
    assert response.json() == not_found_body()
