"""Agencies and agreements: governance records every casework practitioner may read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from safeshare.agencies.services import agreement_create
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from tests.api.conftest import ApiCaller
from tests.conftest import World
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

Caller = Callable[..., ApiCaller]


@pytest.mark.parametrize("who", ["worker", "outsider", "agency_admin", "system_admin"])
def test_every_practitioner_can_list_agencies(world: World, call_as: Caller, who: str) -> None:
    response = call_as(getattr(world, who)).get("/api/agencies")
    assert response.status_code == 200
    assert {a["name"] for a in response.json()} == {world.agency.name, world.other_agency.name}


@pytest.mark.parametrize("who", ["worker", "outsider", "agency_admin", "system_admin"])
def test_practitioners_with_a_role_can_list_agreements(
    world: World, call_as: Caller, who: str
) -> None:
    agreement = agreement_create(
        actor=None,
        owner=world.agency,
        reference="ISA-TEST-1",
        title="Testshire safeguarding partnership",
        parties=[world.agency, world.other_agency],
        purposes=[SharingPurpose.CHILD_PROTECTION],
        data_categories=[InformationCategory.CHILD],
        lawful_bases=["art6_1_e"],
        retention_days=365,
        start_date=dt.date(2025, 1, 1),
        review_date=dt.date(2026, 1, 1),
    )
    response = call_as(getattr(world, who)).get("/api/agreements")
    assert response.status_code == 200
    [body] = response.json()
    assert (body["id"], body["status"]) == (str(agreement.pk), "draft")
    assert {p["name"] for p in body["parties"]} == {world.agency.name, world.other_agency.name}


def test_practitioner_without_a_role_cannot_list_agreements(world: World, call_as: Caller) -> None:
    nobody = PractitionerFactory(agency=world.agency, roles=[])
    response = call_as(nobody).get("/api/agreements")
    assert response.status_code == 403
    assert response.json()["detail"] == "You do not have permission to do this"
