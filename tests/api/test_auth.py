"""Who gets in: bearer tokens, verified sessions (with CSRF), and the 401/403 answers."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from safeshare.access.capabilities import Capability
from safeshare.access.policy import has_capability
from safeshare.agencies.models import ApiToken, Role
from safeshare.agencies.selectors import api_token_for_raw
from safeshare.agencies.services import (
    api_token_create,
    api_token_revoke,
    practitioner_deactivate,
    role_grant,
    role_revoke,
)
from safeshare.core import clock
from safeshare.people.models import Person
from tests.api.conftest import ApiCaller, verified_session
from tests.conftest import World
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

NEW_PERSON = {"family_name": "Testington", "given_name": "Fakebaby", "dob_precision": "unknown"}


def test_request_without_credentials_gets_401(world: World) -> None:
    response = Client().get("/api/me")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentication required")
    assert response.json()["field"] is None
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_practitioner_with_bearer_token_can_read_me(
    world: World, call_as: Callable[..., ApiCaller]
) -> None:
    response = call_as(world.worker).get("/api/me")
    assert response.status_code == 200
    body = response.json()
    assert body["practitioner"]["id"] == str(world.worker.pk)
    assert body["agency"]["name"] == world.agency.name
    assert body["roles"] == [Role.PRACTITIONER.value]
    assert Capability.CASE_VIEW.value in body["capabilities"]


def test_token_use_is_noted_on_the_token(world: World) -> None:
    token, raw = api_token_create(actor=world.worker, name="Script")
    Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer ss_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "ss_no-scheme"],
)
def test_unknown_or_malformed_token_gets_401(world: World, header: str) -> None:
    response = Client().get("/api/me", headers={"Authorization": header})
    assert response.status_code == 401


def test_revoked_token_gets_401(world: World) -> None:
    token, raw = api_token_create(actor=world.worker, name="Script")
    api_token_revoke(actor=world.worker, token=token)
    response = Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_expired_token_gets_401(world: World) -> None:
    _, raw = api_token_create(actor=world.worker, name="Script", lifetime=dt.timedelta(days=1))
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/me", headers=headers).status_code == 200
    with clock.advanced(dt.timedelta(days=1, seconds=1)):
        assert Client().get("/api/me", headers=headers).status_code == 401


def test_token_of_deactivated_practitioner_gets_401(world: World) -> None:
    _, raw = api_token_create(actor=world.worker, name="Script")
    practitioner_deactivate(
        actor=world.agency_admin, practitioner=world.worker, reason="left_agency"
    )
    ApiToken.objects.update(revoked_at=None)  # even a token left unrevoked stops working
    response = Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_session_without_verified_second_factor_gets_401(world: World) -> None:
    client = Client()
    client.force_login(world.worker)
    assert client.get("/api/me").status_code == 401


def test_session_with_verified_second_factor_can_read(world: World) -> None:
    client = verified_session(world.worker)
    response = client.get("/api/me")
    assert response.status_code == 200
    assert response.json()["practitioner"]["id"] == str(world.worker.pk)


def test_session_post_without_csrf_token_is_refused_and_changes_nothing(world: World) -> None:
    client = verified_session(world.worker, enforce_csrf_checks=True)
    before = Person.objects.count()
    response = client.post("/api/people", json.dumps(NEW_PERSON), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF check failed")
    assert Person.objects.count() == before


def test_session_post_with_csrf_token_is_accepted(world: World) -> None:
    client = verified_session(world.worker, enforce_csrf_checks=True)
    client.get("/api/docs")  # sets the CSRF cookie, as the docs page does in a browser
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/people",
        json.dumps(NEW_PERSON),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201


def test_unauthenticated_post_gets_401_not_a_csrf_error(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    before = Person.objects.count()
    response = client.post("/api/people", json.dumps(NEW_PERSON), content_type="application/json")
    assert response.status_code == 401
    assert Person.objects.count() == before


def test_bearer_token_needs_no_csrf_token(world: World) -> None:
    _, raw = api_token_create(actor=world.worker, name="Script")
    response = Client(enforce_csrf_checks=True).post(
        "/api/people",
        json.dumps(NEW_PERSON),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201


def test_agency_admin_without_casework_role_gets_403_for_case_list(
    world: World, call_as: Callable[..., ApiCaller]
) -> None:
    response = call_as(world.agency_admin).get("/api/cases")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to do this", "field": None}


def test_practitioner_without_roles_can_still_read_me(
    world: World, call_as: Callable[..., ApiCaller]
) -> None:
    nobody = PractitionerFactory(agency=world.agency, roles=[])
    body = call_as(nobody).get("/api/me").json()
    assert body["roles"] == []
    assert Capability.CASE_LIST.value not in body["capabilities"]


def test_token_lookup_reads_practitioner_agency_and_every_role_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    mash_dsl = PractitionerFactory(agency=world.agency, roles=[Role.DSL, Role.MASH_OFFICER])
    _, raw = api_token_create(actor=mash_dsl, name="Script")
    with django_assert_num_queries(1):
        token = api_token_for_raw(raw)
    assert token is not None
    with django_assert_num_queries(0):
        actor = token.practitioner
        assert actor.role_codes() == sorted([Role.DSL.value, Role.MASH_OFFICER.value])
        assert actor.agency.name == world.agency.name
        assert has_capability(actor, Capability.DECISION_APPROVE)


def test_token_lookup_of_a_practitioner_without_roles_holds_no_roles(
    world: World, django_assert_num_queries: Any
) -> None:
    nobody = PractitionerFactory(agency=world.agency, roles=[])
    _, raw = api_token_create(actor=nobody, name="Script")
    with django_assert_num_queries(1):
        token = api_token_for_raw(raw)
    assert token is not None
    with django_assert_num_queries(0):
        assert token.practitioner.role_codes() == []
        assert not has_capability(token.practitioner, Capability.CASE_LIST)


def test_a_role_granted_or_revoked_counts_from_the_next_request(
    world: World, call_as: Callable[..., ApiCaller]
) -> None:
    """Roles are read with the token on every request, never kept between requests."""
    admin = PractitionerFactory(agency=world.agency, roles=[Role.AGENCY_ADMIN])
    caller = call_as(admin)
    assert caller.get("/api/cases").status_code == 403
    role_grant(actor=world.system_admin, practitioner=admin, role=Role.DSL)
    assert caller.get("/api/cases").status_code == 200
    role_revoke(actor=world.system_admin, practitioner=admin, role=Role.DSL, reason="not_needed")
    assert caller.get("/api/cases").status_code == 403
