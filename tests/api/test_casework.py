"""Casework basics through the API: people involved in a case, allocations (allocate, reallocate,
end), and a person's addresses (protected ones) and contact details. Who may do which, what bad
input gets, and what the ledger records."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from safeshare.agencies.models import Practitioner
from safeshare.cases.models import CaseAllocation, Involvement, Relationship
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.people.models import Address, ContactDetail
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.conftest import World
from tests.factories import AddressFactory, InvolvementFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

Caller = Callable[[Practitioner], ApiCaller]


def _details(event: Event, **filters: Any) -> dict[str, Any]:
    entry = LedgerEntry.objects.get(event_code=int(event), **filters)
    value: dict[str, Any] = json.loads(entry.details)
    return value


def _allocation(world: World) -> CaseAllocation:
    return world.case.allocations.get(practitioner=world.worker)


# --- People involved ------------------------------------------------------------------------------


def test_allocated_worker_can_add_a_person_involved(world: World, call_as: Caller) -> None:
    sibling = PersonFactory(agency=world.agency, recorded_by=world.worker)
    response = call_as(world.worker).post(
        f"/api/cases/{world.case.pk}/involvements",
        {"person_id": str(sibling.pk), "relationship": "sibling"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["person"]["id"], body["relationship"], body["end_reason"]) == (
        str(sibling.pk),
        "sibling",
        None,
    )
    assert ledger_count(Event.INVOLVEMENT_ADDED, actor_id=world.worker.pk, object_id=body["id"])


def test_a_person_the_caller_may_not_see_is_404_naming_the_field(
    world: World, call_as: Caller
) -> None:
    stranger = world.other_case.subject
    response = call_as(world.worker).post(
        f"/api/cases/{world.case.pk}/involvements",
        {"person_id": str(stranger.pk), "relationship": "parent"},
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found", "field": "person_id"}
    assert not Involvement.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"relationship": "uncle"},
        {"relationship": "parent", "has_parental_responsibility": "yes"},
        {"relationship": "parent", "practitioner_id": str(uuid.uuid4())},
    ],
)
def test_bad_involvement_input_is_422_and_changes_nothing(
    world: World, call_as: Caller, body: dict[str, Any]
) -> None:
    person = PersonFactory(agency=world.agency, recorded_by=world.worker)
    response = call_as(world.worker).post(
        f"/api/cases/{world.case.pk}/involvements", {"person_id": str(person.pk), **body}
    )
    assert response.status_code == 422
    assert not Involvement.objects.exists()


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_practitioner_without_a_relationship_cannot_add_to_the_case(
    world: World, call_as: Caller, who: str
) -> None:
    actor = getattr(world, who)
    person = PersonFactory(agency=actor.agency, recorded_by=actor)
    response = call_as(actor).post(
        f"/api/cases/{world.case.pk}/involvements",
        {"person_id": str(person.pk), "relationship": "informant"},
    )
    assert (response.status_code, response.json()) == (404, not_found_body())
    assert not Involvement.objects.exists()


def test_allocated_worker_ends_an_involvement_with_a_reason_once(
    world: World, call_as: Caller
) -> None:
    involvement = InvolvementFactory(case=world.case, relationship=Relationship.PARTNER_OF_PARENT)
    caller = call_as(world.worker)
    url = f"/api/involvements/{involvement.pk}/end"
    response = caller.post(url, {"reason": "relationship_ended"})
    assert response.status_code == 200
    assert (response.json()["ended_on"], response.json()["end_reason"]) == (
        clock.today().isoformat(),
        "relationship_ended",
    )
    assert _details(Event.INVOLVEMENT_ENDED, object_id=str(involvement.pk))["reason"] == (
        "relationship_ended"
    )
    again = caller.post(url, {"reason": "left_household"})
    assert again.status_code == 409
    assert ledger_count(Event.INVOLVEMENT_ENDED) == 1


def test_ending_an_involvement_in_another_agencys_case_is_404(
    world: World, call_as: Caller
) -> None:
    involvement = InvolvementFactory(case=world.case)
    response = call_as(world.outsider).post(
        f"/api/involvements/{involvement.pk}/end", {"reason": "died"}
    )
    assert (response.status_code, response.json()) == (404, not_found_body())
    assert Involvement.objects.get().ended_on is None


# --- Allocations ------------------------------------------------------------------------------


def test_dsl_allocates_a_colleague_who_then_sees_the_case(world: World, call_as: Caller) -> None:
    assert call_as(world.colleague).get(f"/api/cases/{world.case.pk}").status_code == 404
    response = call_as(world.dsl).post(
        f"/api/cases/{world.case.pk}/allocations",
        {"practitioner_id": str(world.colleague.pk), "role": "key_worker"},
    )
    assert response.status_code == 201
    assert (response.json()["practitioner"]["id"], response.json()["role"]) == (
        str(world.colleague.pk),
        "key_worker",
    )
    assert ledger_count(Event.ALLOCATION_ADDED, actor_id=world.dsl.pk)
    assert call_as(world.colleague).get(f"/api/cases/{world.case.pk}").status_code == 200


def test_allocated_worker_may_not_allocate(world: World, call_as: Caller) -> None:
    response = call_as(world.worker).post(
        f"/api/cases/{world.case.pk}/allocations", {"practitioner_id": str(world.colleague.pk)}
    )
    assert response.status_code == 403
    assert not world.case.allocations.filter(practitioner=world.colleague).exists()


def test_another_agencys_dsl_gets_404_for_the_case(world: World, call_as: Caller) -> None:
    response = call_as(world.outsider).post(
        f"/api/cases/{world.case.pk}/allocations",
        {"practitioner_id": str(PractitionerFactory(agency=world.other_agency).pk)},
    )
    assert (response.status_code, response.json()) == (404, not_found_body())


@pytest.mark.parametrize("who", ["outsider", "agency_admin", "inactive", "missing"])
def test_only_active_casework_staff_of_the_agency_can_be_allocated(
    world: World, call_as: Caller, who: str
) -> None:
    target = {
        "inactive": lambda: PractitionerFactory(agency=world.agency, is_active=False).pk,
        "missing": uuid.uuid4,
    }.get(who, lambda: getattr(world, who).pk)()
    allocations = CaseAllocation.objects.count()
    response = call_as(world.dsl).post(
        f"/api/cases/{world.case.pk}/allocations", {"practitioner_id": str(target)}
    )
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "Not found", "field": "practitioner_id"},
    )
    assert CaseAllocation.objects.count() == allocations


def test_dsl_reallocates_the_case_in_one_step_with_the_reason(
    world: World, call_as: Caller
) -> None:
    old = _allocation(world)
    response = call_as(world.dsl).post(
        f"/api/allocations/{old.pk}/reallocate",
        {"practitioner_id": str(world.colleague.pk), "reason": "absence"},
    )
    assert response.status_code == 201
    new = CaseAllocation.objects.get(pk=response.json()["id"])
    old.refresh_from_db()
    assert (old.ended_on, old.end_reason) == (clock.today(), "absence")
    assert (new.practitioner, new.ended_on) == (world.colleague, None)
    assert _details(Event.CASE_REALLOCATED, object_id=str(new.pk))["reason"] == "absence"
    # The previous worker no longer sees the case; the new one does.
    assert call_as(world.worker).get(f"/api/cases/{world.case.pk}").status_code == 404
    assert call_as(world.colleague).get(f"/api/cases/{world.case.pk}").status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"practitioner_id": "WORKER", "reason": "absence"}, 422, "practitioner"),
        ({"practitioner_id": "COLLEAGUE", "reason": "boredom"}, 422, "reason"),
        ({"practitioner_id": "COLLEAGUE"}, 422, "reason"),
        ({"practitioner_id": "OUTSIDER", "reason": "absence"}, 404, "practitioner_id"),
    ],
)
def test_bad_reallocation_changes_nothing(
    world: World, call_as: Caller, body: dict[str, str], status: int, field: str
) -> None:
    ids = {"WORKER": world.worker, "COLLEAGUE": world.colleague, "OUTSIDER": world.outsider}
    body = {**body, "practitioner_id": str(ids[body["practitioner_id"]].pk)}
    entries = LedgerEntry.objects.filter(event_code=int(Event.CASE_REALLOCATED)).count()
    response = call_as(world.dsl).post(f"/api/allocations/{_allocation(world).pk}/reallocate", body)
    assert (response.status_code, response.json()["field"]) == (status, field)
    assert _allocation(world).ended_on is None
    assert list(world.case.allocations.all()) == [_allocation(world)]
    assert ledger_count(Event.CASE_REALLOCATED) == entries


def test_an_ended_allocation_cannot_be_reallocated_or_ended_again(
    world: World, call_as: Caller
) -> None:
    allocation = _allocation(world)
    caller = call_as(world.dsl)
    ended = caller.post(f"/api/allocations/{allocation.pk}/end", {"reason": "work_finished"})
    assert ended.status_code == 200
    assert ended.json()["end_reason"] == "work_finished"
    assert _details(Event.ALLOCATION_ENDED, object_id=str(allocation.pk)) == {
        "practitioner": str(world.worker.pk),
        "reason": "work_finished",
    }
    again = caller.post(f"/api/allocations/{allocation.pk}/end", {"reason": "caseload"})
    moved = caller.post(
        f"/api/allocations/{allocation.pk}/reallocate",
        {"practitioner_id": str(world.colleague.pk), "reason": "caseload"},
    )
    assert (again.status_code, moved.status_code) == (409, 409)
    assert ledger_count(Event.ALLOCATION_ENDED) == 1
    assert not world.case.allocations.filter(practitioner=world.colleague).exists()


@pytest.mark.parametrize("who", ["worker", "outsider"])
def test_only_a_dsl_of_the_agency_may_end_an_allocation(
    world: World, call_as: Caller, who: str
) -> None:
    response = call_as(getattr(world, who)).post(
        f"/api/allocations/{_allocation(world).pk}/end", {"reason": "caseload"}
    )
    assert response.status_code == {"worker": 403, "outsider": 404}[who]
    assert _allocation(world).ended_on is None


# --- Addresses ----------------------------------------------------------------------------------


def test_worker_adds_a_protected_address(world: World, call_as: Caller) -> None:
    child = world.case.subject
    response = call_as(world.worker).post(
        f"/api/people/{child.pk}/addresses",
        {
            "lines": "Flat 9, Nowhere Refuge",
            "postcode": "zz99 9zz",
            "lived_from": "2026-11-01",
            "is_protected": True,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["postcode"], body["is_protected"], body["is_current"]) == ("ZZ99 9ZZ", True, True)
    assert _details(Event.ADDRESS_ADDED, object_id=body["id"]) == {"protected": True}


def test_misuse_alleged_perpetrator_on_staff_is_never_shown_a_protected_address(
    world: World, call_as: Caller
) -> None:
    child = world.case.subject
    home = AddressFactory(person=child, lived_to=dt.date(2026, 1, 1))
    refuge = AddressFactory(person=child, lines="Nowhere Refuge", is_protected=True)
    InvolvementFactory(relationship=Relationship.ALLEGED_PERPETRATOR, practitioner=world.worker)
    caller = call_as(world.worker)
    body = caller.get(f"/api/people/{child.pk}").json()
    assert [a["id"] for a in body["addresses"]] == [str(home.pk)]
    assert "Refuge" not in json.dumps(body)
    response = caller.post(f"/api/addresses/{refuge.pk}/end", {"lived_to": "2026-12-01"})
    assert (response.status_code, response.json()) == (404, not_found_body())
    assert Address.objects.get(pk=refuge.pk).lived_to is None
    # A DSL of the agency, not so recorded, sees it.
    shown = call_as(world.dsl).get(f"/api/people/{child.pk}").json()["addresses"]
    assert {a["id"] for a in shown} == {str(home.pk), str(refuge.pk)}


def test_worker_records_a_move_out(world: World, call_as: Caller) -> None:
    address = AddressFactory(person=world.case.subject, lived_from=dt.date(2025, 1, 1))
    response = call_as(world.worker).post(
        f"/api/addresses/{address.pk}/end", {"lived_to": "2026-11-30"}
    )
    assert response.status_code == 200
    assert (response.json()["lived_to"], response.json()["is_current"]) == ("2026-11-30", False)
    assert ledger_count(Event.ADDRESS_ENDED, actor_id=world.worker.pk, object_id=str(address.pk))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lived_to": "2999-01-01"}, "lived_to"),
        ({"lived_to": "2024-12-31"}, "lived_to"),
        ({"lived_to": "30/11/2026"}, "lived_to"),
        ({}, "lived_to"),
    ],
)
def test_a_bad_move_out_date_is_422_and_changes_nothing(
    world: World, call_as: Caller, body: dict[str, str], field: str
) -> None:
    address = AddressFactory(person=world.case.subject, lived_from=dt.date(2025, 1, 1))
    response = call_as(world.worker).post(f"/api/addresses/{address.pk}/end", body)
    assert (response.status_code, response.json()["field"]) == (422, field)
    assert Address.objects.get().lived_to is None
    assert not ledger_count(Event.ADDRESS_ENDED)


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_practitioner_who_may_not_see_the_person_cannot_add_an_address(
    world: World, call_as: Caller, who: str
) -> None:
    response = call_as(getattr(world, who)).post(
        f"/api/people/{world.case.subject_id}/addresses", {"lines": "x", "postcode": "ZZ1 1ZZ"}
    )
    assert (response.status_code, response.json()) == (404, not_found_body())
    assert not Address.objects.exists()


def test_information_governance_may_read_but_not_add_an_address(
    world: World, call_as: Caller
) -> None:
    from safeshare.agencies.models import Role

    officer = PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    caller = call_as(officer)
    assert caller.get(f"/api/people/{world.case.subject_id}").status_code == 200
    response = caller.post(
        f"/api/people/{world.case.subject_id}/addresses", {"lines": "x", "postcode": "ZZ1 1ZZ"}
    )
    assert response.status_code == 403
    assert not Address.objects.exists()


# --- Contact details --------------------------------------------------------------------------


def test_worker_adds_contact_details_and_marks_them_no_longer_used(
    world: World, call_as: Caller
) -> None:
    caller = call_as(world.worker)
    added = caller.post(
        f"/api/people/{world.case.subject_id}/contacts",
        {"kind": "email", "value": "fake.parent@example.invalid"},
    )
    assert added.status_code == 201
    assert (added.json()["is_current"], added.json()["ended_on"]) == (True, None)
    contact_id = added.json()["id"]
    ended = caller.post(f"/api/contacts/{contact_id}/end", {})
    assert ended.status_code == 200
    assert ended.json()["ended_on"] == clock.today().isoformat()
    assert caller.post(f"/api/contacts/{contact_id}/end", {}).status_code == 409
    assert ledger_count(Event.CONTACT_ADDED) == ledger_count(Event.CONTACT_ENDED) == 1
    shown = caller.get(f"/api/people/{world.case.subject_id}").json()["contacts"]
    assert [(c["value"], c["is_current"]) for c in shown] == [
        ("fake.parent@example.invalid", False)
    ]


@pytest.mark.parametrize(
    "body",
    [{"kind": "fax", "value": "01632 960000"}, {"kind": "phone", "value": 1632960000}, {}],
)
def test_bad_contact_details_are_422_and_change_nothing(
    world: World, call_as: Caller, body: dict[str, Any]
) -> None:
    response = call_as(world.worker).post(f"/api/people/{world.case.subject_id}/contacts", body)
    assert response.status_code == 422
    assert not ContactDetail.objects.exists()


def test_another_agency_cannot_end_contact_details(world: World, call_as: Caller) -> None:
    contact = ContactDetail.objects.create(person=world.case.subject, kind="phone", value="0")
    response = call_as(world.outsider).post(f"/api/contacts/{contact.pk}/end", {})
    assert (response.status_code, response.json()) == (404, not_found_body())
    assert ContactDetail.objects.get().ended_on is None
