"""Dashboard, static pages, health check, error pages and security headers."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
import uuid

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from safeshare.agencies.models import AgreementStatus, InformationSharingAgreement, Role
from safeshare.agencies.services import agreement_create, agreement_set_status, agreement_sign
from safeshare.core import clock
from safeshare.web.views import pages
from tests.conftest import World
from tests.factories import PractitionerFactory
from tests.web.conftest import SignIn, signed_in_client

pytestmark = pytest.mark.django_db

_PER_RESPONSE = re.compile(r'(nonce|value)="[A-Za-z0-9+/=_-]{16,}"')


def comparable(body: bytes) -> str:
    """The page without its per-response values (CSP nonce, masked CSRF token)."""
    return _PER_RESPONSE.sub(r'\1="…"', body.decode())


def active_agreement(world: World, *, review_in_days: int) -> InformationSharingAgreement:
    today = clock.today()
    agreement = agreement_create(
        actor=world.system_admin,
        owner=world.agency,
        reference=f"ISA-DUE-{review_in_days}",
        title="Testshire safeguarding partnership",
        parties=[world.agency, world.other_agency],
        purposes=["child_protection"],
        data_categories=["child"],
        lawful_bases=["art6_1_e"],
        retention_days=365,
        start_date=today - dt.timedelta(days=400),
        review_date=today + dt.timedelta(days=review_in_days),
    )
    other_ig = PractitionerFactory(agency=world.other_agency, roles=[Role.INFORMATION_GOVERNANCE])
    agreement_sign(actor=world.system_admin, agreement=agreement)
    agreement_sign(actor=other_ig, agreement=agreement)
    return agreement_set_status(
        actor=world.system_admin, agreement=agreement, status=AgreementStatus.ACTIVE
    )


def test_dashboard_greets_the_practitioner_and_counts_their_cases(
    world: World, sign_in: SignIn
) -> None:
    response = sign_in(world.worker).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert world.worker.full_name in html
    assert html_lib.escape(world.agency.name) in html
    assert re.search(r'data-status="child_in_need">1<', html)
    assert re.search(r'data-status="child_protection">0<', html)
    assert 'href="/cases/?status=child_in_need"' in html
    assert "Agreements due for review" not in html
    assert "Administration" not in html


def test_dashboard_counts_only_cases_the_practitioner_may_see(
    world: World, sign_in: SignIn
) -> None:
    html = sign_in(world.colleague).get("/").content.decode()
    assert re.search(r'data-status="child_in_need">0<', html)


def test_system_admin_dashboard_shows_administration_and_reviews_but_no_cases(
    world: World, sign_in: SignIn
) -> None:
    due = active_agreement(world, review_in_days=10)
    active_agreement(world, review_in_days=90)
    html = sign_in(world.system_admin).get("/").content.decode()
    assert "Cases you can see" not in html
    assert 'href="/agencies/"' in html
    assert 'href="/practitioners/"' in html
    assert "Agreements due for review" in html
    assert due.reference in html
    assert "ISA-DUE-90" not in html


def test_information_governance_sees_overdue_reviews(world: World, sign_in: SignIn) -> None:
    overdue = active_agreement(world, review_in_days=-3)
    ig = PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    html = sign_in(ig).get("/").content.decode()
    assert overdue.reference in html
    assert "Overdue for review" in html


@pytest.mark.parametrize("path", ["/accessibility/", "/privacy/"])
def test_static_pages_are_public(db: None, path: str) -> None:
    response = Client().get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">' in html


def test_accessibility_statement_names_the_standard(db: None) -> None:
    html = Client().get(reverse("web:accessibility")).content.decode()
    assert "WCAG" in html
    assert "2.2" in html


def test_health_check_answers_ok_in_plain_text(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_pages_carry_security_headers_and_a_script_nonce(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.worker).get("/")
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce is not None
    assert f'nonce="{nonce.group(1)}"' in response.content.decode()
    assert "frame-ancestors 'none'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_styles_or_handlers(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.system_admin)
    for path in ["/", "/account/", "/agencies/", "/agreements/", "/practitioners/"]:
        html = client.get(path).content.decode()
        assert " style=" not in html, path
        assert "<style" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path


def test_unknown_address_gets_the_not_found_page(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.worker).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_not_found_page_is_the_same_for_missing_and_forbidden_records(
    world: World, sign_in: SignIn
) -> None:
    other_admin = PractitionerFactory(agency=world.other_agency, roles=[Role.AGENCY_ADMIN])
    client = sign_in(other_admin)
    forbidden = client.get(reverse("web:practitioner-detail", args=[world.worker.pk]))
    missing = client.get(reverse("web:practitioner-detail", args=[uuid.uuid4()]))
    assert forbidden.status_code == missing.status_code == 404
    assert comparable(forbidden.content) == comparable(missing.content)
    assert world.worker.full_name not in forbidden.content.decode()


def test_server_error_page_renders_without_a_request_context(db: None) -> None:
    response = pages.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


# Session timeout warning (WCAG 2.2.1 Timing adjustable)


def test_signed_in_practitioner_can_keep_their_session_alive(world: World) -> None:
    client = signed_in_client(Client(enforce_csrf_checks=True), world.worker)
    token = client.get("/").context["csrf_token"]
    response = client.post(reverse("web:session-keep-alive"), HTTP_X_CSRFTOKEN=str(token))
    assert response.status_code == 204
    assert response.content == b""


def test_keep_alive_refuses_a_post_without_the_csrf_token(world: World) -> None:
    client = signed_in_client(Client(enforce_csrf_checks=True), world.worker)
    response = client.post(reverse("web:session-keep-alive"))
    assert response.status_code == 403


def test_keep_alive_restarts_the_idle_clock(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    idle = dt.timedelta(seconds=settings.SAFESHARE_SESSION_IDLE_SECONDS - 60)
    client.get("/")
    with clock.advanced(idle):
        assert client.post(reverse("web:session-keep-alive")).status_code == 204
    with clock.advanced(idle * 2):
        assert client.get("/").status_code == 200


def test_anonymous_visitor_cannot_keep_a_session_alive(db: None) -> None:
    response = Client().post(reverse("web:session-keep-alive"))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_keep_alive_refuses_get(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.worker).get(reverse("web:session-keep-alive"))
    assert response.status_code == 405


def test_verified_pages_carry_the_timeout_warning_and_its_script(
    world: World, sign_in: SignIn
) -> None:
    response = sign_in(world.worker).get("/")
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert nonce is not None
    assert f'data-idle-seconds="{settings.SAFESHARE_SESSION_IDLE_SECONDS}"' in html
    assert f'data-warn-seconds="{settings.SAFESHARE_SESSION_WARN_SECONDS}"' in html
    assert 'data-keep-alive-url="/session/keep-alive/"' in html
    assert 'data-sign-in-url="/sign-in/?expired=idle"' in html
    assert 'role="alertdialog"' in html
    assert "You will be signed out soon" in html
    assert "Stay signed in" in html
    assert re.search(
        rf'<script type="module" nonce="{re.escape(nonce.group(1))}" '
        r'src="/static/safeshare/session-timeout\.js"></script>',
        html,
    )


@pytest.mark.parametrize("path", ["/sign-in/", "/accessibility/"])
def test_anonymous_pages_have_no_timeout_warning(db: None, path: str) -> None:
    html = Client().get(path).content.decode()
    assert "data-idle-seconds" not in html
    assert 'role="alertdialog"' not in html
    assert "session-timeout.js" not in html


def test_password_only_session_has_no_timeout_warning(world: World, client: Client) -> None:
    client.force_login(world.worker)
    response = client.get(reverse("web:two-factor-setup"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-idle-seconds" not in html
    assert "session-timeout.js" not in html


def test_expiry_noticed_by_the_browser_ends_the_session_and_is_recorded_as_expiry(
    world: World, sign_in: SignIn
) -> None:
    from safeshare.ledger.events import Event
    from safeshare.ledger.models import LedgerEntry

    client = sign_in(world.worker)
    assert client.post(reverse("web:session-expired")).status_code == 204
    assert LedgerEntry.objects.filter(
        actor_id=world.worker.pk, event_code=Event.SESSION_EXPIRED
    ).exists()
    assert not LedgerEntry.objects.filter(
        actor_id=world.worker.pk, event_code=Event.SIGNED_OUT
    ).exists()
    assert client.get(reverse("web:dashboard")).status_code == 302
