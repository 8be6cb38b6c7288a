"""MASH services: record, enquiries, rating, outcome, close; each recorded in the ledger, and
bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from safeshare.core import clock
from safeshare.core.vocabulary import SharingPurpose
from safeshare.disclosures.models import InformationRequest, RequestStatus, Urgency
from safeshare.disclosures.services import request_withdraw
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.mash.exceptions import (
    MashContactInvalid,
    MashContactTransitionInvalid,
    MashEnquiryInvalid,
)
from safeshare.mash.models import ContactStatus, MashContact, MashEnquiry
from safeshare.mash.services import contact_close, contact_decide, contact_rate, enquiries_send
from tests.factories import PersonFactory
from tests.mash.helpers import NOW, MashWorld, record

pytestmark = pytest.mark.django_db


def _entries(event: Event) -> int:
    return LedgerEntry.objects.filter(event_code=int(event)).count()


def test_mash_officer_records_a_contact_with_its_timescales(mash: MashWorld) -> None:
    with clock.frozen(NOW):
        contact = record(mash, received_at=NOW)
    contact.refresh_from_db()
    assert contact.status == ContactStatus.NEW
    assert contact.hub_agency == mash.hub
    assert contact.assigned_to == mash.officer
    assert contact.rating_due_at == NOW + dt.timedelta(hours=2)
    assert contact.decision_due_at == NOW + dt.timedelta(days=1)  # Tuesday -> Wednesday
    assert contact.concerns.startswith("Came to school")
    assert contact.child_nhs_number == "9990000018"
    assert _entries(Event.MASH_CONTACT_RECORDED) == 1


def test_contact_details_are_encrypted_at_rest(mash: MashWorld) -> None:
    contact = record(mash)
    raw = MashContact.objects.filter(pk=contact.pk).values_list(
        "concerns", "child_family_name", "referrer_name"
    )[0]
    assert all("Fakeworth" not in value and "bruise" not in value for value in raw)


def test_police_mash_officer_cannot_record_a_contact_outside_a_council_hub(
    mash: MashWorld,
) -> None:
    with pytest.raises(MashContactInvalid, match="children's social care"):
        record(mash, actor=mash.police_mash)
    assert MashContact.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"source": "pigeon"}, "source"),
        ({"category": "unknown"}, "category"),
        ({"parental_awareness": "not_told_risk"}, "awareness_reason"),
        ({"nhs_number": "999 000 0019"}, "nhs_number"),
        ({"nhs_number": "", "family_name": ""}, "nhs_number"),
        ({"concerns": "   "}, "concerns"),
        ({"referrer_name": ""}, "referrer_name"),
        ({"date_of_birth": dt.date(2099, 1, 1)}, "date_of_birth"),
    ],
)
def test_bad_contact_is_refused_on_its_field_and_changes_nothing(
    mash: MashWorld, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(MashContactInvalid) as caught:
        record(mash, **changes)
    assert caught.value.field == field
    assert MashContact.objects.count() == 0
    assert _entries(Event.MASH_CONTACT_RECORDED) == 0


def test_contact_received_in_the_future_is_refused(mash: MashWorld) -> None:
    with pytest.raises(MashContactInvalid) as caught:
        record(mash, received_at=clock.now() + dt.timedelta(hours=1))
    assert caught.value.field == "received_at"


def test_contact_cannot_be_assigned_to_someone_who_is_not_a_mash_officer(
    mash: MashWorld,
) -> None:
    with pytest.raises(MashContactInvalid) as caught:
        record(mash, assigned_to=mash.worker)
    assert caught.value.field == "assigned_to"


def test_contact_cannot_link_a_person_held_by_another_agency(mash: MashWorld) -> None:
    with pytest.raises(MashContactInvalid) as caught:
        record(mash, person=PersonFactory(agency=mash.police))
    assert caught.value.field == "person"


def test_enquiries_are_requests_with_the_mash_purpose_and_a_24_hour_clock(
    mash: MashWorld,
) -> None:
    contact = record(mash)
    with clock.frozen(NOW):
        sent = enquiries_send(
            actor=mash.officer,
            contact=contact,
            partner_agencies=[mash.police, mash.school],
            information_sought="Any police call-outs to the home",
            justification="Bruising reported by the school; deciding on the response",
        )
    assert len(sent) == 2
    request = sent[0].request
    assert request.purpose == SharingPurpose.MASH_TRIAGE
    assert request.urgency == Urgency.WITHIN_24_HOURS
    assert request.due_at == NOW + dt.timedelta(hours=24)
    assert request.receiving_agency == mash.police
    assert request.child_nhs_number == "9990000018"
    contact.refresh_from_db()
    assert contact.status == ContactStatus.GATHERING
    assert _entries(Event.MASH_ENQUIRY_SENT) == 2


def test_enquiry_to_the_hub_itself_is_refused(mash: MashWorld) -> None:
    contact = record(mash)
    with pytest.raises(MashEnquiryInvalid, match="not your own"):
        enquiries_send(
            actor=mash.officer,
            contact=contact,
            partner_agencies=[mash.hub],
            information_sought="x",
            justification="y",
        )
    assert InformationRequest.objects.count() == 0


def test_second_enquiry_to_an_agency_still_answering_is_refused(mash: MashWorld) -> None:
    contact = record(mash)
    args = {"information_sought": "History", "justification": "Triage"}
    enquiries_send(actor=mash.officer, contact=contact, partner_agencies=[mash.police], **args)
    with pytest.raises(MashEnquiryInvalid, match="not answered"):
        enquiries_send(actor=mash.officer, contact=contact, partner_agencies=[mash.police], **args)
    assert MashEnquiry.objects.count() == 1


def test_agency_may_be_asked_again_once_its_enquiry_is_closed(mash: MashWorld) -> None:
    contact = record(mash)
    args = {"information_sought": "History", "justification": "Triage"}
    (first,) = enquiries_send(
        actor=mash.officer, contact=contact, partner_agencies=[mash.police], **args
    )
    request_withdraw(actor=mash.officer, request=first.request)
    assert first.request.status == RequestStatus.WITHDRAWN
    enquiries_send(actor=mash.officer, contact=contact, partner_agencies=[mash.police], **args)
    assert MashEnquiry.objects.count() == 2


def test_enquiry_without_text_is_refused_and_sends_nothing(mash: MashWorld) -> None:
    contact = record(mash)
    with pytest.raises(MashEnquiryInvalid) as caught:
        enquiries_send(
            actor=mash.officer,
            contact=contact,
            partner_agencies=[mash.police, mash.school],
            information_sought="History",
            justification="  ",
        )
    assert caught.value.field == "justification"
    assert InformationRequest.objects.count() == 0
    assert MashEnquiry.objects.count() == 0


def test_enquiry_needs_the_child_identified(mash: MashWorld) -> None:
    contact = record(mash, nhs_number="", postcode="")
    with pytest.raises(MashEnquiryInvalid, match="NHS number"):
        enquiries_send(
            actor=mash.officer,
            contact=contact,
            partner_agencies=[mash.police],
            information_sought="History",
            justification="Triage",
        )


def test_red_rating_brings_the_decision_forward_to_4_hours(mash: MashWorld) -> None:
    with clock.frozen(NOW):
        contact = record(mash, received_at=NOW)
    with clock.frozen(NOW + dt.timedelta(hours=1)):
        contact_rate(actor=mash.officer, contact=contact, rating="red", reasons="Injury to face")
    contact.refresh_from_db()
    assert contact.status == ContactStatus.AWAITING_DECISION
    assert contact.decision_due_at == NOW + dt.timedelta(hours=4)
    assert contact.rag_reasons == "Injury to face"
    entry = LedgerEntry.objects.get(event_code=int(Event.MASH_RAG_RATED))
    assert '"on_time":true' in entry.details


def test_rating_again_keeps_the_first_rating_time(mash: MashWorld) -> None:
    contact = record(mash)
    contact_rate(actor=mash.officer, contact=contact, rating="green", reasons="Low level")
    first = contact.first_rated_at
    contact_rate(actor=mash.officer, contact=contact, rating="amber", reasons="Police history")
    assert contact.first_rated_at == first
    assert contact.rag_rating == "amber"
    assert _entries(Event.MASH_RAG_RATED) == 2


def test_rating_needs_reasons(mash: MashWorld) -> None:
    contact = record(mash)
    with pytest.raises(MashContactInvalid) as caught:
        contact_rate(actor=mash.officer, contact=contact, rating="red", reasons="")
    assert caught.value.field == "reasons"
    contact.refresh_from_db()
    assert contact.rag_rating == ""


def test_outcome_needs_a_rating_first(mash: MashWorld) -> None:
    contact = record(mash)
    with pytest.raises(MashContactInvalid, match="RAG rating first"):
        contact_decide(actor=mash.officer, contact=contact, outcome="early_help", reasons="Support")


def test_strategy_discussion_outcome_is_recorded_and_the_contact_closed(
    mash: MashWorld,
) -> None:
    contact = record(mash)
    contact_rate(actor=mash.officer, contact=contact, rating="red", reasons="Injury")
    contact_decide(
        actor=mash.officer,
        contact=contact,
        outcome="strategy_discussion",
        reasons="Reasonable cause to suspect significant harm",
    )
    assert contact.status == ContactStatus.DECIDED
    assert contact.decided_by == mash.officer
    contact_close(actor=mash.second_officer, contact=contact)
    assert contact.status == ContactStatus.CLOSED
    assert _entries(Event.MASH_OUTCOME_RECORDED) == 1
    assert _entries(Event.MASH_CONTACT_CLOSED) == 1


def test_decided_contact_cannot_be_rated_decided_again_or_sent_enquiries(
    mash: MashWorld,
) -> None:
    contact = record(mash)
    contact_rate(actor=mash.officer, contact=contact, rating="green", reasons="Low")
    contact_decide(actor=mash.officer, contact=contact, outcome="no_further_action", reasons="x")
    with pytest.raises(MashContactTransitionInvalid):
        contact_rate(actor=mash.officer, contact=contact, rating="red", reasons="x")
    with pytest.raises(MashContactTransitionInvalid):
        contact_decide(actor=mash.officer, contact=contact, outcome="early_help", reasons="x")
    with pytest.raises(MashContactTransitionInvalid):
        enquiries_send(
            actor=mash.officer,
            contact=contact,
            partner_agencies=[mash.police],
            information_sought="x",
            justification="y",
        )


def test_open_contact_cannot_be_closed(mash: MashWorld) -> None:
    contact = record(mash)
    with pytest.raises(MashContactTransitionInvalid):
        contact_close(actor=mash.officer, contact=contact)
    assert _entries(Event.MASH_CONTACT_CLOSED) == 0
