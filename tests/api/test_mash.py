"""MASH API: the hub's MASH officers record and work contacts, its DSLs read them, other
agencies get the same 404 as for a missing contact; bad input is a precise 4xx and changes
nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from safeshare.agencies.models import Practitioner
from safeshare.core import clock
from safeshare.disclosures.models import OPEN_REQUEST_STATUSES, InformationRequest
from safeshare.ledger.events import Event
from safeshare.mash.models import MashContact
from safeshare.mash.services import enquiries_send
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.mash.helpers import MashWorld, mash, record

__all__ = ["mash"]

pytestmark = pytest.mark.django_db

CallAs = Callable[[Practitioner], ApiCaller]


def _body(world: MashWorld, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "received_at": (clock.now() - dt.timedelta(minutes=10)).isoformat(),
        "source": "referral_form",
        "referrer_agency_id": str(world.school.pk),
        "referrer_name": "Pat Fakeworth",
        "parental_awareness": "aware_and_agree",
        "nhs_number": "9990000018",
        "family_name": "Fakeworth",
        "date_of_birth": "2018-04-01",
        "postcode": "ZZ1 1AA",
        "category": "neglect",
        "concerns": "Often hungry and in unwashed clothes",
    }
    body.update(changes)
    return body


def test_mash_officer_records_a_contact(mash: MashWorld, call_as: CallAs) -> None:
    response = call_as(mash.officer).post("/api/mash/contacts", _body(mash))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "new"
    assert data["referrer_agency"]["id"] == str(mash.school.pk)
    assert [t["state"] for t in data["timescales"]] == ["on_time", "on_time"]
    assert ledger_count(Event.MASH_CONTACT_RECORDED) == 1


def test_dsl_cannot_record_a_contact(mash: MashWorld, call_as: CallAs) -> None:
    response = call_as(mash.manager).post("/api/mash/contacts", _body(mash))
    assert response.status_code == 403
    assert MashContact.objects.count() == 0


def test_naive_received_at_is_refused_with_422(mash: MashWorld, call_as: CallAs) -> None:
    response = call_as(mash.officer).post(
        "/api/mash/contacts", _body(mash, received_at="2026-03-10T09:00:00")
    )
    assert response.status_code == 422
    assert response.json()["field"] == "received_at"
    assert MashContact.objects.count() == 0


def test_refused_contact_names_its_field(mash: MashWorld, call_as: CallAs) -> None:
    response = call_as(mash.officer).post(
        "/api/mash/contacts", _body(mash, parental_awareness="not_told_other")
    )
    assert response.status_code == 422
    assert response.json()["field"] == "awareness_reason"
    assert MashContact.objects.count() == 0


def test_unknown_referrer_agency_is_404_on_its_field(mash: MashWorld, call_as: CallAs) -> None:
    response = call_as(mash.officer).post(
        "/api/mash/contacts", _body(mash, referrer_agency_id=str(uuid.uuid4()))
    )
    assert response.status_code == 404
    assert response.json()["field"] == "referrer_agency_id"


def test_hub_dsl_reads_the_contact_and_the_list(mash: MashWorld, call_as: CallAs) -> None:
    contact = record(mash)
    caller = call_as(mash.manager)
    one = caller.get(f"/api/mash/contacts/{contact.pk}")
    assert one.status_code == 200
    assert one.json()["concerns"].startswith("Came to school")
    listed = caller.get("/api/mash/contacts", rating="none")
    assert listed.json()["count"] == 1
    assert ledger_count(Event.MASH_CONTACT_VIEWED) == 1
    assert ledger_count(Event.MASH_CONTACT_LISTED) == 1


@pytest.mark.parametrize("who", ["police_mash", "school_dsl"])
def test_other_agencies_get_the_same_404_as_for_a_missing_contact(
    mash: MashWorld, call_as: CallAs, who: str
) -> None:
    contact = record(mash)
    caller = call_as(getattr(mash, who))
    forbidden = caller.get(f"/api/mash/contacts/{contact.pk}")
    missing = caller.get(f"/api/mash/contacts/{uuid.uuid4()}")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json() == not_found_body()
    assert caller.get("/api/mash/contacts").json()["count"] == 0


def test_police_mash_officer_cannot_rate_the_hubs_contact(mash: MashWorld, call_as: CallAs) -> None:
    contact = record(mash)
    response = call_as(mash.police_mash).post(
        f"/api/mash/contacts/{contact.pk}/rating", {"rating": "red", "reasons": "x"}
    )
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.rag_rating == ""


def test_hub_dsl_cannot_rate(mash: MashWorld, call_as: CallAs) -> None:
    contact = record(mash)
    response = call_as(mash.manager).post(
        f"/api/mash/contacts/{contact.pk}/rating", {"rating": "red", "reasons": "x"}
    )
    assert response.status_code == 403


def test_mash_officer_sends_enquiries_rates_decides_and_closes(
    mash: MashWorld, call_as: CallAs
) -> None:
    contact = record(mash)
    caller = call_as(mash.officer)
    base = f"/api/mash/contacts/{contact.pk}"
    sent = caller.post(
        f"{base}/enquiries",
        {
            "partner_agency_ids": [str(mash.police.pk)],
            "information_sought": "Call-outs to the address",
            "justification": "Deciding on the response",
        },
    )
    assert sent.status_code == 201, sent.content
    (enquiry,) = sent.json()["enquiries"]
    assert enquiry["partner_agency"]["name"] == mash.police.name
    assert enquiry["state"] == "on_time"
    assert InformationRequest.objects.get().purpose == "mash_triage"
    rated = caller.post(f"{base}/rating", {"rating": "red", "reasons": "Injury"})
    assert rated.json()["rag_rating"] == "red"
    unsaid = caller.post(
        f"{base}/outcome", {"outcome": "strategy_discussion", "reasons": "Significant harm"}
    )
    assert unsaid.status_code == 422
    assert unsaid.json()["field"] == "withdraw_open_enquiries"
    decided = caller.post(
        f"{base}/outcome",
        {
            "outcome": "strategy_discussion",
            "reasons": "Significant harm",
            "withdraw_open_enquiries": False,
        },
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "decided"
    assert decided.json()["enquiries"][0]["request_status"] in OPEN_REQUEST_STATUSES
    closed = caller.post(f"{base}/closure", {})
    assert closed.json()["status"] == "closed"
    again = caller.post(f"{base}/outcome", {"outcome": "early_help", "reasons": "x"})
    assert again.status_code == 409


def test_enquiry_to_the_hubs_own_agency_is_404_on_its_field(
    mash: MashWorld, call_as: CallAs
) -> None:
    contact = record(mash)
    response = call_as(mash.officer).post(
        f"/api/mash/contacts/{contact.pk}/enquiries",
        {
            "partner_agency_ids": [str(mash.hub.pk)],
            "information_sought": "x",
            "justification": "y",
        },
    )
    assert response.status_code == 404
    assert response.json()["field"] == "partner_agency_ids"
    assert InformationRequest.objects.count() == 0


def test_outcome_before_rating_is_422(mash: MashWorld, call_as: CallAs) -> None:
    contact = record(mash)
    response = call_as(mash.officer).post(
        f"/api/mash/contacts/{contact.pk}/outcome", {"outcome": "early_help", "reasons": "x"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "outcome"


def test_dashboard_figures(mash: MashWorld, call_as: CallAs) -> None:
    with clock.frozen(clock.now() - dt.timedelta(hours=30)):
        contact = record(mash, received_at=clock.now())
        enquiries_send(
            actor=mash.officer,
            contact=contact,
            partner_agencies=[mash.police],
            information_sought="History",
            justification="Triage",
        )
    response = call_as(mash.manager).get("/api/mash/dashboard")
    assert response.status_code == 200
    data = response.json()
    assert data["open_total"] == 1
    assert data["overdue_total"] == 1
    assert data["overdue_enquiries"] == [{"agency": mash.police.name, "overdue": 1}]
    assert ledger_count(Event.MASH_DASHBOARD_VIEWED) == 1


def test_practitioner_without_mash_view_is_refused_the_dashboard(
    mash: MashWorld, call_as: CallAs
) -> None:
    assert call_as(mash.worker).get("/api/mash/dashboard").status_code == 403


def test_outcome_withdrawing_open_enquiries_and_passing_to_the_allocated_worker(
    mash: MashWorld, call_as: CallAs
) -> None:
    contact = record(mash)
    enquiries_send(
        actor=mash.officer,
        contact=contact,
        partner_agencies=[mash.police],
        information_sought="History",
        justification="Triage",
    )
    caller = call_as(mash.officer)
    base = f"/api/mash/contacts/{contact.pk}"
    caller.post(f"{base}/rating", {"rating": "amber", "reasons": "Open case"})
    missing = caller.post(
        f"{base}/outcome",
        {"outcome": "already_open", "reasons": "Open case", "withdraw_open_enquiries": True},
    )
    assert missing.status_code == 422
    assert missing.json()["field"] == "allocated_worker"
    assert InformationRequest.objects.get().status != "withdrawn"
    decided = caller.post(
        f"{base}/outcome",
        {
            "outcome": "already_open",
            "allocated_worker": "Testy Caseworker",
            "reasons": "Open case",
            "withdraw_open_enquiries": True,
        },
    )
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert body["outcome"] == "already_open"
    assert body["allocated_worker"] == "Testy Caseworker"
    assert [e["request_status"] for e in body["enquiries"]] == ["withdrawn"]
    assert ledger_count(Event.MASH_ENQUIRY_WITHDRAWN) == 1


def test_immediate_protection_for_a_green_contact_is_422_and_a_string_flag_is_refused(
    mash: MashWorld, call_as: CallAs
) -> None:
    contact = record(mash)
    caller = call_as(mash.officer)
    base = f"/api/mash/contacts/{contact.pk}"
    caller.post(f"{base}/rating", {"rating": "green", "reasons": "Low level"})
    refused = caller.post(f"{base}/outcome", {"outcome": "immediate_protection", "reasons": "x"})
    assert refused.status_code == 422
    assert refused.json()["field"] == "outcome"
    loose = caller.post(
        f"{base}/outcome",
        {"outcome": "early_help", "reasons": "x", "withdraw_open_enquiries": "yes"},
    )
    assert loose.status_code == 422
    contact.refresh_from_db()
    assert contact.outcome == ""
