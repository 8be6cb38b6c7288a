"""Consent through the API: record given, refused and not sought; list; withdraw (with recalls);
the consent position for one share. Every change has its ledger row; refusals change nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from safeshare.consent.models import Consent, ConsentRecall
from safeshare.core import clock
from safeshare.decisions.engine import ConsentState
from safeshare.ledger.events import Event
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.conftest import World
from tests.decisions.helpers import facts as facts_with
from tests.decisions.helpers import given_consent, record

pytestmark = pytest.mark.django_db

Caller = Callable[..., ApiCaller]
NOW = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def given_body(world: World, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "state": "given",
        "given_by": "parental_responsibility",
        "given_by_name": "Fakemum Testington (mother)",
        "method": "written",
        "evidence": "Signed form scanned to the case file",
        "purposes": ["child_protection"],
        "categories": ["child"],
        "recipient_agency_ids": [str(world.other_agency.pk)],
        "expires_on": "2027-05-01",
    }
    body.update(changes)
    return body


def consents_url(world: World) -> str:
    return f"/api/people/{world.case.subject_id}/consents"


# --- Record --------------------------------------------------------------------------------------


def test_worker_can_record_consent_given_and_it_is_in_the_ledger(
    world: World, call_as: Caller
) -> None:
    response = call_as(world.worker).post(consents_url(world), given_body(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "given"
    assert [a["id"] for a in body["recipient_agencies"]] == [str(world.other_agency.pk)]
    assert body["expires_on"] == "2027-05-01"
    assert ledger_count(Event.CONSENT_RECORDED, object_id=body["id"]) == 1


def test_worker_can_record_a_refusal_and_it_is_in_the_ledger(world: World, call_as: Caller) -> None:
    body = {
        "state": "refused",
        "given_by": "parental_responsibility",
        "given_by_name": "Fakemum Testington (mother)",
        "method": "verbal",
    }
    response = call_as(world.worker).post(consents_url(world), body)
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "refused"
    assert ledger_count(Event.CONSENT_REFUSED, object_id=response.json()["id"]) == 1


def test_worker_can_record_consent_not_sought_and_it_is_in_the_ledger(
    world: World, call_as: Caller
) -> None:
    body = {
        "state": "not_sought",
        "not_sought_reason": "child_at_increased_risk",
        "not_sought_explanation": "Telling the father would put Fakechild at risk.",
    }
    response = call_as(world.worker).post(consents_url(world), body)
    assert response.status_code == 201, response.content
    assert response.json()["not_sought_reason"] == "child_at_increased_risk"
    assert ledger_count(Event.CONSENT_NOT_SOUGHT, object_id=response.json()["id"]) == 1


def test_consent_given_without_expiry_is_422_and_nothing_is_written(
    world: World, call_as: Caller
) -> None:
    body = given_body(world)
    del body["expires_on"]
    response = call_as(world.worker).post(consents_url(world), body)
    assert response.status_code == 422
    assert response.json()["field"] == "expires_on"
    assert Consent.objects.count() == 0


def test_refusal_with_fields_of_another_state_is_422(world: World, call_as: Caller) -> None:
    body = given_body(world, state="refused")  # a refusal has no expiry date
    response = call_as(world.worker).post(consents_url(world), body)
    assert response.status_code == 422
    assert Consent.objects.count() == 0


def test_consent_with_no_category_is_422_naming_the_field(world: World, call_as: Caller) -> None:
    response = call_as(world.worker).post(consents_url(world), given_body(world, categories=[]))
    assert response.status_code == 422
    assert response.json()["field"] == "categories"
    assert Consent.objects.count() == 0


def test_consent_naming_an_unknown_agency_is_404_naming_the_field(
    world: World, call_as: Caller
) -> None:
    body = given_body(world, recipient_agency_ids=[str(uuid.uuid4())])
    response = call_as(world.worker).post(consents_url(world), body)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found", "field": "recipient_agency_ids"}
    assert Consent.objects.count() == 0


def test_colleague_not_allocated_cannot_record_consent(world: World, call_as: Caller) -> None:
    response = call_as(world.colleague).post(consents_url(world), given_body(world))
    assert response.status_code == 404
    assert response.json() == not_found_body()
    assert Consent.objects.count() == 0


def test_agency_admin_without_the_capability_cannot_record_consent(
    world: World, call_as: Caller
) -> None:
    response = call_as(world.agency_admin).post(consents_url(world), given_body(world))
    assert response.status_code == 403
    assert Consent.objects.count() == 0


# --- List ----------------------------------------------------------------------------------------


def test_worker_can_list_a_persons_consents(world: World, call_as: Caller) -> None:
    consent = given_consent(world, world.other_agency)
    response = call_as(world.worker).get(consents_url(world))
    assert response.status_code == 200
    assert [c["id"] for c in response.json()] == [str(consent.pk)]


def test_outsider_gets_404_for_a_persons_consents(world: World, call_as: Caller) -> None:
    given_consent(world, world.other_agency)
    response = call_as(world.outsider).get(consents_url(world))
    assert response.status_code == 404
    assert response.json() == not_found_body()


# --- Withdraw ------------------------------------------------------------------------------------


def test_withdrawing_consent_recalls_what_was_shared_on_it(world: World, call_as: Caller) -> None:
    consent = given_consent(world, world.other_agency)
    decision = record(
        world,
        facts_with(consent=ConsentState.GIVEN, significant_harm_concern=False),
        consent=consent,
    )
    response = call_as(world.worker).post(
        f"/api/consents/{consent.pk}/withdraw", {"note": "Mother phoned to withdraw consent."}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "withdrawn"
    [recall] = ConsentRecall.objects.filter(consent=consent)
    assert recall.shared_object_id == str(decision.pk)
    assert ledger_count(Event.CONSENT_WITHDRAWN, object_id=str(consent.pk)) == 1
    assert ledger_count(Event.RECALL_CREATED, object_id=str(recall.pk)) == 1


def test_withdrawing_twice_is_409(world: World, call_as: Caller) -> None:
    consent = given_consent(world, world.other_agency)
    caller = call_as(world.worker)
    url = f"/api/consents/{consent.pk}/withdraw"
    assert caller.post(url, {"note": "Withdrawn by phone."}).status_code == 200
    again = caller.post(url, {"note": "Withdrawn again."})
    assert again.status_code == 409
    assert ledger_count(Event.CONSENT_WITHDRAWN, object_id=str(consent.pk)) == 1


def test_outsider_gets_the_same_404_for_a_hidden_and_a_missing_consent(
    world: World, call_as: Caller
) -> None:
    consent = given_consent(world, world.other_agency)
    caller = call_as(world.outsider)
    hidden = caller.post(f"/api/consents/{consent.pk}/withdraw", {"note": "No."})
    missing = caller.post(f"/api/consents/{uuid.uuid4()}/withdraw", {"note": "No."})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    consent.refresh_from_db()
    assert consent.state == "given"


# --- Consent position ----------------------------------------------------------------------------


def state_url(world: World) -> str:
    return f"/api/people/{world.case.subject_id}/consent-state"


def test_worker_reads_the_consent_position_for_one_share(world: World, call_as: Caller) -> None:
    consent = given_consent(world, world.other_agency)
    caller = call_as(world.worker)
    params = {
        "purpose": "child_protection",
        "recipient_agency_id": str(world.other_agency.pk),
        "category": "child",
    }
    covered = caller.get(state_url(world), **params).json()
    assert (covered["state"], covered["consent"]["id"]) == ("given", str(consent.pk))
    other_category = caller.get(state_url(world), **{**params, "category": "parenting"}).json()
    assert other_category == {"state": "not_asked", "consent": None}
    with clock.frozen(dt.datetime(2027, 6, 1, 9, tzinfo=dt.UTC)):
        later = call_as(world.worker)  # a fresh token: the first has expired by then
        assert later.get(state_url(world), **params).json()["state"] == "expired"


def test_consent_position_for_an_unknown_recipient_is_404_naming_it(
    world: World, call_as: Caller
) -> None:
    response = call_as(world.worker).get(
        state_url(world),
        purpose="child_protection",
        recipient_agency_id=str(uuid.uuid4()),
        category="child",
    )
    assert response.status_code == 404
    assert response.json()["field"] == "recipient_agency_id"


def test_colleague_not_allocated_gets_404_for_the_consent_position(
    world: World, call_as: Caller
) -> None:
    response = call_as(world.colleague).get(
        state_url(world),
        purpose="child_protection",
        recipient_agency_id=str(world.other_agency.pk),
        category="child",
    )
    assert response.status_code == 404
    assert response.json() == not_found_body()
