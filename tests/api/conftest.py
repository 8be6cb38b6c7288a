"""API test helpers: call the API as a practitioner with a real bearer token, read the ledger."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeshare.agencies.models import Practitioner
from safeshare.agencies.services import api_token_create
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry


@dataclass
class ApiCaller:
    """A test client that sends one practitioner's bearer token with every request."""

    client: Client
    headers: dict[str, str]

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            path, json.dumps(body), content_type="application/json", headers=self.headers
        )

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(
            path, json.dumps(body), content_type="application/json", headers=self.headers
        )


def bearer_for(practitioner: Practitioner) -> dict[str, str]:
    _, raw = api_token_create(actor=practitioner, name="Test client")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def call_as(db: None) -> Callable[[Practitioner], ApiCaller]:
    def make(practitioner: Practitioner) -> ApiCaller:
        return ApiCaller(client=Client(), headers=bearer_for(practitioner))

    return make


def verified_session(practitioner: Practitioner, *, enforce_csrf_checks: bool = False) -> Client:
    """A browser session that has passed the second factor (a confirmed TOTP device)."""
    device = TOTPDevice.objects.create(user=practitioner, name="Phone", confirmed=True)
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(practitioner)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def ledger_count(event: Event, **filters: Any) -> int:
    return LedgerEntry.objects.filter(event_code=int(event), **filters).count()


def not_found_body() -> dict[str, Any]:
    return {"detail": "Not found", "field": None}
