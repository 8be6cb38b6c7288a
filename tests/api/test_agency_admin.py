"""Agency administration through the API: a practitioner as their administrator sees them,
removing a role, ending a case allocation, deactivating and reactivating, each for a reason in
the ledger entry; 404 for another agency's practitioner, 403, 409 and 422 as documented."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from safeshare.agencies.models import Practitioner, Role
from safeshare.cases.models import CaseAllocation
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.api.conftest import ApiCaller, bearer_for, not_found_body
from tests.conftest import World
from tests.factories import AllocationFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

Caller = Callable[[Practitioner], ApiCaller]


def url(practitioner: Practitioner, tail: str = "") -> str:
    return f"/api/practitioners/{practitioner.pk}{tail}"


def test_agency_admin_reads_their_practitioner_with_roles_allocations_and_changes(
    world: World, call_as: Caller
) -> None:
    response = call_as(world.agency_admin).get(url(world.worker))
    assert response.status_code == 200
    body = response.json()
    assert body["roles"] == ["practitioner"]
    assert body["is_active"] is True
    (allocation,) = body["open_allocations"]
    assert allocation["case_reference"] == world.case.reference
    assert "subject" not in allocation  # the case reference only, never the child
    assert body["changes"] == []


def test_another_agencys_practitioner_is_not_found_everywhere(
    world: World, call_as: Caller
) -> None:
    admin = call_as(world.agency_admin)
    allocation = AllocationFactory(case=world.other_case, practitioner=world.outsider)
    attempts = [
        admin.get(url(world.outsider)),
        admin.post(url(world.outsider, "/role-removals"), {"role": "dsl", "reason": "not_needed"}),
        admin.post(
            url(world.outsider, f"/allocations/{allocation.pk}/end"), {"reason": "left_team"}
        ),
        admin.post(url(world.outsider, "/deactivation"), {"reason": "left_agency"}),
        admin.post(url(world.outsider, "/reactivation"), {"reason": "returned"}),
    ]
    for response in attempts:
        assert response.status_code == 404
        assert response.json() == not_found_body()
    assert world.outsider.has_role(Role.DSL)
    assert CaseAllocation.objects.get(pk=allocation.pk).ended_on is None


def test_a_practitioner_without_the_capability_gets_403(world: World, call_as: Caller) -> None:
    response = call_as(world.dsl).post(url(world.worker, "/deactivation"), {"reason": "suspended"})
    assert response.status_code == 403


def test_agency_admin_removes_a_role_for_a_reason(world: World, call_as: Caller) -> None:
    response = call_as(world.agency_admin).post(
        url(world.dsl, "/role-removals"),
        {"role": "dsl", "reason": "other", "note": "Fake restructure"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["roles"] == []
    (change,) = body["changes"]
    assert (change["change"], change["reason"], change["note"]) == (
        "role_removed",
        "other",
        "Fake restructure",
    )
    entry = LedgerEntry.objects.get(event_code=int(Event.ROLE_REVOKED))
    assert json.loads(entry.details)["reason"] == "other"


def test_role_removal_refusals(world: World, call_as: Caller) -> None:
    admin = call_as(world.agency_admin)
    world.worker.role_assignments.create(role=Role.SYSTEM_ADMIN)
    cases = [
        ({"role": "system_admin", "reason": "not_needed"}, world.worker, 403, "role"),
        ({"role": "mash_officer", "reason": "not_needed"}, world.worker, 409, "role"),
        ({"role": "agency_admin", "reason": "not_needed"}, world.agency_admin, 422, None),
        ({"role": "dsl", "reason": "other"}, world.dsl, 422, "note"),
    ]
    for body, practitioner, status, field in cases:
        response = admin.post(url(practitioner, "/role-removals"), body)
        assert response.status_code == status, body
        assert response.json()["field"] == field
    assert admin.post(url(world.dsl, "/role-removals"), {"role": "dsl"}).status_code == 422
    assert (
        admin.post(
            url(world.dsl, "/role-removals"), {"role": "dsl", "reason": "because"}
        ).status_code
        == 422
    )
    assert not LedgerEntry.objects.filter(event_code=int(Event.ROLE_REVOKED)).exists()


def test_agency_admin_ends_an_allocation_and_the_worker_loses_the_case(
    world: World, call_as: Caller
) -> None:
    allocation = CaseAllocation.objects.get(practitioner=world.worker)
    worker = call_as(world.worker)
    assert worker.get(f"/api/cases/{world.case.pk}").status_code == 200
    response = call_as(world.agency_admin).post(
        url(world.worker, f"/allocations/{allocation.pk}/end"), {"reason": "left_team"}
    )
    assert response.status_code == 200
    assert response.json()["open_allocations"] == []
    entry = LedgerEntry.objects.get(event_code=int(Event.ALLOCATION_ENDED))
    assert json.loads(entry.details)["reason"] == "left_team"
    assert entry.subject_case_id == world.case.pk
    assert worker.get(f"/api/cases/{world.case.pk}").status_code == 404
    again = call_as(world.agency_admin).post(
        url(world.worker, f"/allocations/{allocation.pk}/end"), {"reason": "left_team"}
    )
    assert again.status_code == 404  # an ended allocation answers like a missing one


def test_ending_an_allocation_needs_a_known_reason_and_one_of_theirs(
    world: World, call_as: Caller
) -> None:
    allocation = CaseAllocation.objects.get(practitioner=world.worker)
    admin = call_as(world.agency_admin)
    assert admin.post(url(world.worker, f"/allocations/{allocation.pk}/end"), {}).status_code == 422
    assert (
        admin.post(
            url(world.colleague, f"/allocations/{allocation.pk}/end"), {"reason": "left_team"}
        ).status_code
        == 404
    )
    assert CaseAllocation.objects.get(pk=allocation.pk).ended_on is None


def test_deactivation_through_the_api_stops_their_token_at_once(
    world: World, call_as: Caller
) -> None:
    headers = bearer_for(world.worker)
    assert Client().get("/api/me", headers=headers).status_code == 200
    response = call_as(world.agency_admin).post(
        url(world.worker, "/deactivation"), {"reason": "left_agency"}
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert response.json()["roles"] == []
    assert Client().get("/api/me", headers=headers).status_code == 401


def test_deactivation_refusals(world: World, call_as: Caller) -> None:
    admin = call_as(world.agency_admin)
    own = admin.post(url(world.agency_admin, "/deactivation"), {"reason": "left_agency"})
    assert own.status_code == 422
    assert "your own account" in own.json()["detail"]
    last = call_as(world.system_admin).post(
        url(world.agency_admin, "/deactivation"), {"reason": "left_agency"}
    )
    assert last.status_code == 422
    assert admin.post(url(world.worker, "/deactivation"), {"reason": "x"}).status_code == 422
    assert (
        admin.post(url(world.worker, "/deactivation"), {"reason": "left_agency"}).status_code == 200
    )
    twice = admin.post(url(world.worker, "/deactivation"), {"reason": "left_agency"})
    assert twice.status_code == 409


def test_reactivation_gives_only_the_roles_asked_for(world: World, call_as: Caller) -> None:
    admin = call_as(world.agency_admin)
    admin.post(url(world.dsl, "/deactivation"), {"reason": "long_absence"})
    refused = admin.post(
        url(world.dsl, "/reactivation"), {"reason": "returned", "roles": ["system_admin"]}
    )
    assert refused.status_code == 403
    response = admin.post(url(world.dsl, "/reactivation"), {"reason": "returned"})
    assert response.status_code == 200
    assert response.json()["is_active"] is True
    assert response.json()["roles"] == []  # the DSL role they had does not come back
    assert admin.post(url(world.dsl, "/reactivation"), {"reason": "returned"}).status_code == 409
    entry = LedgerEntry.objects.get(event_code=int(Event.PRACTITIONER_REACTIVATED))
    assert json.loads(entry.details)["reason"] == "returned"


def test_reactivation_with_roles(world: World, call_as: Caller) -> None:
    admin = call_as(world.agency_admin)
    leaver = PractitionerFactory(agency=world.agency, roles=[Role.DSL])
    admin.post(url(leaver, "/deactivation"), {"reason": "long_absence"})
    response = admin.post(
        url(leaver, "/reactivation"),
        {"reason": "returned", "roles": ["practitioner", "dsl"], "note": "Back from leave"},
    )
    assert response.status_code == 200
    assert sorted(response.json()["roles"]) == ["dsl", "practitioner"]
