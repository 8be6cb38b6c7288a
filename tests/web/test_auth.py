"""Signing in: password then authenticator app, lockout by username, session lifetimes, sign-out."""

from __future__ import annotations

import base64
import datetime as dt
import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeshare.agencies.models import Practitioner
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"  # tests.factories.PractitionerFactory's password
SIGN_IN = "/sign-in/"
TWO_FACTOR = "/sign-in/two-factor/"
SET_UP = "/sign-in/two-factor/set-up/"


def ledger_rows(event: Event, actor: Practitioner) -> int:
    return LedgerEntry.objects.filter(event_code=event, actor_id=actor.pk).count()


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return str(totp.token()).zfill(device.digits)


def submit_password(client: Client, username: str, password: str = PASSWORD, **extra: str) -> str:
    response = client.post(SIGN_IN, {"username": username, "password": password}, **extra)
    assert response.status_code == 302, response.content.decode()[:500]
    return str(response["Location"])


def test_practitioner_enrols_an_authenticator_app_then_verifies_with_it_next_time(
    world: World,
) -> None:
    client = Client()
    assert submit_password(client, world.worker.username) == SET_UP

    page = client.get(SET_UP)
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=world.worker)
    assert not device.confirmed
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', html)
    assert secret is not None
    assert base64.b32decode(secret.group(1)) == device.bin_key
    # Not yet verified: the dashboard sends them back to the second factor.
    assert client.get("/")["Location"] == TWO_FACTOR

    response = client.post(SET_UP, {"token": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert ledger_rows(Event.TOTP_ENROLLED, world.worker) == 1
    assert ledger_rows(Event.SIGNED_IN, world.worker) == 1
    assert client.get("/").status_code == 200

    client.post(reverse("web:sign-out"))
    second = Client()
    assert submit_password(second, world.worker.username) == TWO_FACTOR
    assert second.get(SET_UP)["Location"] == TWO_FACTOR  # cannot enrol a second device
    # The code just used cannot be replayed; the next step's code is accepted (tolerance 1).
    response = second.post(TWO_FACTOR, {"token": code_for(device, steps_ahead=1)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert second.get("/").status_code == 200
    assert ledger_rows(Event.SIGNED_IN, world.worker) == 2


def test_wrong_security_code_is_refused_and_the_session_stays_unverified(world: World) -> None:
    TOTPDevice.objects.create(user=world.worker, name="App", confirmed=True)
    client = Client()
    submit_password(client, world.worker.username)
    response = client.post(TWO_FACTOR, {"token": "12345"})
    assert response.status_code == 200
    assert "Enter the security code as 6 digits" in response.content.decode()
    response = client.post(TWO_FACTOR, {"token": "000000"})
    html = response.content.decode()
    assert "The security code is not correct or has expired" in html
    assert "<title>Error: " in html
    assert client.get("/")["Location"] == TWO_FACTOR
    assert ledger_rows(Event.SIGNED_IN, world.worker) == 0


@pytest.mark.parametrize("username", ["known", "nobody.at.all"])
def test_wrong_password_or_unknown_username_gives_the_same_generic_error(
    world: World, username: str
) -> None:
    name = world.worker.username if username == "known" else username
    response = Client().post(SIGN_IN, {"username": name, "password": "not-the-password"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a correct username and password" in html
    assert "govuk-error-summary" in html
    assert "<title>Error: Sign in" in html


def test_deactivated_practitioner_cannot_sign_in(world: World) -> None:
    Practitioner.objects.filter(pk=world.worker.pk).update(is_active=False)
    response = Client().post(SIGN_IN, {"username": world.worker.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


def test_username_is_locked_after_five_failures_even_from_different_addresses(
    world: World,
) -> None:
    for n in range(5):
        Client().post(
            SIGN_IN,
            {"username": world.worker.username, "password": f"guess-{n}"},
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )
    # The right password from yet another address is refused for 15 minutes.
    response = Client().post(
        SIGN_IN,
        {"username": world.worker.username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )
    html = response.content.decode()
    assert response.status_code == 429
    assert "Your account is locked" in html
    assert "15 minutes" in html
    assert "agency administrator" in html
    assert ledger_rows(Event.LOCKED_OUT, world.worker) >= 1
    # A colleague behind the same address is not locked out.
    assert submit_password(
        Client(), world.colleague.username, REMOTE_ADDR="198.51.100.1"
    ).startswith("/sign-in/two-factor/")


def test_lockout_page_does_not_reveal_whether_the_username_exists(world: World) -> None:
    bodies = []
    for username in (world.worker.username, "no.such.person"):
        for n in range(6):
            response = Client().post(SIGN_IN, {"username": username, "password": f"x{n}"})
        assert response.status_code == 429
        bodies.append(re.sub(r'nonce="[^"]+"', "", response.content.decode()))
    assert bodies[0] == bodies[1]


def test_anonymous_visitor_is_sent_to_sign_in_with_the_page_to_return_to(db: None) -> None:
    response = Client().get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/account/"


def test_password_only_session_is_sent_from_the_dashboard_to_the_second_factor(
    world: World,
) -> None:
    client = Client()
    client.force_login(world.worker)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/account/", "/account/"),
        ("https://evil.example/steal", "/"),
        ("//evil.example/steal", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_only_relative_next_addresses_are_followed_after_sign_in(
    world: World, next_url: str, expected: str
) -> None:
    device = TOTPDevice.objects.create(user=world.worker, name="App", confirmed=True)
    client = Client()
    response = client.post(
        SIGN_IN, {"username": world.worker.username, "password": PASSWORD, "next": next_url}
    )
    assert response["Location"] == TWO_FACTOR
    response = client.post(TWO_FACTOR, {"token": code_for(device)})
    assert response["Location"] == expected


def test_idle_session_expires_and_returns_to_sign_in(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    assert client.get("/").status_code == 200
    idle = dt.timedelta(seconds=settings.SAFESHARE_SESSION_IDLE_SECONDS + 1)
    with clock.advanced(idle):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"] == "/sign-in/?expired=idle"
        assert client.get("/")["Location"] == "/sign-in/?next=/"
    assert ledger_rows(Event.SESSION_EXPIRED, world.worker) == 1
    notice = client.get("/sign-in/?expired=idle").content.decode()
    assert "You were signed out because you had not done anything for 30 minutes" in notice


def test_busy_session_still_ends_at_the_absolute_lifetime(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    assert client.get("/").status_code == 200
    step = dt.timedelta(minutes=29)  # always active, never idle for 30 minutes
    absolute = dt.timedelta(seconds=settings.SAFESHARE_SESSION_ABSOLUTE_SECONDS)
    elapsed = dt.timedelta(0)
    while elapsed + step <= absolute:
        elapsed += step
        with clock.advanced(elapsed):
            assert client.get("/").status_code == 200
    with clock.advanced(elapsed + step):
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?expired=absolute"
    notice = Client().get("/sign-in/?expired=absolute").content.decode()
    assert "because you had been signed in for 10 hours" in notice


def test_sign_out_ends_the_session_and_says_so(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    response = client.post(reverse("web:sign-out"), follow=True)
    assert response.redirect_chain[-1][0] == SIGN_IN
    assert "You have signed out" in response.content.decode()
    assert client.get("/")["Location"] == "/sign-in/?next=/"
    assert ledger_rows(Event.SIGNED_OUT, world.worker) == 1


def test_sign_out_needs_a_post(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    assert client.get(reverse("web:sign-out")).status_code == 405
    assert client.get("/").status_code == 200


def test_signed_in_practitioner_visiting_sign_in_goes_to_the_dashboard(
    world: World, sign_in: SignIn
) -> None:
    assert sign_in(world.worker).get(SIGN_IN)["Location"] == "/"
