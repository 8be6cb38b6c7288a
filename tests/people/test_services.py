"""Addresses (with the protected flag) and contact details of a person: add them, end them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.people.exceptions import AlreadyEnded, PersonInvalid
from safeshare.people.models import Address, ContactDetail
from safeshare.people.services import address_add, address_end, contact_add, contact_end
from tests.conftest import World
from tests.factories import AddressFactory

pytestmark = pytest.mark.django_db


def _details(event: Event, obj: Any) -> dict[str, Any]:
    entry = LedgerEntry.objects.get(event_code=int(event), object_id=str(obj.pk))
    value: dict[str, Any] = json.loads(entry.details)
    return value


def test_a_protected_current_address_ends_the_previous_one_on_its_start(world: World) -> None:
    child = world.case.subject
    home = AddressFactory(person=child, lived_from=dt.date(2020, 1, 1))
    refuge = address_add(
        actor=world.worker,
        person=child,
        lines="Flat 9, Nowhere Refuge, Faketown",
        postcode="zz99 9zz",
        lived_from=dt.date(2026, 11, 2),
        is_protected=True,
    )
    home.refresh_from_db()
    assert home.lived_to == dt.date(2026, 11, 2)
    assert (refuge.is_protected, refuge.is_current, refuge.postcode) == (True, True, "ZZ99 9ZZ")
    # The ledger says it is protected and which address it ended: never the address itself.
    assert _details(Event.ADDRESS_ADDED, refuge) == {"protected": True, "ended": [str(home.pk)]}


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"lived_from": dt.date(2999, 1, 1)}, "lived_from"),
        ({"lived_to": dt.date(2999, 1, 1)}, "lived_to"),
        ({"lived_from": dt.date(2025, 1, 2), "lived_to": dt.date(2025, 1, 1)}, "lived_to"),
    ],
)
def test_an_address_with_impossible_dates_is_refused_and_changes_nothing(
    world: World, dates: dict[str, dt.date], field: str
) -> None:
    current = AddressFactory(person=world.case.subject)
    entries = LedgerEntry.objects.count()
    with pytest.raises(PersonInvalid) as refused:
        address_add(
            actor=world.worker,
            person=world.case.subject,
            lines="2 Nowhere Lane",
            postcode="ZZ99 2AA",
            **dates,
        )
    assert refused.value.field == field
    assert list(Address.objects.all()) == [current]
    assert Address.objects.get().lived_to is None
    assert LedgerEntry.objects.count() == entries


def test_moving_out_keeps_the_address_as_a_previous_one(world: World) -> None:
    address = AddressFactory(person=world.case.subject, lived_from=dt.date(2024, 3, 1))
    address_end(actor=world.worker, address=address, lived_to=dt.date(2026, 10, 31))
    address.refresh_from_db()
    assert (address.lived_to, address.is_current) == (dt.date(2026, 10, 31), False)
    entry = LedgerEntry.objects.get(event_code=Event.ADDRESS_ENDED)
    assert (entry.actor_id, entry.subject_person_id) == (world.worker.pk, world.case.subject.pk)
    assert _details(Event.ADDRESS_ENDED, address) == {"protected": False}


@pytest.mark.parametrize(
    ("lived_to", "message"),
    [
        (None, "Enter the date they moved out"),
        (dt.date(2999, 1, 1), "The date they moved out must be today or in the past"),
        (dt.date(2024, 2, 1), "The date they moved out must be on or after the date they moved in"),
    ],
)
def test_a_move_out_date_that_cannot_be_is_refused(
    world: World, lived_to: dt.date | None, message: str
) -> None:
    address = AddressFactory(person=world.case.subject, lived_from=dt.date(2024, 3, 1))
    with pytest.raises(PersonInvalid) as refused:
        address_end(actor=world.worker, address=address, lived_to=lived_to)
    assert (refused.value.field, refused.value.message) == ("lived_to", message)
    assert Address.objects.get().lived_to is None
    assert not LedgerEntry.objects.filter(event_code=Event.ADDRESS_ENDED).exists()


def test_an_address_already_moved_out_of_cannot_be_ended_again(world: World) -> None:
    address = AddressFactory(person=world.case.subject, lived_to=dt.date(2025, 5, 5))
    with pytest.raises(AlreadyEnded):
        address_end(actor=world.worker, address=address, lived_to=dt.date(2026, 1, 1))
    assert Address.objects.get().lived_to == dt.date(2025, 5, 5)
    assert not LedgerEntry.objects.filter(event_code=Event.ADDRESS_ENDED).exists()


def test_contact_details_no_longer_used_are_kept_and_ended_once(world: World) -> None:
    contact = contact_add(
        actor=world.worker,
        person=world.case.subject,
        kind="phone",
        value="01632 960123",
        is_protected=True,
    )
    contact_end(actor=world.worker, contact=contact)
    contact.refresh_from_db()
    assert (contact.ended_on, contact.is_current, contact.value) == (
        clock.today(),
        False,
        "01632 960123",
    )
    assert _details(Event.CONTACT_ENDED, contact) == {"kind": "phone", "protected": True}
    stale = ContactDetail.objects.get(pk=contact.pk)
    stale.ended_on = None
    with pytest.raises(AlreadyEnded):
        contact_end(actor=world.worker, contact=stale)
    assert LedgerEntry.objects.filter(event_code=Event.CONTACT_ENDED).count() == 1


def test_contact_details_need_a_kind_and_a_value(world: World) -> None:
    with pytest.raises(PersonInvalid) as no_kind:
        contact_add(actor=world.worker, person=world.case.subject, kind="fax", value="1")
    with pytest.raises(PersonInvalid) as no_value:
        contact_add(actor=world.worker, person=world.case.subject, kind="email", value="  ")
    assert (no_kind.value.field, no_value.value.field) == ("kind", "value")
    assert not ContactDetail.objects.exists()
