"""Who may see and change the records of casework basics: protected addresses and contact
details, allocations and involvements, and who may be allocated to a case."""

from __future__ import annotations

import uuid

import pytest

from safeshare.access import scopes
from safeshare.access.casework import (
    access_allocatable_practitioner,
    access_allocation,
    access_contact,
    access_involvement,
    access_person_address,
    shown_addresses,
    shown_contacts,
)
from safeshare.access.fetch import access_address
from safeshare.agencies.models import Role
from safeshare.cases.models import Relationship
from safeshare.core.exceptions import NotFound
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.people.models import Address, ContactDetail
from tests.conftest import World
from tests.factories import AddressFactory, InvolvementFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def _refuge(world: World) -> tuple[Address, Address, ContactDetail]:
    child = world.case.subject
    home = AddressFactory(person=child, lines="1 Old Lane, Faketown")
    refuge = AddressFactory(person=child, lines="Nowhere Refuge, Faketown", is_protected=True)
    safe_phone = ContactDetail.objects.create(
        person=child, kind="phone", value="01632 960999", is_protected=True
    )
    return home, refuge, safe_phone


def _record_as_alleged_perpetrator(world: World, practitioner: object) -> None:
    """A member of staff recorded, in some other case, as alleged to have harmed a child."""
    InvolvementFactory(relationship=Relationship.ALLEGED_PERPETRATOR, practitioner=practitioner)


def test_allocated_worker_sees_protected_addresses_and_contacts(world: World) -> None:
    home, refuge, safe_phone = _refuge(world)
    assert set(shown_addresses(world.worker, world.case.subject)) == {home, refuge}
    assert shown_contacts(world.worker, world.case.subject) == [safe_phone]


def test_misuse_alleged_perpetrator_on_staff_never_sees_a_protected_address(
    world: World,
) -> None:
    home, refuge, safe_phone = _refuge(world)
    _record_as_alleged_perpetrator(world, world.worker)
    assert shown_addresses(world.worker, world.case.subject) == [home]
    assert shown_contacts(world.worker, world.case.subject) == []
    assert not scopes.addresses_visible_to(world.worker).filter(pk=refuge.pk).exists()
    with pytest.raises(NotFound):
        access_person_address(world.worker, refuge.pk)
    with pytest.raises(NotFound):
        access_contact(world.worker, safe_phone.pk)
    # Their other access is unchanged: the ordinary address can still be worked on.
    assert access_person_address(world.worker, home.pk) == home
    # Nor is it offered when they share from the case (the address checklist), or fetched.
    assert list(scopes.case_addresses_visible_to(world.worker, world.case)) == [home]
    with pytest.raises(NotFound):
        access_address(world.worker, refuge.pk)
    assert access_address(world.worker, home.pk) == home


@pytest.mark.parametrize("who", ["colleague", "outsider", "agency_admin"])
def test_practitioner_without_a_relationship_sees_no_address_of_the_child(
    world: World, who: str
) -> None:
    home, refuge, safe_phone = _refuge(world)
    actor = getattr(world, who)
    assert shown_addresses(actor, world.case.subject) == []
    for record in (home, refuge):
        with pytest.raises(NotFound):
            access_person_address(actor, record.pk)
    with pytest.raises(NotFound):
        access_contact(actor, safe_phone.pk)


def test_fetching_an_address_to_change_it_is_a_recorded_read(world: World) -> None:
    home, _, _ = _refuge(world)
    access_person_address(world.worker, home.pk)
    entry = LedgerEntry.objects.get(event_code=Event.PERSON_VIEWED, object_id=str(home.pk))
    assert entry.subject_person_id == world.case.subject.pk


@pytest.mark.parametrize("raw", [uuid.uuid4(), "not-a-uuid", None])
def test_missing_and_malformed_ids_are_not_found(world: World, raw: object) -> None:
    for fetch in (access_person_address, access_contact, access_involvement, access_allocation):
        with pytest.raises(NotFound):
            fetch(world.dsl, raw)


def test_dsl_may_manage_allocations_of_their_agency_only(world: World) -> None:
    allocation = world.case.allocations.get()
    assert access_allocation(world.dsl, allocation.pk) == allocation
    other = world.other_case.allocations.create(
        practitioner=PractitionerFactory(agency=world.other_agency)
    )
    with pytest.raises(NotFound):
        access_allocation(world.dsl, other.pk)
    # The outsider is a DSL too, of the other agency.
    with pytest.raises(NotFound):
        access_allocation(world.outsider, allocation.pk)


def test_allocated_worker_cannot_manage_allocations(world: World) -> None:
    with pytest.raises(NotFound):
        access_allocation(world.worker, world.case.allocations.get().pk)
    assert not scopes.allocatable_practitioners_for(world.worker, world.case).exists()


def test_allocatable_practitioners_are_active_casework_staff_of_the_case_agency(
    world: World,
) -> None:
    inactive = PractitionerFactory(agency=world.agency, is_active=False)
    mash = PractitionerFactory(agency=world.agency, roles=[Role.MASH_OFFICER])
    governance = PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    allowed = set(scopes.allocatable_practitioners_for(world.dsl, world.case))
    assert allowed == {world.worker, world.colleague, world.dsl, mash}
    for refused in (inactive, governance, world.agency_admin, world.system_admin, world.outsider):
        with pytest.raises(NotFound):
            access_allocatable_practitioner(world.dsl, world.case, refused.pk)
    assert access_allocatable_practitioner(world.dsl, world.case, mash.pk) == mash


def test_involvements_follow_their_case(world: World) -> None:
    involvement = InvolvementFactory(case=world.case)
    assert access_involvement(world.worker, involvement.pk) == involvement
    assert access_involvement(world.dsl, involvement.pk) == involvement
    for who in (world.colleague, world.outsider):
        with pytest.raises(NotFound):
            access_involvement(who, involvement.pk)
