"""Identity search and the pointer index through the API: who may, what they see, errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safeshare.ledger.events import Event
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.conftest import World
from tests.linkage.test_search import QUERY, linked_child, mash_officer

pytestmark = pytest.mark.django_db

Caller = Callable[..., ApiCaller]
SEARCH = "/api/identities/search"


def pointers(person_id: object) -> str:
    return f"/api/people/{person_id}/pointers"


def test_practitioner_searches_and_gets_ranked_results_with_reasons(
    world: World, call_as: Caller
) -> None:
    linked = linked_child(world)
    response = call_as(world.worker).post(SEARCH, QUERY)
    assert response.status_code == 200, response.content
    body = response.json()
    top = body["results"][0]
    assert body["count"] == len(body["results"]) >= 1
    assert top["match_probability"] > 0.9
    levels = {r["comparison"]: r["level"] for r in top["reasons"]}
    assert levels["Date of birth"] == "The same date of birth"
    assert [r["id"] for r in top["own_records"]] == [str(linked.ours.pk)]
    assert top["details"] is None
    assert ledger_count(Event.IDENTITY_SEARCHED) == 1


def test_mash_officer_gets_the_best_match_details(world: World, call_as: Caller) -> None:
    linked_child(world)
    top = call_as(mash_officer(world)).post(SEARCH, QUERY).json()["results"][0]
    assert top["details"]["postcode_district"] == "ZZ1"


def test_a_bad_nhs_number_is_422_on_the_field(world: World, call_as: Caller) -> None:
    linked_child(world)
    response = call_as(world.worker).post(SEARCH, {"nhs_number": "9990000019"})
    assert response.status_code == 422
    assert response.json()["field"] == "nhs_number"
    assert ledger_count(Event.IDENTITY_SEARCHED) == 0


def test_too_little_to_search_on_is_422(world: World, call_as: Caller) -> None:
    linked_child(world)
    response = call_as(world.worker).post(SEARCH, {"family_name": "Fakeworth"})
    assert response.status_code == 422
    assert "NHS number" in response.json()["detail"]


def test_an_unknown_field_is_refused(world: World, call_as: Caller) -> None:
    linked_child(world)
    assert call_as(world.worker).post(SEARCH, {**QUERY, "sex": "female"}).status_code == 422


def test_search_without_an_active_model_is_409(world: World, call_as: Caller) -> None:
    response = call_as(world.worker).post(SEARCH, QUERY)
    assert response.status_code == 409
    assert "no linkage model" in response.json()["detail"]


def test_agency_admin_cannot_search(world: World, call_as: Caller) -> None:
    linked_child(world)
    assert call_as(world.agency_admin).post(SEARCH, QUERY).status_code == 403


def test_allocated_worker_gets_pointers_with_a_request_body_to_post(
    world: World, call_as: Caller
) -> None:
    linked = linked_child(world)
    response = call_as(world.worker).get(pointers(linked.ours.pk))
    assert response.status_code == 200, response.content
    (pointer,) = response.json()["agencies"]
    assert pointer["agency_id"] == str(world.other_agency.pk)
    assert pointer["holds_record"] is True
    assert pointer["ask"]["path"] == "/api/requests"
    assert pointer["ask"]["body"]["receiving_agency_id"] == str(world.other_agency.pk)
    assert pointer["ask"]["body"]["nhs_number"] == "9990000018"
    assert str(linked.theirs.pk) not in response.content.decode()
    assert ledger_count(Event.POINTER_INDEX_VIEWED) == 1


def test_pointer_body_posts_to_the_request_endpoint(world: World, call_as: Caller) -> None:
    linked = linked_child(world)
    caller = call_as(world.worker)
    body = caller.get(pointers(linked.ours.pk)).json()["agencies"][0]["ask"]["body"]
    body.update(
        purpose="child_protection",
        urgency="routine",
        information_sought="Fake test: any concerns known to you",
        justification="Fake test: a section 47 enquiry",
    )
    response = caller.post("/api/requests", body)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_pointers_without_a_relationship_are_404_like_a_missing_person(
    world: World, call_as: Caller, who: str
) -> None:
    linked = linked_child(world)
    response = call_as(getattr(world, who)).get(pointers(linked.ours.pk))
    assert response.status_code == 404
    assert response.json() == not_found_body()
    assert ledger_count(Event.POINTER_INDEX_VIEWED) == 0


def test_worker_disputes_a_pointer_and_it_goes_to_review(world: World, call_as: Caller) -> None:
    linked = linked_child(world)
    url = f"{pointers(linked.ours.pk)}/{world.other_agency.pk}/dispute"
    short = call_as(world.worker).post(url, {"reason": "no"})
    assert short.status_code == 422
    response = call_as(world.worker).post(url, {"reason": "The police say it is a cousin"})
    assert response.status_code == 200
    assert response.json() == {"pairs_sent_for_review": 1}
    assert ledger_count(Event.POINTER_MATCH_DISPUTED) == 1


def test_disputing_without_a_relationship_is_404(world: World, call_as: Caller) -> None:
    linked = linked_child(world)
    url = f"{pointers(linked.ours.pk)}/{world.other_agency.pk}/dispute"
    response = call_as(world.colleague).post(url, {"reason": "The police say it is a cousin"})
    assert response.status_code == 404
    assert ledger_count(Event.POINTER_MATCH_DISPUTED) == 0
