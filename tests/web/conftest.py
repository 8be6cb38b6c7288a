"""Fixtures for web tests: a test client signed in with both factors."""

from __future__ import annotations

from collections.abc import Callable

import django_otp
import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeshare.agencies.models import Practitioner

SignIn = Callable[[Practitioner], Client]


def signed_in_client(client: Client, practitioner: Practitioner) -> Client:
    """Sign ``client`` in as ``practitioner`` with a confirmed authenticator app, OTP-verified.

    Skips the sign-in pages (tests/web/test_auth.py covers those): logs in and marks the session
    verified exactly as django_otp.login would.
    """
    device = TOTPDevice.objects.filter(user=practitioner, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=practitioner, name="Test app", confirmed=True)
    client.force_login(practitioner)
    session = client.session
    session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def sign_in(db: None) -> SignIn:
    """``sign_in(practitioner)`` returns a new Client signed in with both factors."""

    def _sign_in(practitioner: Practitioner) -> Client:
        return signed_in_client(Client(), practitioner)

    return _sign_in
