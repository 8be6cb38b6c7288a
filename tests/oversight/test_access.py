"""Who may see a record's history, notifications, the review queue and SAR exports: the access
layer's rules for oversight (missing and forbidden answer alike)."""

from __future__ import annotations

import uuid

import pytest

from safeshare.access.fetch import (
    access_case_history,
    access_flagged_read,
    access_person_for_subject_access,
    access_person_history,
)
from safeshare.access.policy import may_view_record_access
from safeshare.access.scopes import (
    cases_notifying,
    people_notifying,
    reads_reviewable_by,
)
from safeshare.agencies.models import Practitioner, Role
from safeshare.core.exceptions import NotFound
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.conftest import World
from tests.factories import AllocationFactory, CaseFactory, InvolvementFactory, PractitionerFactory
from tests.oversight.helpers import open_case, read

pytestmark = pytest.mark.django_db


def _ig(world: World, *, other: bool = False) -> Practitioner:
    agency = world.other_agency if other else world.agency
    return PractitionerFactory(agency=agency, roles=[Role.INFORMATION_GOVERNANCE])


# --- Who has seen this record --------------------------------------------------------------------


def test_dsl_of_the_holding_agency_can_see_a_case_history_and_it_is_recorded(world: World) -> None:
    case = access_case_history(world.dsl, world.case.pk, shown="reads")
    entry = LedgerEntry.objects.get(event_code=Event.RECORD_ACCESS_VIEWED, actor_id=world.dsl.pk)
    assert case == world.case
    assert (entry.subject_case_id, entry.subject_person_id) == (case.pk, case.subject_id)
    assert '"shown":"reads"' in entry.details


def test_information_governance_of_the_holding_agency_can_see_a_person_history(
    world: World,
) -> None:
    person = access_person_history(_ig(world), world.case.subject_id)
    assert person == world.case.subject


@pytest.mark.parametrize("who", ["worker", "colleague", "agency_admin", "system_admin"])
def test_practitioner_without_the_capability_cannot_see_a_case_history(
    world: World, who: str
) -> None:
    with pytest.raises(NotFound):
        access_case_history(getattr(world, who), world.case.pk)
    assert not LedgerEntry.objects.filter(event_code=Event.RECORD_ACCESS_VIEWED).exists()


def test_dsl_of_another_agency_cannot_see_the_case_history(world: World) -> None:
    with pytest.raises(NotFound):
        access_case_history(world.outsider, world.case.pk)
    with pytest.raises(NotFound):
        access_person_history(world.outsider, world.case.subject_id)


def test_missing_and_malformed_ids_answer_like_forbidden_ones(world: World) -> None:
    for raw in (uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(NotFound):
            access_case_history(world.dsl, raw)


def test_inactive_dsl_cannot_see_a_case_history(world: World) -> None:
    world.dsl.is_active = False
    with pytest.raises(NotFound):
        access_case_history(world.dsl, world.case.pk)


def test_the_link_is_offered_only_to_the_holding_agency_with_the_capability(world: World) -> None:
    assert may_view_record_access(world.dsl, world.case)
    assert may_view_record_access(world.dsl, world.case.subject)
    assert not may_view_record_access(world.worker, world.case)
    assert not may_view_record_access(world.outsider, world.case)
    assert not may_view_record_access(world.dsl, world.item)


# --- Subject access export -----------------------------------------------------------------------


def test_information_governance_can_export_a_person_their_agency_holds(world: World) -> None:
    ig = _ig(world)
    access_person_for_subject_access(ig, world.case.subject_id, export_format="csv")
    entry = LedgerEntry.objects.get(event_code=Event.SUBJECT_ACCESS_EXPORTED)
    assert entry.actor_id == ig.pk
    assert entry.subject_person_id == world.case.subject_id
    assert '"format":"csv"' in entry.details


def test_dsl_cannot_export_a_subject_access_request(world: World) -> None:
    with pytest.raises(NotFound):
        access_person_for_subject_access(world.dsl, world.case.subject_id, export_format="page")


def test_information_governance_of_another_agency_cannot_export_the_person(world: World) -> None:
    with pytest.raises(NotFound):
        access_person_for_subject_access(
            _ig(world, other=True), world.case.subject_id, export_format="page"
        )
    assert not LedgerEntry.objects.filter(event_code=Event.SUBJECT_ACCESS_EXPORTED).exists()


# --- Notifications: who is told ------------------------------------------------------------------


def test_allocated_worker_and_dsl_are_told_about_the_case_colleague_is_not(world: World) -> None:
    assert world.case in cases_notifying(world.worker)
    assert world.case in cases_notifying(world.dsl)
    assert world.case not in cases_notifying(world.colleague)
    assert world.case not in cases_notifying(world.outsider)


def test_worker_is_told_about_the_child_and_people_involved_in_their_case(world: World) -> None:
    parent = InvolvementFactory(case=world.case).person
    stranger_case = CaseFactory(agency=world.agency)
    people = set(people_notifying(world.worker))
    assert {world.case.subject, parent} <= people
    assert stranger_case.subject not in people
    assert stranger_case.subject in set(people_notifying(world.dsl))


def test_ended_allocation_stops_notifications(world: World) -> None:
    other = AllocationFactory(case=CaseFactory(agency=world.agency))
    assert other.case in cases_notifying(other.practitioner)
    other.ended_on = other.started_on
    other.save()
    assert other.case not in cases_notifying(other.practitioner)


# --- The review queue: which reads ---------------------------------------------------------------


def test_information_governance_reviews_own_staff_reads_and_reads_of_own_records(
    world: World,
) -> None:
    ours_of_ours = open_case(world.dsl, world.case)
    theirs_of_ours = open_case(world.outsider, world.case)
    theirs_of_theirs = open_case(world.outsider, world.other_case)
    ours_of_theirs = open_case(world.dsl, world.other_case)
    reviewable = set(reads_reviewable_by(_ig(world)))
    assert {ours_of_ours, theirs_of_ours, ours_of_theirs} <= reviewable
    assert theirs_of_theirs not in reviewable


def test_information_governance_can_open_a_reviewable_read_and_it_is_recorded(
    world: World,
) -> None:
    ig = _ig(world)
    entry = open_case(world.outsider, world.case)
    assert access_flagged_read(ig, entry.entry_id) == entry
    viewed = LedgerEntry.objects.get(event_code=Event.ACCESS_REVIEW_VIEWED, actor_id=ig.pk)
    assert viewed.subject_case_id == world.case.pk


def test_information_governance_cannot_open_another_agencys_business(world: World) -> None:
    entry = open_case(world.outsider, world.other_case)
    with pytest.raises(NotFound):
        access_flagged_read(_ig(world), entry.entry_id)


def test_only_reads_of_records_can_be_opened_for_review(world: World) -> None:
    change = read(Event.CASE_STATUS_CHANGED, world.worker, case=world.case)
    with pytest.raises(NotFound):
        access_flagged_read(_ig(world), change.entry_id)


def test_dsl_cannot_open_reads_for_review(world: World) -> None:
    entry = open_case(world.outsider, world.case)
    with pytest.raises(NotFound):
        access_flagged_read(world.dsl, entry.entry_id)
