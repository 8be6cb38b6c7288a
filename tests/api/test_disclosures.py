"""Requests and disclosures through the API: request -> decision -> preview -> disclosure ->
acknowledgement -> undertaking -> read-back -> correction -> confirmation, with every step in the
ledger; who may see what (404 otherwise); refusals change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from safeshare.agencies.models import Practitioner, Role
from safeshare.core import clock
from safeshare.disclosures.models import Disclosure, InformationRequest
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.conftest import World
from tests.disclosures.helpers import NOW, Sharing, sharing
from tests.factories import AddressFactory, ItemFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

Caller = Callable[[Practitioner], ApiCaller]
NHS = "9434765919"


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def s(world: World) -> Sharing:
    child = world.case.subject
    child.nhs_number = NHS
    child.save()
    return sharing(world)


def disclosure_body(s: Sharing, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "decision_id": str(s.decision.pk),
        "recipient_id": str(s.recipient.pk),
        "items": [
            {
                "item_id": str(s.world.item.pk),
                "content_redactions": [{"start": 0, "end": 9, "reason": "Not needed"}],
            }
        ],
    }
    body.update(changes)
    return body


def request_body(world: World, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "receiving_agency_id": str(world.agency.pk),
        "kind": "request",
        "purpose": "child_protection",
        "urgency": "within_24_hours",
        "information_sought": "Any concerns about Fakechild this year",
        "justification": "Fake strategy discussion tomorrow",
        "nhs_number": NHS,
    }
    body.update(changes)
    return body


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    return body


def test_two_agencies_complete_request_to_confirmed_read_back_through_the_api(
    s: Sharing, call_as: Caller
) -> None:
    world = s.world
    officer, worker = call_as(s.recipient), call_as(world.worker)
    asked = ok(officer.post("/api/requests", request_body(world)), 201)
    assert asked["status"] == "assigned"
    assert asked["assigned_to"]["id"] == str(world.worker.pk)
    assert asked["matched_case_id"] == str(world.case.pk)
    inbox = ok(worker.get("/api/requests/inbox"))
    assert [r["id"] for r in inbox] == [asked["id"]]

    body = disclosure_body(s, request_id=asked["id"])
    preview = ok(worker.post("/api/disclosures/preview", body))
    assert Disclosure.objects.count() == 0
    shared = ok(worker.post("/api/disclosures", body), 201)
    assert shared["status"] == "issued"
    assert shared["request_id"] == asked["id"]
    assert ok(officer.get(f"/api/requests/{asked['id']}"))["status"] == "answered"

    assert [d["id"] for d in ok(officer.get("/api/disclosures/awaiting-acknowledgement"))] == [
        shared["id"]
    ]
    content = ok(officer.get(f"/api/disclosures/{shared['id']}/content"))
    assert content["html"] == preview["html"]
    assert "[redacted: Not needed]" in content["html"]

    base = f"/api/disclosures/{shared['id']}"
    ok(officer.post(f"{base}/acknowledgement", {}))
    ok(officer.post(f"{base}/undertaking", {}))
    ok(officer.post(f"{base}/read-back", {"understanding": "The child is in danger."}))
    waiting = ok(worker.get("/api/disclosures/awaiting-read-back-confirmation"))
    assert [d["id"] for d in waiting] == [shared["id"]]
    ok(worker.post(f"{base}/read-back/correction", {"correction": "A concern, not danger."}))
    ok(officer.post(f"{base}/read-back", {"understanding": "One worrying observation."}))
    confirmed = ok(worker.post(f"{base}/read-back/confirmation", {}))
    assert confirmed["status"] == "read_back_confirmed"
    assert confirmed["read_back"] == "One worrying observation."
    for event in (
        Event.REQUEST_CREATED,
        Event.REQUEST_ROUTED,
        Event.DISCLOSURE_PREVIEWED,
        Event.DISCLOSURE_ISSUED,
        Event.REQUEST_ANSWERED,
        Event.DISCLOSURE_CONTENT_VIEWED,
        Event.DISCLOSURE_ACKNOWLEDGED,
        Event.DISCLOSURE_UNDERTAKING_ACCEPTED,
        Event.DISCLOSURE_READ_BACK,
        Event.DISCLOSURE_READ_BACK_CORRECTED,
        Event.DISCLOSURE_READ_BACK_CONFIRMED,
    ):
        assert ledger_count(event) >= 1, event.name


def test_refused_request_tells_the_requester_and_can_be_reconsidered(
    s: Sharing, call_as: Caller
) -> None:
    world = s.world
    officer, dsl = call_as(s.recipient), call_as(world.dsl)
    asked = ok(officer.post("/api/requests", request_body(world)), 201)
    refused = ok(
        dsl.post(
            f"/api/requests/{asked['id']}/refusal",
            {"message": "We need to know what the concern is.", "reasons": "No harm described"},
        )
    )
    assert refused["status"] == "refused"
    seen = ok(officer.get(f"/api/requests/{asked['id']}"))
    assert seen["refusal_message"] == "We need to know what the concern is."
    again = ok(
        officer.post(
            f"/api/requests/{asked['id']}/reconsideration",
            {"new_information": "A fake neighbour reported shouting."},
        ),
        201,
    )
    assert again["reconsideration_of_id"] == asked["id"]
    # Refusing a closed request is a conflict and changes nothing.
    before = LedgerEntry.objects.filter(event_code=Event.REQUEST_REFUSED).count()
    response = dsl.post(f"/api/requests/{asked['id']}/refusal", {"message": "No", "reasons": "x"})
    assert response.status_code == 409
    assert LedgerEntry.objects.filter(event_code=Event.REQUEST_REFUSED).count() == before


def test_practitioners_not_party_cannot_see_a_request_or_a_disclosure(
    s: Sharing, call_as: Caller
) -> None:
    world = s.world
    asked = ok(call_as(s.recipient).post("/api/requests", request_body(world)), 201)
    shared = ok(call_as(world.worker).post("/api/disclosures", disclosure_body(s)), 201)
    recipients_colleague = PractitionerFactory(agency=world.other_agency)
    for outsider in (recipients_colleague, world.colleague):
        caller = call_as(outsider)
        for path in (
            f"/api/requests/{asked['id']}",
            f"/api/disclosures/{shared['id']}",
            f"/api/disclosures/{shared['id']}/content",
        ):
            response = caller.get(path)
            assert response.status_code == 404, path
            assert response.json() == not_found_body()
        assert ok(caller.get("/api/disclosures/shared-with-me")) == []
        response = caller.post(f"/api/disclosures/{shared['id']}/acknowledgement", {})
        assert response.status_code == 404


def test_recipient_cannot_read_content_after_revocation_but_the_record_stays(
    s: Sharing, call_as: Caller
) -> None:
    officer, worker = call_as(s.recipient), call_as(s.world.worker)
    shared = ok(worker.post("/api/disclosures", disclosure_body(s)), 201)
    revoked = ok(
        worker.post(f"/api/disclosures/{shared['id']}/revocation", {"reason": "Sent in error"})
    )
    assert revoked["status"] == "revoked"
    response = officer.get(f"/api/disclosures/{shared['id']}/content")
    assert response.status_code == 404
    listed = ok(officer.get("/api/disclosures/shared-with-me"))
    assert [(d["id"], d["state"], d["content_available"]) for d in listed] == [
        (shared["id"], "revoked", False)
    ]
    assert worker.get(f"/api/disclosures/{shared['id']}/content").status_code == 200


def test_recipient_loses_the_read_back_words_with_the_content_on_revocation(
    s: Sharing, call_as: Caller
) -> None:
    officer, worker = call_as(s.recipient), call_as(s.world.worker)
    shared = ok(worker.post("/api/disclosures", disclosure_body(s)), 201)
    base = f"/api/disclosures/{shared['id']}"
    ok(officer.post(f"{base}/acknowledgement", {}))
    ok(officer.post(f"{base}/undertaking", {}))
    ok(officer.post(f"{base}/read-back", {"understanding": "The child is in danger."}))
    ok(worker.post(f"{base}/read-back/correction", {"correction": "A concern, not danger."}))
    assert ok(officer.get(base))["read_back_response"] == "A concern, not danger."
    ok(worker.post(f"{base}/revocation", {"reason": "Sent in error"}))
    seen = ok(officer.get(base))
    assert (seen["read_back"], seen["read_back_response"]) == ("", "")
    kept = ok(worker.get(base))
    assert kept["read_back"] == "The child is in danger."
    assert kept["read_back_response"] == "A concern, not danger."


def test_recipient_cannot_read_content_after_expiry(s: Sharing, call_as: Caller) -> None:
    worker, officer = call_as(s.world.worker), call_as(s.recipient)
    body = disclosure_body(s, expires_at=(NOW + dt.timedelta(days=2)).isoformat())
    shared = ok(worker.post("/api/disclosures", body), 201)
    with clock.frozen(NOW + dt.timedelta(days=2)):
        assert officer.get(f"/api/disclosures/{shared['id']}/content").status_code == 404
        assert ok(officer.get(f"/api/disclosures/{shared['id']}"))["state"] == "expired"


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"recipient_id": "fake.officer@example.test"}, 422, "recipient_id"),
        ({"items": []}, 422, "items"),
        ({"decision_id": "00000000-0000-0000-0000-000000000000"}, 404, "decision_id"),
    ],
)
def test_bad_disclosures_are_refused_and_share_nothing(
    s: Sharing, call_as: Caller, change: dict[str, Any], status: int, field: str
) -> None:
    response = call_as(s.world.worker).post("/api/disclosures", disclosure_body(s, **change))
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert Disclosure.objects.count() == 0


def test_an_item_of_another_childs_case_is_refused(s: Sharing, call_as: Caller) -> None:
    world = s.world
    other_child_item = ItemFactory(case__agency=world.agency)
    body = disclosure_body(s, items=[{"item_id": str(other_child_item.pk)}])
    # The allocated worker cannot see it at all; the DSL can, and still cannot share it here.
    assert call_as(world.worker).post("/api/disclosures", body).status_code == 404
    dsl_decision = s.decision
    response = call_as(world.dsl).post(
        "/api/disclosures", {**body, "decision_id": str(dsl_decision.pk)}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "items"
    assert Disclosure.objects.count() == 0


def test_a_protected_address_needs_a_reason(s: Sharing, call_as: Caller) -> None:
    refuge = AddressFactory(person=s.world.case.subject, is_protected=True)
    worker = call_as(s.world.worker)
    body = disclosure_body(s, addresses=[{"address_id": str(refuge.pk)}])
    response = worker.post("/api/disclosures", body)
    assert response.status_code == 422
    assert response.json()["field"] == "inclusion_reason"
    body["addresses"][0]["inclusion_reason"] = "Joint visit tomorrow"
    preview = ok(worker.post("/api/disclosures/preview", body))
    assert "Protected address" in preview["html"]


def test_information_governance_cannot_share_or_ask(s: Sharing, call_as: Caller) -> None:
    ig = PractitionerFactory(agency=s.world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    caller = call_as(ig)
    assert caller.post("/api/disclosures", disclosure_body(s)).status_code == 403
    assert caller.post("/api/requests", request_body(s.world)).status_code == 403
    assert InformationRequest.objects.count() == 0
