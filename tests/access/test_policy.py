"""Who may see and do what: each allowed and denied actor, and list/detail agreement."""

from __future__ import annotations

import uuid

import pytest

from safeshare.access import scopes
from safeshare.access.capabilities import ROLE_CAPABILITIES, Capability
from safeshare.access.fetch import access_case, access_item, access_person, access_practitioner
from safeshare.access.policy import can, capabilities_of, has_capability
from safeshare.agencies.models import Role
from safeshare.cases.models import CaseAllocation
from safeshare.core import clock
from safeshare.core.exceptions import NotFound
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.factories import InvolvementFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

CASE_VIEWERS = {
    "worker": True,
    "colleague": False,
    "dsl": True,
    "outsider": False,
    "agency_admin": False,
    "system_admin": False,
}


@pytest.mark.parametrize(("who", "allowed"), CASE_VIEWERS.items())
def test_case_visibility_by_actor(world: World, who: str, allowed: bool) -> None:
    actor = getattr(world, who)
    assert can(actor, Capability.CASE_VIEW, world.case) is allowed
    assert scopes.cases_visible_to(actor).filter(pk=world.case.pk).exists() is allowed


@pytest.mark.parametrize(("who", "allowed"), CASE_VIEWERS.items())
def test_item_visibility_follows_the_case(world: World, who: str, allowed: bool) -> None:
    actor = getattr(world, who)
    assert can(actor, Capability.ITEM_VIEW, world.item) is allowed
    assert scopes.items_visible_to(actor).filter(pk=world.item.pk).exists() is allowed


@pytest.mark.parametrize(("who", "allowed"), CASE_VIEWERS.items())
def test_subject_child_visibility_follows_the_case(world: World, who: str, allowed: bool) -> None:
    actor = getattr(world, who)
    assert can(actor, Capability.PERSON_VIEW, world.case.subject) is allowed


def test_practitioner_in_other_agency_gets_the_same_not_found_as_for_a_missing_case(
    world: World,
) -> None:
    with pytest.raises(NotFound) as forbidden:
        access_case(world.outsider, world.case.pk)
    with pytest.raises(NotFound) as missing:
        access_case(world.outsider, uuid.uuid4())
    with pytest.raises(NotFound) as malformed:
        access_case(world.outsider, "not-a-uuid")
    assert str(forbidden.value) == str(missing.value) == str(malformed.value)


def test_dsl_cannot_see_another_agencys_case(world: World) -> None:
    with pytest.raises(NotFound):
        access_case(world.dsl, world.other_case.pk)


def test_worker_loses_access_when_allocation_ends(world: World) -> None:
    CaseAllocation.objects.filter(case=world.case, practitioner=world.worker).update(
        ended_on=clock.today()
    )
    with pytest.raises(NotFound):
        access_case(world.worker, world.case.pk)


def test_deactivated_practitioner_sees_nothing(world: World) -> None:
    world.dsl.is_active = False
    world.dsl.save()
    assert capabilities_of(world.dsl) == frozenset()
    assert not scopes.cases_visible_to(world.dsl).exists()
    with pytest.raises(NotFound):
        access_case(world.dsl, world.case.pk)


def test_involved_parent_is_visible_to_the_allocated_worker_only(world: World) -> None:
    parent = InvolvementFactory(case=world.case).person
    assert can(world.worker, Capability.PERSON_VIEW, parent)
    assert not can(world.colleague, Capability.PERSON_VIEW, parent)
    assert not can(world.outsider, Capability.PERSON_VIEW, parent)


def test_information_governance_reads_but_cannot_record(world: World) -> None:
    ig = PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    assert can(ig, Capability.CASE_VIEW, world.case)
    assert not can(ig, Capability.ITEM_CREATE, world.case)
    assert not can(ig, Capability.ITEM_EDIT, world.item)


def test_system_admin_has_no_casework(world: World) -> None:
    assert not has_capability(world.system_admin, Capability.CASE_LIST)
    assert has_capability(world.system_admin, Capability.AGENCY_MANAGE)


def test_agency_admin_manages_only_own_agency_practitioners(world: World) -> None:
    assert access_practitioner(
        world.agency_admin, world.worker.pk, need=Capability.PRACTITIONER_MANAGE
    )
    stranger = PractitionerFactory(agency=world.other_agency)
    with pytest.raises(NotFound):
        access_practitioner(world.agency_admin, stranger.pk, need=Capability.PRACTITIONER_MANAGE)


def test_reads_of_person_identifiable_records_are_in_the_ledger(world: World) -> None:
    access_case(world.worker, world.case.pk, purpose="child_in_need")
    access_item(world.worker, world.item.pk)
    access_person(world.worker, world.case.subject_id)
    codes = list(
        LedgerEntry.objects.filter(actor_id=world.worker.pk).values_list("event_code", flat=True)
    )
    assert codes == [Event.CASE_VIEWED, Event.ITEM_VIEWED, Event.PERSON_VIEWED]


def test_denied_read_leaves_no_ledger_entry_of_a_view(world: World) -> None:
    with pytest.raises(NotFound):
        access_case(world.outsider, world.case.pk)
    assert not LedgerEntry.objects.filter(actor_id=world.outsider.pk).exists()


def test_every_role_has_a_row_in_the_capability_table() -> None:
    assert set(ROLE_CAPABILITIES) == set(Role)


def test_unknown_object_kinds_are_denied(world: World) -> None:
    from safeshare.ledger.models import LedgerEntry as NotCovered

    assert not can(world.dsl, Capability.CASE_VIEW, NotCovered(event_code=1))


def test_practitioner_sees_a_person_they_recorded_until_the_person_joins_a_case(
    world: World,
) -> None:
    import datetime as dt

    from safeshare.cases.services import case_create
    from safeshare.people.services import person_create

    child = person_create(
        actor=world.colleague,
        agency=world.agency,
        family_name="Testington",
        given_name="Fakenewborn",
        date_of_birth=dt.date(2026, 1, 1),
    )
    assert can(world.colleague, Capability.PERSON_VIEW, child)
    assert not can(world.worker, Capability.PERSON_VIEW, child)
    assert not can(world.outsider, Capability.PERSON_VIEW, child)
    case = case_create(
        actor=world.dsl,
        agency=world.agency,
        subject=child,
        status="early_help",
        allocate=world.worker,
    )
    assert not can(world.colleague, Capability.PERSON_VIEW, child)
    assert can(world.worker, Capability.PERSON_VIEW, child)
    assert case.subject_id == child.pk


def test_only_an_agreement_manager_of_an_unsigned_party_may_sign(world: World) -> None:
    import datetime as dt

    from safeshare.access.policy import may_sign_agreement
    from safeshare.agencies.services import agreement_create, agreement_sign

    ig = PractitionerFactory(agency=world.agency, roles=[Role.INFORMATION_GOVERNANCE])
    outsider_ig = PractitionerFactory(
        agency=world.other_agency, roles=[Role.INFORMATION_GOVERNANCE]
    )
    agreement = agreement_create(
        actor=ig,
        owner=world.agency,
        reference="ISA-SIGN-1",
        title="Fake signing agreement",
        parties=[world.agency, world.other_agency],
        purposes=["child_protection"],
        data_categories=["child"],
        lawful_bases=["art6_1_e"],
        retention_days=30,
        start_date=dt.date(2026, 1, 1),
        review_date=dt.date(2027, 1, 1),
    )
    assert may_sign_agreement(ig, agreement)
    assert may_sign_agreement(outsider_ig, agreement)
    assert not may_sign_agreement(world.worker, agreement)
    agreement_sign(actor=ig, agreement=agreement)
    assert not may_sign_agreement(ig, agreement)
    assert may_sign_agreement(outsider_ig, agreement)
