"""People through the API: search (recorded), read (recorded), record a new person."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from safeshare.ledger.events import Event
from safeshare.people.models import Person
from safeshare.people.services import address_add, contact_add
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.conftest import World
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

Caller = Callable[..., ApiCaller]

VALID_NHS_NUMBER = "9990000018"  # fake range, valid check digit


def person_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "family_name": "Testington",
        "given_name": "Fakesibling",
        "date_of_birth": "2019-03-04",
        "sex": "female",
    }
    body.update(changes)
    return body


# --- Search --------------------------------------------------------------------------------------


def test_allocated_worker_finds_the_child_and_the_search_is_recorded(
    world: World, call_as: Caller
) -> None:
    child = world.case.subject
    response = call_as(world.worker).get("/api/people", q=child.given_name)
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["items"]] == [str(child.pk)]
    assert ledger_count(Event.PERSON_LISTED, actor_id=world.worker.pk, subject_person_id=child.pk)


def test_empty_search_finds_nobody(world: World, call_as: Caller) -> None:
    body = call_as(world.dsl).get("/api/people").json()
    assert (body["count"], body["items"]) == (0, [])


def test_colleague_without_allocation_does_not_find_the_child(
    world: World, call_as: Caller
) -> None:
    body = call_as(world.colleague).get("/api/people", q=world.case.subject.given_name).json()
    assert body["items"] == []


def test_practitioner_in_other_agency_does_not_find_the_child(
    world: World, call_as: Caller
) -> None:
    body = call_as(world.outsider).get("/api/people", q="Testington").json()
    assert str(world.case.subject_id) not in {p["id"] for p in body["items"]}


def test_dsl_finds_a_person_by_nhs_number(world: World, call_as: Caller) -> None:
    person = PersonFactory(agency=world.agency, nhs_number=VALID_NHS_NUMBER)
    body = call_as(world.dsl).get("/api/people", q="999 000 0018").json()
    assert [p["id"] for p in body["items"]] == [str(person.pk)]


# --- Read ----------------------------------------------------------------------------------------


def test_allocated_worker_can_view_person_with_addresses_and_contacts(
    world: World, call_as: Caller
) -> None:
    child = world.case.subject
    address_add(actor=None, person=child, lines="1 Nowhere Lane", postcode="ZZ99 1AA")
    address_add(actor=None, person=child, lines="Refuge", postcode="ZZ99 9ZZ", is_protected=True)
    contact_add(actor=None, person=child, kind="phone", value="01632 960000")
    response = call_as(world.worker).get(f"/api/people/{child.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == child.display_name
    assert {(a["postcode"], a["is_protected"]) for a in body["addresses"]} == {
        ("ZZ99 1AA", False),
        ("ZZ99 9ZZ", True),
    }
    assert [c["value"] for c in body["contacts"]] == ["01632 960000"]
    assert ledger_count(Event.PERSON_VIEWED, actor_id=world.worker.pk, subject_person_id=child.pk)


@pytest.mark.parametrize("who", ["outsider", "colleague"])
def test_practitioner_who_may_not_see_the_child_gets_404_for_person(
    world: World, call_as: Caller, who: str
) -> None:
    response = call_as(getattr(world, who)).get(f"/api/people/{world.case.subject_id}")
    assert response.status_code == 404
    assert response.json() == not_found_body()
    assert not ledger_count(Event.PERSON_VIEWED)


def test_404_for_missing_and_forbidden_person_is_identical(world: World, call_as: Caller) -> None:
    caller = call_as(world.outsider)
    forbidden = caller.get(f"/api/people/{world.case.subject_id}")
    missing = caller.get(f"/api/people/{uuid.uuid4()}")
    assert (forbidden.status_code, forbidden.content) == (missing.status_code, missing.content)


# --- Record --------------------------------------------------------------------------------------


def test_worker_can_record_person_in_their_agency(world: World, call_as: Caller) -> None:
    response = call_as(world.worker).post("/api/people", person_body(nhs_number="999 000 0018"))
    assert response.status_code == 201
    person = Person.objects.get(pk=response.json()["id"])
    assert (person.agency, person.nhs_number) == (world.agency, VALID_NHS_NUMBER)
    assert response.json()["addresses"] == []
    assert ledger_count(Event.PERSON_CREATED, actor_id=world.worker.pk, subject_person_id=person.pk)


def test_bad_nhs_number_is_422_naming_the_field_and_creates_nothing(
    world: World, call_as: Caller
) -> None:
    before = Person.objects.count()
    response = call_as(world.worker).post("/api/people", person_body(nhs_number="9990000019"))
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Enter a valid NHS number (the check digit does not match)",
        "field": "nhs_number",
    }
    assert Person.objects.count() == before
    assert not ledger_count(Event.PERSON_CREATED)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"family_name": 7}, "family_name"),
        ({"family_name": "x" * 101}, "family_name"),
        ({"date_of_birth": 20190304}, "date_of_birth"),
        ({"date_of_birth": "2019-02-30"}, "date_of_birth"),
        ({"is_unborn": "no"}, "is_unborn"),
        ({"sex": "x"}, "sex"),
        ({"nhs_number": 9990000018}, "nhs_number"),
        ({"nhs_number": "9" * 13}, "nhs_number"),
        ({"ethnicity": "unknown"}, "ethnicity"),
    ],
)
def test_malformed_person_is_422_naming_the_field_and_creates_nothing(
    world: World, call_as: Caller, changes: dict[str, Any], field: str
) -> None:
    before = Person.objects.count()
    response = call_as(world.worker).post("/api/people", person_body(**changes))
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert Person.objects.count() == before


def test_date_of_birth_in_the_future_is_422(world: World, call_as: Caller) -> None:
    before = Person.objects.count()
    response = call_as(world.worker).post("/api/people", person_body(date_of_birth="2999-01-01"))
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Date of birth must be in the past",
        "field": "date_of_birth",
    }
    assert Person.objects.count() == before


def test_agency_admin_cannot_record_person(world: World, call_as: Caller) -> None:
    before = Person.objects.count()
    response = call_as(world.agency_admin).post("/api/people", person_body())
    assert response.status_code == 403
    assert Person.objects.count() == before
