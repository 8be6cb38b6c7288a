"""Consent pages: listing, recording given / refused / not sought, and withdrawing with recall."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeshare.consent.models import Consent, ConsentRecall
from safeshare.core import clock
from safeshare.decisions.engine import ConsentState
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.decisions.helpers import facts, given_consent, record
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db

MONDAY_NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def _record_url(world: World, kind: str) -> str:
    return reverse("web:consent-record", kwargs={"person_id": world.case.subject_id, "kind": kind})


def _given(world: World) -> dict[str, object]:
    return {
        "given_by": "parental_responsibility",
        "given_by_name": "Fakemum Testington, mother",
        "method": "written",
        "evidence": "Signed form scanned to the case file",
        "purposes": ["child_protection"],
        "recipient_agencies": [str(world.other_agency.pk)],
        "categories": ["child"],
        "expires_on": "2027-05-01",
    }


def test_allocated_practitioner_records_consent_given(world: World, sign_in: SignIn) -> None:
    with clock.frozen(MONDAY_NOON):
        client = sign_in(world.worker)
        for kind in ("given", "refused", "not-sought"):
            assert client.get(_record_url(world, kind)).status_code == 200
        response = client.post(_record_url(world, "given"), _given(world))
        assert response.status_code == 302
        consent = Consent.objects.get()
        assert consent.state == "given"
        assert list(consent.recipient_agencies.all()) == [world.other_agency]
        assert LedgerEntry.objects.filter(
            event_code=Event.CONSENT_RECORDED, object_id=str(consent.pk)
        ).exists()
        listing = client.get(response["Location"])
    assert listing.status_code == 200
    assert b"Consent given" in listing.content


def test_consent_without_scope_is_refused_and_nothing_written(
    world: World, sign_in: SignIn
) -> None:
    data = _given(world) | {"recipient_agencies": []}
    with clock.frozen(MONDAY_NOON):
        response = sign_in(world.worker).post(_record_url(world, "given"), data)
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Select at least one agency, or type of agency" in response.content
    assert not Consent.objects.exists()


def test_practitioner_records_refusal_and_not_sought(world: World, sign_in: SignIn) -> None:
    client = sign_in(world.worker)
    refused = client.post(
        _record_url(world, "refused"),
        {"given_by": "person", "given_by_name": "Fakemum Testington", "method": "verbal"},
    )
    assert refused.status_code == 302
    not_sought = client.post(
        _record_url(world, "not-sought"),
        {"not_sought_reason": "child_at_increased_risk", "not_sought_explanation": "Risk"},
    )
    assert not_sought.status_code == 302
    assert sorted(Consent.objects.values_list("state", flat=True)) == ["not_sought", "refused"]


def test_not_sought_without_explanation_shows_error(world: World, sign_in: SignIn) -> None:
    response = sign_in(world.worker).post(
        _record_url(world, "not-sought"), {"not_sought_reason": "undue_delay"}
    )
    assert b"There is a problem" in response.content
    assert not Consent.objects.exists()


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_practitioner_who_cannot_see_the_child_gets_404_on_consents(
    world: World, sign_in: SignIn, who: str
) -> None:
    with clock.frozen(MONDAY_NOON):
        consent = given_consent(world, world.other_agency)
        client = sign_in(getattr(world, who))
        list_url = reverse("web:consent-list", kwargs={"person_id": world.case.subject_id})
        assert client.get(list_url).status_code == 404
        assert client.post(_record_url(world, "given"), _given(world)).status_code == 404
        withdraw = reverse("web:consent-withdraw", kwargs={"consent_id": consent.pk})
        assert client.post(withdraw, {"note": "x"}).status_code == 404
    assert Consent.objects.count() == 1


def test_withdrawing_consent_creates_a_recall_for_each_share(world: World, sign_in: SignIn) -> None:
    with clock.frozen(MONDAY_NOON):
        consent = given_consent(world, world.other_agency)
        decision = record(world, facts(consent=ConsentState.GIVEN), consent=consent)
        client = sign_in(world.worker)
        url = reverse("web:consent-withdraw", kwargs={"consent_id": consent.pk})
        page = client.get(url)
        assert page.status_code == 200
        empty = client.post(url, {"note": ""})
        assert b"There is a problem" in empty.content
        response = client.post(url, {"note": "Mother phoned to withdraw consent"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.state == "withdrawn"
    recall = ConsentRecall.objects.get()
    assert recall.shared_object_id == str(decision.pk)
    assert LedgerEntry.objects.filter(event_code=Event.RECALL_CREATED).exists()


def test_withdrawing_twice_is_refused(world: World, sign_in: SignIn) -> None:
    with clock.frozen(MONDAY_NOON):
        consent = given_consent(world, world.other_agency)
        client = sign_in(world.worker)
        url = reverse("web:consent-withdraw", kwargs={"consent_id": consent.pk})
        client.post(url, {"note": "Withdrawn by phone"})
        again = client.post(url, {"note": "Again"})
    assert again.status_code == 200
    assert b"That consent has already been withdrawn" in again.content
