"""Administration pages: who may see and change agencies, agreements and practitioners."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeshare.agencies.models import (
    Agency,
    AgreementSignature,
    AgreementStatus,
    InformationSharingAgreement,
    Practitioner,
    Role,
)
from safeshare.agencies.services import agreement_create
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.factories import PractitionerFactory
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db

WORKERS_USERNAME = "<the allocated worker's username>"

NEW_AGENCY = {
    "name": "Testshire Fake Academy",
    "agency_type": "school",
    "local_authority_area": "Testshire",
    "ods_code": "ZZ999",
}


def agreement_data(world: World, **change: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reference": "ISA-TEST-001",
        "title": "Testshire children's safeguarding",
        "parties": [str(world.other_agency.pk)],
        "purposes": ["child_protection", "mash_triage"],
        "data_categories": ["child", "parenting"],
        "lawful_bases": ["art6_1_e", "dpa_sch1_18"],
        "retention_days": "730",
        "start_date": "2026-01-01",
        "review_date": "2027-01-01",
        "end_date": "",
        "dpia_reference": "DPIA-FAKE-7",
    }
    data.update(change)
    return data


def draft_agreement(world: World) -> InformationSharingAgreement:
    return agreement_create(
        actor=world.system_admin,
        owner=world.agency,
        reference="ISA-DRAFT-1",
        title="Draft agreement",
        parties=[world.agency, world.other_agency],
        purposes=["child_protection"],
        data_categories=["child"],
        lawful_bases=["art6_1_e"],
        retention_days=365,
        start_date=dt.date(2026, 1, 1),
        review_date=dt.date(2027, 1, 1),
    )


def new_practitioner(**change: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": "fake.newstarter",
        "given_name": "Newby",
        "family_name": "Testperson",
        "email": "newby@example.org",
        "job_title": "Family support worker",
        "roles": ["practitioner"],
        "password": "plausible-Long-passphrase-42",
    }
    data.update(change)
    return data


# --- Agencies -------------------------------------------------------------------------------------


def test_any_practitioner_sees_the_agency_directory(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    html = client.get(reverse("web:agency-list")).content.decode()
    assert "Testshire Constabulary" in html
    assert "Police" in html
    assert "govuk-table__caption" in html
    assert "Add an agency" not in html
    detail = client.get(reverse("web:agency-detail", args=[world.other_agency.pk]))
    assert detail.status_code == 200


def test_unknown_agency_is_not_found(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.worker).get(reverse("web:agency-detail", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_system_admin_adds_an_agency(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.system_admin).post(reverse("web:agency-create"), NEW_AGENCY)
    agency = Agency.objects.get(name="Testshire Fake Academy")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:agency-detail", args=[agency.pk])
    assert agency.agency_type == "school"
    assert LedgerEntry.objects.filter(
        event_code=Event.AGENCY_CREATED, actor_id=world.system_admin.pk
    ).exists()


@pytest.mark.parametrize("actor", ["worker", "agency_admin", "dsl"])
def test_practitioner_without_agency_management_cannot_add_an_agency(
    world: World, sign_in: SignIn, actor: str
) -> None:
    client = sign_in(getattr(world, actor))
    assert client.get(reverse("web:agency-create")).status_code == 403
    response = client.post(reverse("web:agency-create"), NEW_AGENCY)
    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()
    assert not Agency.objects.filter(name=NEW_AGENCY["name"]).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "testshire constabulary"}, "An agency called testshire constabulary already"),
        ({"agency_type": "spaceship"}, "Select the type of agency"),
        ({"agency_type": ""}, "Select the type of agency"),
        ({"name": ""}, "Enter the agency&#x27;s name"),
        ({"local_authority_area": "  "}, "Enter the local authority area"),
    ],
)
def test_bad_agency_input_shows_the_error_summary_and_creates_nothing(
    world: World, sign_in: SignIn, change: dict[str, str], message: str
) -> None:
    before = Agency.objects.count()
    response = sign_in(world.system_admin).post(
        reverse("web:agency-create"), {**NEW_AGENCY, **change}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert message in html
    assert "<title>Error: Add an agency" in html
    assert Agency.objects.count() == before


# --- Agreements -----------------------------------------------------------------------------------


def test_system_admin_creates_an_agreement_as_a_draft(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.system_admin).post(
        reverse("web:agreement-create"), agreement_data(world)
    )
    agreement = InformationSharingAgreement.objects.get(reference="ISA-TEST-001")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:agreement-detail", args=[agreement.pk])
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.owner == world.agency
    assert set(agreement.parties.all()) == {world.agency, world.other_agency}
    assert agreement.lawful_bases == ["art6_1_e", "dpa_sch1_18"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"review_date": "2025-12-01"}, "Review date must be after the start date"),
        ({"purposes": []}, "Select at least one purpose"),
        ({"lawful_bases": ["made_up"]}, "Select at least one lawful basis"),
        ({"parties": []}, "Select the agencies that are party to it"),
        ({"retention_days": "0"}, "Retention period must be at least one day"),
        ({"start_date": "2026-02-31"}, "Start date must be a real date"),
    ],
)
def test_bad_agreement_input_shows_the_error_summary_and_creates_nothing(
    world: World, sign_in: SignIn, change: dict[str, Any], message: str
) -> None:
    response = sign_in(world.system_admin).post(
        reverse("web:agreement-create"), agreement_data(world, **change)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert message in html
    assert not InformationSharingAgreement.objects.exists()


def test_practitioner_cannot_create_an_agreement(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.worker).post(reverse("web:agreement-create"), agreement_data(world))
    assert response.status_code == 403
    assert not InformationSharingAgreement.objects.exists()


def test_agreement_list_shows_status_and_overdue_review(world: World, sign_in: SignIn) -> None:
    agreement = draft_agreement(world)
    InformationSharingAgreement.objects.filter(pk=agreement.pk).update(
        review_date=clock.today() - dt.timedelta(days=1)
    )
    html = sign_in(world.worker).get(reverse("web:agreement-list")).content.decode()
    assert agreement.reference in html
    assert "Draft" in html
    assert "Overdue for review" in html
    assert "Testshire Constabulary" in html


def test_parties_sign_then_the_owner_activates_the_agreement(world: World, sign_in: SignIn) -> None:
    agreement = draft_agreement(world)
    detail = reverse("web:agreement-detail", args=[agreement.pk])
    admin = sign_in(world.system_admin)
    page = admin.get(detail).content.decode()
    assert "Sign for Testshire Children" in page
    assert "6(1)(e): public task" in page

    # Activating before every party has signed is refused, with the reason.
    response = admin.post(
        reverse("web:agreement-status", args=[agreement.pk]), {"status": "active"}
    )
    assert response.status_code == 200
    assert "Every party must sign before the agreement is active" in response.content.decode()

    assert admin.post(reverse("web:agreement-sign", args=[agreement.pk])).status_code == 302
    other_ig = PractitionerFactory(agency=world.other_agency, roles=[Role.INFORMATION_GOVERNANCE])
    other = sign_in(other_ig)
    assert "Sign for Testshire Constabulary" in other.get(detail).content.decode()
    assert other.post(reverse("web:agreement-sign", args=[agreement.pk])).status_code == 302
    assert AgreementSignature.objects.filter(agreement=agreement).count() == 2
    assert "Sign for" not in other.get(detail).content.decode()

    response = admin.post(
        reverse("web:agreement-status", args=[agreement.pk]), {"status": "active"}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE


def test_signing_twice_shows_the_error(world: World, sign_in: SignIn) -> None:
    agreement = draft_agreement(world)
    admin = sign_in(world.system_admin)
    admin.post(reverse("web:agreement-sign", args=[agreement.pk]))
    response = admin.post(reverse("web:agreement-sign", args=[agreement.pk]))
    assert response.status_code == 200
    assert "Your agency has already signed this agreement" in response.content.decode()
    assert AgreementSignature.objects.filter(agreement=agreement).count() == 1


def test_party_that_does_not_own_the_agreement_cannot_change_its_status(
    world: World, sign_in: SignIn
) -> None:
    agreement = draft_agreement(world)
    other_ig = PractitionerFactory(agency=world.other_agency, roles=[Role.INFORMATION_GOVERNANCE])
    client = sign_in(other_ig)
    assert (
        "Change the status"
        not in client.get(reverse("web:agreement-detail", args=[agreement.pk])).content.decode()
    )
    response = client.post(
        reverse("web:agreement-status", args=[agreement.pk]), {"status": "expired"}
    )
    assert response.status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_practitioner_without_agreement_management_cannot_sign(
    world: World, sign_in: SignIn
) -> None:
    agreement = draft_agreement(world)
    client = sign_in(world.dsl)
    assert (
        "Sign for"
        not in client.get(reverse("web:agreement-detail", args=[agreement.pk])).content.decode()
    )
    assert client.post(reverse("web:agreement-sign", args=[agreement.pk])).status_code == 403
    assert not AgreementSignature.objects.exists()


# --- Practitioners --------------------------------------------------------------------------------


def test_agency_admin_lists_only_their_own_agencys_practitioners(
    world: World, sign_in: SignIn
) -> None:
    html = sign_in(world.agency_admin).get(reverse("web:practitioner-list")).content.decode()
    assert world.worker.full_name in html
    assert world.outsider.full_name not in html


def test_practitioner_cannot_open_the_practitioner_pages(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    assert client.get(reverse("web:practitioner-list")).status_code == 403
    assert client.get(reverse("web:practitioner-create")).status_code == 403
    detail = reverse("web:practitioner-detail", args=[world.colleague.pk])
    assert client.get(detail).status_code == 403


def test_agency_admin_adds_a_practitioner_to_their_own_agency(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.agency_admin)
    form = client.get(reverse("web:practitioner-create")).content.decode()
    assert 'value="system_admin"' not in form
    assert 'name="agency"' not in form
    response = client.post(reverse("web:practitioner-create"), new_practitioner())
    created = Practitioner.objects.get(username="fake.newstarter")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:practitioner-detail", args=[created.pk])
    assert created.agency == world.agency
    assert created.role_codes() == ["practitioner"]
    assert created.check_password("plausible-Long-passphrase-42")
    assert client.get(response["Location"]).status_code == 200


def test_agency_admin_cannot_make_a_system_admin(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.agency_admin).post(
        reverse("web:practitioner-create"), new_practitioner(roles=["system_admin"])
    )
    assert response.status_code == 200
    assert "Select at least one role" in response.content.decode()
    assert not Practitioner.objects.filter(username="fake.newstarter").exists()


def test_system_admin_adds_a_practitioner_to_another_agency(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.system_admin).post(
        reverse("web:practitioner-create"),
        new_practitioner(agency=str(world.other_agency.pk), roles=["dsl", "practitioner"]),
    )
    assert response.status_code == 302
    created = Practitioner.objects.get(username="fake.newstarter")
    assert created.agency == world.other_agency
    assert created.role_codes() == ["dsl", "practitioner"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password": "short"}, "This password is too short"),
        ({"password": "password12345"}, "This password is too common"),
        ({"username": WORKERS_USERNAME}, "is already in use"),
        ({"roles": []}, "Select at least one role"),
        ({"given_name": ""}, "Enter the given name"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
    ],
)
def test_bad_practitioner_input_shows_the_error_summary_and_creates_nothing(
    world: World, sign_in: SignIn, change: dict[str, Any], message: str
) -> None:
    if change.get("username") == WORKERS_USERNAME:
        change = {"username": world.worker.username}
    before = Practitioner.objects.count()
    response = sign_in(world.agency_admin).post(
        reverse("web:practitioner-create"), new_practitioner(**change)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert message in html
    assert Practitioner.objects.count() == before


def test_agency_admin_of_another_agency_gets_not_found_for_a_practitioner_not_theirs(
    world: World, sign_in: SignIn
) -> None:
    other_admin = PractitionerFactory(agency=world.other_agency, roles=[Role.AGENCY_ADMIN])
    response = sign_in(other_admin).get(reverse("web:practitioner-detail", args=[world.worker.pk]))
    assert response.status_code == 404
    assert world.worker.full_name not in response.content.decode()
    own = sign_in(world.agency_admin).get(
        reverse("web:practitioner-detail", args=[world.worker.pk])
    )
    assert own.status_code == 200


# --- Resetting a practitioner's authenticator app -------------------------------------------------

RESET_REASON = "Lost their phone; identity confirmed by calling the fake team number"


def give_authenticator_apps(practitioner: Practitioner) -> None:
    """A confirmed app and an abandoned, unconfirmed set-up: a reset removes both."""
    TOTPDevice.objects.create(user=practitioner, name="Authenticator app", confirmed=True)
    TOTPDevice.objects.create(user=practitioner, name="Authenticator app", confirmed=False)


def reset_url(practitioner: Practitioner) -> str:
    return reverse("web:practitioner-reset-authenticator", args=[practitioner.pk])


def test_agency_admin_resets_the_authenticator_app_of_a_practitioner_in_their_own_agency(
    world: World, sign_in: SignIn
) -> None:
    give_authenticator_apps(world.worker)
    client = sign_in(world.agency_admin)
    detail = client.get(reverse("web:practitioner-detail", args=[world.worker.pk]))
    assert reset_url(world.worker) in detail.content.decode()
    page = client.get(reset_url(world.worker))
    assert page.status_code == 200
    assert "govuk-warning-text" in page.content.decode()

    response = client.post(reset_url(world.worker), {"reason": RESET_REASON})

    assert response.status_code == 302
    assert response["Location"] == reverse("web:practitioner-detail", args=[world.worker.pk])
    assert "has been reset" in client.get(response["Location"]).content.decode()
    assert not TOTPDevice.objects.filter(user=world.worker).exists()
    entry = LedgerEntry.objects.get(event_code=Event.TOTP_RESET)
    assert entry.actor_id == world.agency_admin.pk
    assert entry.object_id == str(world.worker.pk)
    assert json.loads(entry.details) == {"devices": 2, "reason_given": True}
    assert "phone" not in entry.details
    # The practitioner's next sign-in goes to setting up a new app.
    sign_in_page = Client().post(
        reverse("web:sign-in"),
        {"username": world.worker.username, "password": "correct-horse-battery-staple"},
    )
    assert sign_in_page["Location"] == reverse("web:two-factor-setup")


def test_agency_admin_of_another_agency_cannot_reset_an_authenticator_app_not_theirs(
    world: World, sign_in: SignIn
) -> None:
    give_authenticator_apps(world.worker)
    other_admin = PractitionerFactory(agency=world.other_agency, roles=[Role.AGENCY_ADMIN])
    client = sign_in(other_admin)
    assert client.get(reset_url(world.worker)).status_code == 404
    response = client.post(reset_url(world.worker), {"reason": RESET_REASON})
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=world.worker).count() == 2
    assert not LedgerEntry.objects.filter(event_code=Event.TOTP_RESET).exists()


def test_practitioner_without_practitioner_management_cannot_reset_an_authenticator_app(
    world: World, sign_in: SignIn
) -> None:
    give_authenticator_apps(world.colleague)
    client = sign_in(world.worker)
    assert client.get(reset_url(world.colleague)).status_code == 403
    response = client.post(reset_url(world.colleague), {"reason": RESET_REASON})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=world.colleague).count() == 2


def test_system_admin_resets_an_authenticator_app_in_another_agency(
    world: World, sign_in: SignIn
) -> None:
    give_authenticator_apps(world.outsider)
    client = sign_in(world.system_admin)
    detail = reverse("web:practitioner-detail", args=[world.outsider.pk])
    assert reset_url(world.outsider) in client.get(detail).content.decode()
    response = client.post(reset_url(world.outsider), {"reason": RESET_REASON})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.outsider).exists()


def test_agency_admin_cannot_reset_their_own_authenticator_app(
    world: World, sign_in: SignIn
) -> None:
    client = sign_in(world.agency_admin)
    response = client.post(reset_url(world.agency_admin), {"reason": RESET_REASON})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "You cannot reset your own authenticator app; ask another administrator" in html
    assert TOTPDevice.objects.filter(user=world.agency_admin).count() == 1
    assert not LedgerEntry.objects.filter(event_code=Event.TOTP_RESET).exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_reset_without_a_reason_shows_the_error_summary_and_removes_nothing(
    world: World, sign_in: SignIn, reason: str
) -> None:
    give_authenticator_apps(world.worker)
    response = sign_in(world.agency_admin).post(reset_url(world.worker), {"reason": reason})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter the reason for resetting the authenticator app" in html
    assert TOTPDevice.objects.filter(user=world.worker).count() == 2
    assert not LedgerEntry.objects.filter(event_code=Event.TOTP_RESET).exists()
