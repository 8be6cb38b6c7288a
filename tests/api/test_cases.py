"""Cases through the API: who may list, read, open and change which case."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from safeshare.cases.models import Case, CaseAllocation, CaseStatus
from safeshare.ledger.events import Event
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.conftest import World
from tests.factories import CaseFactory, InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db

Caller = Callable[..., ApiCaller]


# --- List ----------------------------------------------------------------------------------------


def test_allocated_worker_can_list_their_case_and_each_listed_case_is_recorded(
    world: World, call_as: Caller
) -> None:
    response = call_as(world.worker).get("/api/cases")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [c["reference"] for c in body["items"]] == [world.case.reference]
    assert body["items"][0]["subject"]["display_name"] == world.case.subject.display_name
    assert ledger_count(Event.CASE_LISTED, actor_id=world.worker.pk, subject_case_id=world.case.pk)


def test_colleague_without_allocation_lists_no_cases(world: World, call_as: Caller) -> None:
    body = call_as(world.colleague).get("/api/cases").json()
    assert body["count"] == 0
    assert body["items"] == []


def test_dsl_lists_every_case_of_their_agency_only(world: World, call_as: Caller) -> None:
    another = CaseFactory(agency=world.agency)
    body = call_as(world.dsl).get("/api/cases").json()
    assert {c["id"] for c in body["items"]} == {str(world.case.pk), str(another.pk)}


def test_practitioner_in_other_agency_does_not_list_the_case(world: World, call_as: Caller) -> None:
    body = call_as(world.outsider).get("/api/cases").json()
    assert [c["id"] for c in body["items"]] == [str(world.other_case.pk)]


def test_case_list_filters_by_status_query_and_pages(world: World, call_as: Caller) -> None:
    CaseFactory(agency=world.agency, status=CaseStatus.EARLY_HELP)
    caller = call_as(world.dsl)
    by_status = caller.get("/api/cases", status="early_help").json()
    assert [c["status"] for c in by_status["items"]] == ["early_help"]
    by_reference = caller.get("/api/cases", q=world.case.reference).json()
    assert [c["id"] for c in by_reference["items"]] == [str(world.case.pk)]
    page = caller.get("/api/cases", limit=1, offset=1).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (2, 1, 1, 1)


@pytest.mark.parametrize(
    "params", [{"status": "open"}, {"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "x"}]
)
def test_bad_case_list_filters_are_422(world: World, call_as: Caller, params: dict) -> None:
    response = call_as(world.worker).get("/api/cases", **params)
    assert response.status_code == 422
    issue = response.json()["detail"][0]
    assert issue["loc"][0] == "query"
    assert response.json()["field"] == next(iter(params))


# --- Read ----------------------------------------------------------------------------------------


def test_allocated_worker_can_view_case_with_allocations_and_involvements(
    world: World, call_as: Caller
) -> None:
    involvement = InvolvementFactory(case=world.case)
    response = call_as(world.worker).get(f"/api/cases/{world.case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == world.case.reference
    assert [a["practitioner"]["id"] for a in body["allocations"]] == [str(world.worker.pk)]
    assert [i["person"]["id"] for i in body["involvements"]] == [str(involvement.person.pk)]
    assert ledger_count(Event.CASE_VIEWED, actor_id=world.worker.pk, subject_case_id=world.case.pk)


def test_dsl_can_view_unallocated_case_of_their_agency(world: World, call_as: Caller) -> None:
    assert call_as(world.dsl).get(f"/api/cases/{world.case.pk}").status_code == 200


def test_practitioner_in_other_agency_gets_404_for_case(world: World, call_as: Caller) -> None:
    response = call_as(world.outsider).get(f"/api/cases/{world.case.pk}")
    assert response.status_code == 404
    assert response.json() == not_found_body()
    assert not ledger_count(Event.CASE_VIEWED, actor_id=world.outsider.pk)


def test_colleague_without_allocation_gets_404_for_case(world: World, call_as: Caller) -> None:
    response = call_as(world.colleague).get(f"/api/cases/{world.case.pk}")
    assert response.status_code == 404


def test_404_for_missing_and_forbidden_case_is_identical(world: World, call_as: Caller) -> None:
    caller = call_as(world.outsider)
    forbidden = caller.get(f"/api/cases/{world.case.pk}")
    missing = caller.get(f"/api/cases/{uuid.uuid4()}")
    assert (forbidden.status_code, forbidden.content) == (missing.status_code, missing.content)


def test_malformed_case_id_is_422_naming_the_path(world: World, call_as: Caller) -> None:
    response = call_as(world.worker).get("/api/cases/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "case_id"]


# --- Create --------------------------------------------------------------------------------------


def test_worker_can_open_case_for_child_they_may_see(world: World, call_as: Caller) -> None:
    response = call_as(world.worker).post(
        "/api/cases", {"subject_id": str(world.case.subject_id), "status": "early_help"}
    )
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.agency, case.status) == (world.agency, CaseStatus.EARLY_HELP)
    assert CaseAllocation.objects.filter(case=case, practitioner=world.worker).exists()
    assert ledger_count(Event.CASE_CREATED, actor_id=world.worker.pk, subject_case_id=case.pk)
    assert ledger_count(Event.ALLOCATION_ADDED, subject_case_id=case.pk)


def test_dsl_can_open_case_for_any_child_of_their_agency(world: World, call_as: Caller) -> None:
    child = PersonFactory(agency=world.agency)
    response = call_as(world.dsl).post(
        "/api/cases", {"subject_id": str(child.pk), "status": "child_in_need"}
    )
    assert response.status_code == 201


def test_practitioner_in_other_agency_cannot_open_case_for_child(
    world: World, call_as: Caller
) -> None:
    before = Case.objects.count()
    hidden = call_as(world.outsider).post(
        "/api/cases", {"subject_id": str(world.case.subject_id), "status": "early_help"}
    )
    missing = call_as(world.outsider).post(
        "/api/cases", {"subject_id": str(uuid.uuid4()), "status": "early_help"}
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "Not found", "field": "subject_id"}
    assert Case.objects.count() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "early_help"}, "subject_id"),
        ({"subject_id": "x", "status": "early_help"}, "subject_id"),
        ({"subject_id": None, "status": "nope"}, "subject_id"),
        ({"status": "early_help", "subject_id": "SUBJECT", "extra": 1}, "extra"),
    ],
)
def test_malformed_case_body_is_422_and_creates_nothing(
    world: World, call_as: Caller, body: dict, field: str
) -> None:
    if body.get("subject_id") == "SUBJECT":
        body["subject_id"] = str(world.case.subject_id)
    before = Case.objects.count()
    response = call_as(world.worker).post("/api/cases", body)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert Case.objects.count() == before


def test_opening_a_closed_case_is_422_and_creates_nothing(world: World, call_as: Caller) -> None:
    before = Case.objects.count()
    response = call_as(world.worker).post(
        "/api/cases", {"subject_id": str(world.case.subject_id), "status": "closed"}
    )
    assert response.status_code == 422
    assert response.json() == {"detail": "Select the case status", "field": "status"}
    assert Case.objects.count() == before


def test_body_that_is_not_json_is_400(world: World, call_as: Caller) -> None:
    caller = call_as(world.worker)
    response = caller.client.post(
        "/api/cases", "{not json", content_type="application/json", headers=caller.headers
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Cannot parse request body"


# --- Status --------------------------------------------------------------------------------------


def test_allocated_worker_can_close_case(world: World, call_as: Caller) -> None:
    response = call_as(world.worker).post(
        f"/api/cases/{world.case.pk}/status", {"status": "closed"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    assert response.json()["closed_on"] is not None
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CLOSED
    assert ledger_count(Event.CASE_STATUS_CHANGED, subject_case_id=world.case.pk) == 1


def test_practitioner_in_other_agency_gets_404_changing_case_status(
    world: World, call_as: Caller
) -> None:
    response = call_as(world.outsider).post(
        f"/api/cases/{world.case.pk}/status", {"status": "closed"}
    )
    assert response.status_code == 404
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CHILD_IN_NEED


def test_unknown_case_status_is_422_and_changes_nothing(world: World, call_as: Caller) -> None:
    response = call_as(world.worker).post(
        f"/api/cases/{world.case.pk}/status", {"status": "archived"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "status"
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CHILD_IN_NEED
    assert not ledger_count(Event.CASE_STATUS_CHANGED)
