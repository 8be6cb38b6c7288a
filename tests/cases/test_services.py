"""Casework services on a case: allocating, reallocating and ending allocations; adding people
involved (someone the agency holds, or someone new) and ending their involvement."""

from __future__ import annotations

import json
from typing import Any

import pytest

from safeshare.agencies.models import Role
from safeshare.cases.exceptions import (
    AllocationEnded,
    AllocationInvalid,
    InvolvementEnded,
    InvolvementInvalid,
)
from safeshare.cases.models import (
    AllocationEndReason,
    AllocationRole,
    CaseAllocation,
    Involvement,
    InvolvementEndReason,
    Relationship,
)
from safeshare.cases.services import (
    allocation_add,
    allocation_end,
    case_reallocate,
    involvement_add,
    involvement_add_new_person,
    involvement_end,
)
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.people.models import Person
from tests.conftest import World
from tests.factories import InvolvementFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def _entries(event: Event, **filters: Any) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(event_code=int(event), **filters))


def _details(entry: LedgerEntry) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(entry.details)
    return value


def _current(world: World) -> CaseAllocation:
    return world.case.allocations.get(practitioner=world.worker)


# --- Ending an allocation -------------------------------------------------------------------------


def test_dsl_ends_an_allocation_with_a_reason_kept_on_it_and_in_the_ledger(world: World) -> None:
    allocation = allocation_end(
        actor=world.dsl, allocation=_current(world), reason=AllocationEndReason.WORK_FINISHED
    )
    allocation.refresh_from_db()
    assert allocation.ended_on == clock.today()
    assert allocation.end_reason == AllocationEndReason.WORK_FINISHED
    [entry] = _entries(Event.ALLOCATION_ENDED, object_id=str(allocation.pk))
    assert _details(entry) == {"practitioner": str(world.worker.pk), "reason": "work_finished"}
    assert entry.actor_id == world.dsl.pk
    assert entry.subject_case_id == world.case.pk


def test_ending_an_allocation_without_a_known_reason_changes_nothing(world: World) -> None:
    with pytest.raises(AllocationInvalid) as refused:
        allocation_end(actor=world.dsl, allocation=_current(world), reason="bored")
    assert refused.value.field == "reason"
    assert _current(world).ended_on is None
    assert not _entries(Event.ALLOCATION_ENDED)


def test_an_allocation_cannot_be_ended_twice(world: World) -> None:
    allocation = _current(world)
    allocation_end(actor=world.dsl, allocation=allocation, reason=AllocationEndReason.CASELOAD)
    stale = CaseAllocation.objects.get(pk=allocation.pk)
    stale.ended_on = None  # a second manager's copy, read before the first ended it
    with pytest.raises(AllocationEnded):
        allocation_end(actor=world.dsl, allocation=stale, reason=AllocationEndReason.ABSENCE)
    allocation.refresh_from_db()
    assert allocation.end_reason == AllocationEndReason.CASELOAD
    assert len(_entries(Event.ALLOCATION_ENDED)) == 1


# --- Reallocating ---------------------------------------------------------------------------------


def test_reallocation_ends_the_allocation_and_allocates_another_in_the_same_role(
    world: World,
) -> None:
    old = _current(world)
    old.role = AllocationRole.KEY_WORKER
    old.save()
    new = case_reallocate(
        actor=world.dsl,
        allocation=old,
        practitioner=world.colleague,
        reason=AllocationEndReason.LEFT_TEAM,
    )
    old.refresh_from_db()
    assert (old.ended_on, old.end_reason) == (clock.today(), AllocationEndReason.LEFT_TEAM)
    assert (new.practitioner, new.role, new.ended_on) == (
        world.colleague,
        AllocationRole.KEY_WORKER,
        None,
    )
    [ended] = _entries(Event.ALLOCATION_ENDED, object_id=str(old.pk))
    assert _details(ended) == {
        "practitioner": str(world.worker.pk),
        "reason": "left_team",
        "reallocated_to": str(world.colleague.pk),
    }
    [reallocated] = _entries(Event.CASE_REALLOCATED, object_id=str(new.pk))
    assert _details(reallocated) == {
        "from": str(world.worker.pk),
        "to": str(world.colleague.pk),
        "role": "key_worker",
        "reason": "left_team",
        "ended_allocation": str(old.pk),
    }
    assert reallocated.subject_case_id == world.case.pk


@pytest.mark.parametrize(
    ("who", "field"),
    [
        ("worker", "practitioner"),  # the one allocated now
        ("outsider", "practitioner"),  # another agency's
        ("inactive", "practitioner"),
        ("already_allocated", "practitioner"),
    ],
)
def test_reallocation_to_someone_who_cannot_take_over_changes_nothing(
    world: World, who: str, field: str
) -> None:
    others = {
        "inactive": lambda: PractitionerFactory(agency=world.agency, is_active=False),
        "already_allocated": lambda: (
            allocation_add(
                actor=world.dsl,
                case=world.case,
                practitioner=PractitionerFactory(agency=world.agency),
            ).practitioner
        ),
    }
    target = others[who]() if who in others else getattr(world, who)
    before = (CaseAllocation.objects.count(), LedgerEntry.objects.count())
    with pytest.raises(AllocationInvalid) as refused:
        case_reallocate(
            actor=world.dsl,
            allocation=_current(world),
            practitioner=target,
            reason=AllocationEndReason.CASELOAD,
        )
    assert refused.value.field == field
    assert _current(world).ended_on is None
    assert (CaseAllocation.objects.count(), LedgerEntry.objects.count()) == before


def test_reallocation_without_a_reason_changes_nothing(world: World) -> None:
    with pytest.raises(AllocationInvalid) as refused:
        case_reallocate(
            actor=world.dsl, allocation=_current(world), practitioner=world.colleague, reason=""
        )
    assert refused.value.field == "reason"
    assert not world.case.allocations.filter(practitioner=world.colleague).exists()


def test_an_ended_allocation_cannot_be_reallocated(world: World) -> None:
    allocation = _current(world)
    allocation_end(actor=world.dsl, allocation=allocation, reason=AllocationEndReason.CASELOAD)
    stale = CaseAllocation.objects.get(pk=allocation.pk)
    stale.ended_on = None
    with pytest.raises(AllocationEnded):
        case_reallocate(
            actor=world.dsl,
            allocation=stale,
            practitioner=world.colleague,
            reason=AllocationEndReason.CASELOAD,
        )
    assert not world.case.allocations.filter(practitioner=world.colleague).exists()
    assert not _entries(Event.CASE_REALLOCATED)


# --- People involved ------------------------------------------------------------------------------


def test_a_partner_of_the_child_can_be_involved(world: World) -> None:
    partner = PersonFactory(agency=world.agency, given_name="Fakeboy", family_name="Zeroworth")
    involvement = involvement_add(
        actor=world.worker, case=world.case, person=partner, relationship=Relationship.PARTNER
    )
    assert involvement.get_relationship_display() == "Partner of the child"
    [entry] = _entries(Event.INVOLVEMENT_ADDED, object_id=str(involvement.pk))
    assert _details(entry) == {"person": str(partner.pk), "relationship": "partner"}


def test_the_same_relationship_twice_is_refused_on_the_relationship(world: World) -> None:
    parent = InvolvementFactory(case=world.case, relationship=Relationship.PARENT).person
    with pytest.raises(InvolvementInvalid) as refused:
        involvement_add(
            actor=world.worker, case=world.case, person=parent, relationship=Relationship.PARENT
        )
    assert refused.value.field == "relationship"


def test_someone_new_is_recorded_and_involved_in_one_step(world: World) -> None:
    involvement = involvement_add_new_person(
        actor=world.worker,
        case=world.case,
        given_name="Fakedad",
        family_name="Fixturley",
        relationship=Relationship.ALLEGED_PERPETRATOR,
    )
    person = involvement.person
    assert (person.agency, person.recorded_by, person.display_name) == (
        world.agency,
        world.worker,
        "Fakedad Fixturley",
    )
    assert involvement.relationship == Relationship.ALLEGED_PERPETRATOR
    assert _entries(Event.PERSON_CREATED, subject_person_id=person.pk)
    assert _entries(Event.INVOLVEMENT_ADDED, subject_case_id=world.case.pk)


def test_someone_new_with_an_unknown_relationship_is_not_recorded_either(world: World) -> None:
    people, entries = Person.objects.count(), LedgerEntry.objects.count()
    with pytest.raises(InvolvementInvalid) as refused:
        involvement_add_new_person(
            actor=world.worker, case=world.case, family_name="Fixturley", relationship="lodger"
        )
    assert refused.value.field == "relationship"
    assert (Person.objects.count(), LedgerEntry.objects.count()) == (people, entries)


def test_ending_an_involvement_keeps_it_with_the_date_and_reason(world: World) -> None:
    involvement = InvolvementFactory(case=world.case, relationship=Relationship.PARTNER_OF_PARENT)
    involvement_end(
        actor=world.worker,
        involvement=involvement,
        reason=InvolvementEndReason.RELATIONSHIP_ENDED,
    )
    involvement.refresh_from_db()
    assert (involvement.ended_on, involvement.end_reason) == (
        clock.today(),
        InvolvementEndReason.RELATIONSHIP_ENDED,
    )
    [entry] = _entries(Event.INVOLVEMENT_ENDED, object_id=str(involvement.pk))
    assert _details(entry) == {
        "person": str(involvement.person_id),
        "relationship": "partner_of_parent",
        "reason": "relationship_ended",
    }


def test_ending_an_involvement_needs_a_known_reason_and_happens_once(world: World) -> None:
    involvement = InvolvementFactory(case=world.case)
    with pytest.raises(InvolvementInvalid) as refused:
        involvement_end(actor=world.worker, involvement=involvement, reason="")
    assert refused.value.field == "reason"
    assert Involvement.objects.get(pk=involvement.pk).ended_on is None
    involvement_end(
        actor=world.worker, involvement=involvement, reason=InvolvementEndReason.LEFT_HOUSEHOLD
    )
    stale = Involvement.objects.get(pk=involvement.pk)
    stale.ended_on = None
    with pytest.raises(InvolvementEnded):
        involvement_end(actor=world.worker, involvement=stale, reason=InvolvementEndReason.DIED)
    assert Involvement.objects.get(pk=involvement.pk).end_reason == "left_household"
    assert len(_entries(Event.INVOLVEMENT_ENDED)) == 1


def test_a_dsl_can_be_allocated_but_the_role_must_be_known(world: World) -> None:
    dsl = PractitionerFactory(agency=world.agency, roles=[Role.DSL])
    with pytest.raises(AllocationInvalid) as refused:
        allocation_add(actor=world.dsl, case=world.case, practitioner=dsl, role="mascot")
    assert refused.value.field == "role"
    allocation = allocation_add(
        actor=world.dsl, case=world.case, practitioner=dsl, role=AllocationRole.SUPERVISOR
    )
    assert allocation.role == AllocationRole.SUPERVISOR
