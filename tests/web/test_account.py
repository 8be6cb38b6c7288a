"""The account page and API tokens: the raw token is shown once, only its hash is stored."""

from __future__ import annotations

import hashlib
import html as html_lib
import re

import pytest
from django.urls import reverse

from safeshare.agencies.models import ApiToken
from safeshare.agencies.services import api_token_create
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db


def test_account_page_shows_name_agency_and_roles(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.dsl).get(reverse("web:account"))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.dsl.full_name in html
    assert html_lib.escape(world.agency.name) in html
    assert "Designated safeguarding lead or manager" in html


def test_practitioner_creates_a_token_and_sees_it_only_once(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    response = client.post(reverse("web:api-token-create"), {"name": "Case system link"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    match = re.search(r'id="api-token"[^>]*>(ss_[A-Za-z0-9_-]+)<', html)
    assert match is not None
    raw = match.group(1)
    token = ApiToken.objects.get(practitioner=world.worker)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.token_hash, token.prefix, token.name}
    assert LedgerEntry.objects.filter(
        event_code=Event.API_TOKEN_CREATED, actor_id=world.worker.pk
    ).exists()

    account = client.get(reverse("web:account")).content.decode()
    assert "Case system link" in account
    assert raw not in account
    assert token.prefix in account


def test_token_without_a_name_is_refused_and_nothing_is_created(
    world: World, sign_in: SignIn
) -> None:
    response = sign_in(world.worker).post(reverse("web:api-token-create"), {"name": "  "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a name for the token" in html
    assert "<title>Error: " in html
    assert not ApiToken.objects.exists()


def test_practitioner_sees_only_their_own_tokens(world: World, sign_in: SignIn) -> None:
    api_token_create(actor=world.colleague, name="Colleague's secret script")
    html = sign_in(world.worker).get(reverse("web:account")).content.decode()
    assert "secret script" not in html


def test_owner_revokes_their_token(world: World, sign_in: SignIn) -> None:
    token, _raw = api_token_create(actor=world.worker, name="Old integration")
    client = sign_in(world.worker)
    response = client.post(reverse("web:api-token-revoke", args=[token.pk]), follow=True)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "The token Old integration has been revoked" in response.content.decode()
    assert LedgerEntry.objects.filter(
        event_code=Event.API_TOKEN_REVOKED, actor_id=world.worker.pk
    ).exists()


def test_other_practitioner_cannot_revoke_a_token_and_gets_not_found(
    world: World, sign_in: SignIn
) -> None:
    token, _raw = api_token_create(actor=world.worker, name="Worker's token")
    for intruder in (world.colleague, world.outsider, world.system_admin):
        response = sign_in(intruder).post(reverse("web:api-token-revoke", args=[token.pk]))
        assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_a_post(world: World, sign_in: SignIn) -> None:
    token, _raw = api_token_create(actor=world.worker, name="Worker's token")
    response = sign_in(world.worker).get(reverse("web:api-token-revoke", args=[token.pk]))
    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
