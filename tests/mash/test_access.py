"""Who may see and work MASH contacts: the hub's MASH officers (triage), its DSLs and managers
(read only); nobody in another agency (the same NotFound as a missing contact)."""

from __future__ import annotations

import uuid

import pytest

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import (
    access_mash_contact,
    access_mash_partner_agency,
    record_mash_contact_list_read,
)
from safeshare.access.policy import may_triage_mash_contact
from safeshare.access.scopes import (
    mash_contacts_visible_to,
    mash_enquiries_visible_to,
    mash_officers_for,
    mash_partner_agencies_for,
    requests_visible_to,
)
from safeshare.core.exceptions import NotFound
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.mash.services import enquiries_send
from tests.mash.helpers import MashWorld, record

pytestmark = pytest.mark.django_db


def test_mash_officer_of_the_hub_may_open_and_triage_a_contact(mash: MashWorld) -> None:
    contact = record(mash)
    found = access_mash_contact(mash.second_officer, contact.pk, need=Capability.MASH_TRIAGE)
    assert found == contact
    assert may_triage_mash_contact(mash.second_officer, contact)
    entry = LedgerEntry.objects.get(event_code=int(Event.MASH_CONTACT_VIEWED))
    assert entry.actor_id == mash.second_officer.pk
    assert entry.object_id == str(contact.pk)


def test_dsl_of_the_hub_may_read_a_contact_but_not_triage_it(mash: MashWorld) -> None:
    contact = record(mash)
    assert access_mash_contact(mash.manager, contact.pk) == contact
    assert not may_triage_mash_contact(mash.manager, contact)
    with pytest.raises(NotFound):
        access_mash_contact(mash.manager, contact.pk, need=Capability.MASH_TRIAGE)


@pytest.mark.parametrize("who", ["police_mash", "police_dsl", "school_dsl", "worker"])
def test_others_cannot_see_the_hubs_contact(mash: MashWorld, who: str) -> None:
    contact = record(mash)
    actor = getattr(mash, who)
    with pytest.raises(NotFound):
        access_mash_contact(actor, contact.pk)
    assert not mash_contacts_visible_to(actor).exists()
    assert not may_triage_mash_contact(actor, contact)


def test_forbidden_and_missing_contacts_answer_the_same(mash: MashWorld) -> None:
    contact = record(mash)
    with pytest.raises(NotFound) as forbidden:
        access_mash_contact(mash.police_mash, contact.pk)
    with pytest.raises(NotFound) as missing:
        access_mash_contact(mash.officer, uuid.uuid4())
    with pytest.raises(NotFound) as malformed:
        access_mash_contact(mash.officer, "not-an-id")
    assert forbidden.value.message == missing.value.message == malformed.value.message


def test_other_hubs_mash_officer_does_not_see_enquiries(mash: MashWorld) -> None:
    contact = record(mash)
    enquiries_send(
        actor=mash.officer,
        contact=contact,
        partner_agencies=[mash.police],
        information_sought="History",
        justification="Triage",
    )
    assert mash_enquiries_visible_to(mash.manager).count() == 1
    assert mash_enquiries_visible_to(mash.police_mash).count() == 0


def test_mash_officer_may_send_enquiries_to_partners_but_not_their_own_agency(
    mash: MashWorld,
) -> None:
    partners = set(mash_partner_agencies_for(mash.officer))
    assert mash.police in partners
    assert mash.school in partners
    assert mash.hub not in partners
    assert access_mash_partner_agency(mash.officer, mash.police.pk) == mash.police
    with pytest.raises(NotFound):
        access_mash_partner_agency(mash.officer, mash.hub.pk)
    with pytest.raises(NotFound):
        access_mash_partner_agency(mash.manager, mash.police.pk)


def test_contacts_may_be_assigned_to_the_hubs_mash_officers_only(mash: MashWorld) -> None:
    assert set(mash_officers_for(mash.officer)) == {mash.officer, mash.second_officer}
    assert not mash_officers_for(mash.manager).exists()


def test_a_list_of_contacts_records_one_read_per_contact(mash: MashWorld) -> None:
    contacts = [record(mash), record(mash)]
    from django.db import transaction

    with transaction.atomic():
        record_mash_contact_list_read(actor=mash.manager, contacts=contacts)
    assert LedgerEntry.objects.filter(event_code=int(Event.MASH_CONTACT_LISTED)).count() == 2


def test_another_mash_officer_of_the_hub_can_open_a_colleagues_enquiry(mash: MashWorld) -> None:
    contact = record(mash)
    (enquiry,) = enquiries_send(
        actor=mash.officer,
        contact=contact,
        partner_agencies=[mash.police],
        information_sought="Any incidents at the fake address in the last year",
        justification="A bruise on the cheek needs the police picture to rate the risk",
    )
    assert requests_visible_to(mash.second_officer).filter(pk=enquiry.request_id).exists()
    assert not requests_visible_to(mash.worker).filter(pk=enquiry.request_id).exists()
