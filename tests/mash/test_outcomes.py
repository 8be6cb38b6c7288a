"""MASH outcomes: the rules for each outcome (Working Together 2018 chapter 1, 2023 chapter 4),
and the enquiries to partner agencies still open when the outcome is recorded: never left open
silently, withdrawn in the same step when the officer says so (ledgered), and then gone from the
partner agency's inbox."""

from __future__ import annotations

import pytest

from safeshare.core import clock
from safeshare.disclosures.models import InformationRequest, RequestStatus
from safeshare.disclosures.services import request_refuse
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.mash.exceptions import MashContactInvalid
from safeshare.mash.models import ContactOutcome, ContactStatus, MashContact
from safeshare.mash.services import contact_decide, contact_rate, enquiries_send
from safeshare.workday.inbox import WorkKind, inbox_for
from tests.mash.helpers import MashWorld, record

pytestmark = pytest.mark.django_db


def _entries(event: Event) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(event_code=int(event)))


def _rated(world: MashWorld, rating: str) -> MashContact:
    contact = record(world)
    contact_rate(actor=world.officer, contact=contact, rating=rating, reasons="As found")
    return contact


def _ask(world: MashWorld, contact: MashContact, *agencies: object) -> None:
    enquiries_send(
        actor=world.officer,
        contact=contact,
        partner_agencies=list(agencies or [world.police]),  # type: ignore[arg-type]
        information_sought="Call-outs to the address in the last 12 months",
        justification="Deciding on the type of response",
    )


def _refused(contact: MashContact, *, field: str, **changes: object) -> MashContactInvalid:
    arguments: dict[str, object] = {"outcome": "early_help", "reasons": "Weighed up"}
    arguments.update(changes)
    with pytest.raises(MashContactInvalid) as caught:
        contact_decide(actor=contact.assigned_to, contact=contact, **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field
    contact.refresh_from_db()
    assert contact.status != ContactStatus.DECIDED
    assert contact.outcome == ""
    return caught.value


def _enquiries_in_inbox(world: MashWorld) -> list[str]:
    rows = inbox_for(world.police_dsl, now=clock.now(), kinds=[WorkKind.MASH_ENQUIRY])
    return [str(row.object_id) for row in rows]


# --- The rules for each outcome ------------------------------------------------------------------


def test_mash_officer_records_immediate_protection_for_a_red_contact(mash: MashWorld) -> None:
    contact = _rated(mash, "red")
    contact_decide(
        actor=mash.officer,
        contact=contact,
        outcome=ContactOutcome.IMMEDIATE_PROTECTION,
        reasons="The child is at risk of serious injury tonight",
    )
    assert contact.status == ContactStatus.DECIDED
    assert contact.outcome == "immediate_protection"
    (entry,) = _entries(Event.MASH_OUTCOME_RECORDED)
    assert '"outcome":"immediate_protection"' in entry.details


@pytest.mark.parametrize("rating", ["amber", "green"])
def test_immediate_protection_is_refused_unless_the_contact_is_rated_red(
    mash: MashWorld, rating: str
) -> None:
    error = _refused(_rated(mash, rating), field="outcome", outcome="immediate_protection")
    assert "rate the contact red first" in error.message
    assert _entries(Event.MASH_OUTCOME_RECORDED) == []


def test_mash_officer_records_information_and_advice_for_a_green_contact(
    mash: MashWorld,
) -> None:
    contact = _rated(mash, "green")
    contact_decide(
        actor=mash.officer,
        contact=contact,
        outcome="information_and_advice",
        reasons="The referrer was told where the family can get help",
    )
    assert contact.get_outcome_display() == "Information and advice"


def test_information_and_advice_is_refused_for_a_red_contact(mash: MashWorld) -> None:
    error = _refused(_rated(mash, "red"), field="outcome", outcome="information_and_advice")
    assert "needs more than information and advice" in error.message


def test_already_open_passes_the_contact_to_the_named_allocated_worker(mash: MashWorld) -> None:
    contact = _rated(mash, "amber")
    contact_decide(
        actor=mash.officer,
        contact=contact,
        outcome="already_open",
        allocated_worker="  Testy Caseworker, Team 2  ",
        reasons="The child has a child in need plan; the allocated worker follows this up",
    )
    contact.refresh_from_db()
    assert contact.outcome == ContactOutcome.ALREADY_OPEN
    assert contact.allocated_worker == "Testy Caseworker, Team 2"


def test_already_open_without_the_allocated_worker_is_refused(mash: MashWorld) -> None:
    _refused(_rated(mash, "amber"), field="allocated_worker", outcome="already_open")


def test_allocated_worker_with_another_outcome_is_refused(mash: MashWorld) -> None:
    _refused(_rated(mash, "green"), field="allocated_worker", allocated_worker="Testy Caseworker")


# --- Enquiries still open when the outcome is recorded -------------------------------------------


def test_outcome_while_enquiries_are_open_must_say_whether_to_withdraw_them(
    mash: MashWorld,
) -> None:
    contact = _rated(mash, "amber")
    _ask(mash, contact, mash.police, mash.school)
    error = _refused(contact, field="withdraw_open_enquiries")
    assert error.message == (
        "2 enquiries to partner agencies still open: say whether to withdraw them"
    )
    assert set(InformationRequest.objects.values_list("status", flat=True)) != {
        RequestStatus.WITHDRAWN
    }
    assert _entries(Event.MASH_ENQUIRY_WITHDRAWN) == []


def test_mash_officer_withdraws_the_open_enquiries_with_the_outcome_in_one_step(
    mash: MashWorld,
) -> None:
    contact = _rated(mash, "amber")
    _ask(mash, contact, mash.police, mash.school)
    school_request = contact.enquiries.get(partner_agency=mash.school).request
    request_refuse(
        actor=mash.school_dsl,
        request=school_request,
        message="We cannot share this",
        reasons="Nothing held that is relevant",
    )
    contact_decide(
        actor=mash.officer,
        contact=contact,
        outcome="early_help",
        reasons="Family agree to early help",
        withdraw_open_enquiries=True,
    )
    police_request = contact.enquiries.get(partner_agency=mash.police).request
    police_request.refresh_from_db()
    school_request.refresh_from_db()
    assert police_request.status == RequestStatus.WITHDRAWN
    assert police_request.closed_at is not None
    assert school_request.status == RequestStatus.REFUSED  # answered ones are left alone
    (withdrawn,) = _entries(Event.MASH_ENQUIRY_WITHDRAWN)
    assert str(police_request.pk) in withdrawn.details
    assert withdrawn.object_id == str(contact.enquiries.get(partner_agency=mash.police).pk)
    assert len(_entries(Event.REQUEST_WITHDRAWN)) == 1
    (outcome,) = _entries(Event.MASH_OUTCOME_RECORDED)
    assert '"enquiries_withdrawn":1' in outcome.details
    assert '"enquiries_left_open":0' in outcome.details


def test_withdrawn_enquiry_is_no_longer_in_the_partner_agencys_inbox(mash: MashWorld) -> None:
    contact = _rated(mash, "green")
    _ask(mash, contact)
    request = InformationRequest.objects.get()
    assert _enquiries_in_inbox(mash) == [str(request.pk)]
    contact_decide(
        actor=mash.officer,
        contact=contact,
        outcome="information_and_advice",
        reasons="Advice given to the referrer",
        withdraw_open_enquiries=True,
    )
    assert _enquiries_in_inbox(mash) == []


def test_enquiry_kept_open_stays_in_the_partner_agencys_inbox_and_is_recorded(
    mash: MashWorld,
) -> None:
    contact = _rated(mash, "red")
    _ask(mash, contact)
    request = InformationRequest.objects.get()
    contact_decide(
        actor=mash.officer,
        contact=contact,
        outcome="strategy_discussion",
        reasons="Reasonable cause to suspect significant harm; police history still needed",
        withdraw_open_enquiries=False,
    )
    request.refresh_from_db()
    assert request.status != RequestStatus.WITHDRAWN
    assert _enquiries_in_inbox(mash) == [str(request.pk)]
    assert _entries(Event.MASH_ENQUIRY_WITHDRAWN) == []
    (outcome,) = _entries(Event.MASH_OUTCOME_RECORDED)
    assert '"enquiries_left_open":1' in outcome.details
