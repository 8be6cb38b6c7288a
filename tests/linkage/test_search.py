"""Identity search and the pointer index: the index, the search, who sees what, the ledger."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from safeshare.access.fetch import (
    access_identity_search,
    access_pointer_agency,
    access_pointer_index,
    access_pointer_to_dispute,
)
from safeshare.access.policy import may_see_match_details, may_view_pointers
from safeshare.agencies.models import Practitioner, Role
from safeshare.cases.models import CaseStatus
from safeshare.core import keys
from safeshare.core.exceptions import NotFound
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.linkage import spec
from safeshare.linkage.exceptions import (
    LinkDecisionInvalid,
    NoActiveLinkageModel,
    SearchQueryTooVague,
)
from safeshare.linkage.models import (
    CandidatePair,
    Identity,
    IdentityLink,
    LinkageModel,
    LinkedBy,
    PairStatus,
    SearchEntry,
    SearchKey,
)
from safeshare.linkage.scoring import export_weights
from safeshare.linkage.search import (
    identity_search,
    pointer_request_start,
    search_index_rebuild,
    search_index_update,
)
from safeshare.linkage.services import pointer_match_dispute
from safeshare.people.models import NameKind, Person, PersonName, Sex
from tests.conftest import World
from tests.factories import AddressFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

QUERY: dict[str, Any] = {
    "given_name": "Lizzie",
    "family_name": "Fakeworth",
    "date_of_birth": "2015-03-04",
    "postcode": "ZZ1 2AB",
    "nhs_number": "",
}


def hand_made_splink_model() -> dict[str, Any]:
    """A Splink model dict for the spec's comparisons with plausible m and u probabilities."""
    comparisons = []
    for comparison in spec.settings()["comparisons"]:
        levels = [dict(level) for level in comparison["comparison_levels"]]
        real = [level for level in levels if not level.get("is_null_level")]
        for rank, level in enumerate(real):
            if rank == len(real) - 1:  # the ELSE level
                level["m_probability"], level["u_probability"] = 0.05, 0.95
            else:
                level["m_probability"] = 0.9 / (rank + 1)
                level["u_probability"] = 0.002 * (rank + 1)
        comparisons.append({**comparison, "comparison_levels": levels})
    return {**spec.settings(), "comparisons": comparisons}


def activate_search_model() -> LinkageModel:
    weights = export_weights(
        hand_made_splink_model(), {"given_name": {}, "family_name": {"fakeworth": 0.001}}
    )
    return LinkageModel.objects.create(
        version=1, splink_model=hand_made_splink_model(), weights=weights, is_active=True
    )


@dataclass
class Linked:
    identity: Identity
    ours: Person  # the world agency's record: the subject of world.case
    theirs: Person  # the other agency's record of the same child
    stranger: Person  # someone else, held by the other agency


def link(person: Person, identity: Identity) -> None:
    IdentityLink.objects.create(person=person, identity=identity, linked_by=LinkedBy.MODEL)


def linked_child(world: World) -> Linked:
    """The world's case subject and the other agency's record of the same child, linked and
    indexed, with an active model."""
    ours = world.case.subject
    ours.given_name, ours.family_name = "Elizabeth", "Fakeworth"
    ours.date_of_birth = "2015-03-04"  # type: ignore[assignment]
    ours.sex = Sex.FEMALE
    ours.nhs_number = "9990000018"
    ours.save()
    AddressFactory(person=ours, postcode="ZZ1 2AB")
    theirs = PersonFactory(
        agency=world.other_agency,
        given_name="Beth",
        family_name="Fakewroth",
        date_of_birth="2015-03-04",
        sex=Sex.FEMALE,
    )
    AddressFactory(person=theirs, postcode="ZZ1 2AB")
    stranger = PersonFactory(
        agency=world.other_agency, given_name="Omar", family_name="Mockbleton", sex=Sex.MALE
    )
    AddressFactory(person=stranger, postcode="ZZ9 9ZZ")
    identity = Identity.objects.create(reference="ID-TEST1")
    link(ours, identity)
    link(theirs, identity)
    activate_search_model()
    search_index_update(persons=Person.objects.all())
    return Linked(identity=identity, ours=ours, theirs=theirs, stranger=stranger)


def mash_officer(world: World) -> Practitioner:
    return PractitionerFactory(agency=world.agency, roles=[Role.MASH_OFFICER])  # type: ignore[no-any-return]


# --- The index ------------------------------------------------------------------------------------


def test_index_holds_one_entry_per_person_with_hashed_keys_and_sealed_features(
    world: World,
) -> None:
    linked = linked_child(world)
    entry = SearchEntry.objects.get(person=linked.ours)
    assert entry.identity_id == linked.identity.pk
    raw = SearchEntry.objects.filter(pk=entry.pk).values_list("features", flat=True).get()
    assert "fakeworth" not in raw
    assert raw.startswith("v1.")
    assert json.loads(entry.features)[0]["family_name"] == "fakeworth"
    stored = list(SearchKey.objects.filter(entry=entry).values_list("key", flat=True))
    assert stored
    assert all(len(k) == 32 and "fakeworth" not in k for k in stored)


def test_reindexing_replaces_the_entry_rather_than_adding_one(world: World) -> None:
    linked = linked_child(world)
    before = SearchKey.objects.filter(entry__person=linked.ours).count()
    assert search_index_update(persons=[linked.ours]) == 1
    assert SearchEntry.objects.filter(person=linked.ours).count() == 1
    assert SearchKey.objects.filter(entry__person=linked.ours).count() == before


def test_a_protected_address_is_never_indexed(world: World) -> None:
    linked = linked_child(world)
    AddressFactory(person=linked.stranger, postcode="ZZ5 5PP", is_protected=True)
    search_index_update(persons=[linked.stranger])
    variants = json.loads(SearchEntry.objects.get(person=linked.stranger).features)
    assert {v["postcode"] for v in variants} == {"ZZ99ZZ"}


def test_a_previous_family_name_is_searchable(world: World) -> None:
    linked = linked_child(world)
    PersonName.objects.create(person=linked.stranger, kind=NameKind.PREVIOUS, family_name="Quibby")
    search_index_update(persons=[linked.stranger])
    matches = identity_search(
        actor=world.worker, given_name="Omar", family_name="Quibby", postcode="ZZ9 9ZZ"
    )
    assert matches[0].person_id == linked.stranger.pk


def test_rebuild_reindexes_everyone_and_records_one_ledger_entry(world: World) -> None:
    linked_child(world)
    people = Person.objects.count()
    assert search_index_rebuild(actor=world.system_admin) == people
    assert SearchEntry.objects.count() == people
    entry = LedgerEntry.objects.get(event_code=Event.SEARCH_INDEX_REBUILT)
    assert json.loads(entry.details)["people"] == people


def test_search_still_finds_entries_indexed_under_the_previous_key_after_rotation(
    world: World,
) -> None:
    linked = linked_child(world)
    ring = keys.keyring()
    keys.reset_cache(ring.with_new_active_key("rotated"))
    try:
        found = identity_search(actor=world.worker, **QUERY)
        assert found[0].identity_id == linked.identity.pk
        search_index_rebuild(actor=world.system_admin)
        keys.reset_cache(keys.keyring().without_keys_except_active())
        found = identity_search(actor=world.worker, **QUERY)
        assert found[0].identity_id == linked.identity.pk
    finally:
        keys.reset_cache()


# --- The search -----------------------------------------------------------------------------------


def test_search_ranks_the_linked_identity_first_with_reasons(world: World) -> None:
    linked = linked_child(world)
    matches = identity_search(actor=world.worker, **QUERY)
    assert matches[0].identity_id == linked.identity.pk
    assert matches[0].match_probability > 0.9
    assert {r.comparison for r in matches[0].reasons} >= {"Given name", "Date of birth"}
    assert all(m.identity_id != linked.identity.pk for m in matches[1:])


def test_search_by_nhs_number_alone_finds_the_child(world: World) -> None:
    linked = linked_child(world)
    matches = identity_search(actor=world.worker, nhs_number="999 000 0018")
    assert matches[0].identity_id == linked.identity.pk


def test_search_records_results_in_the_ledger_but_never_the_query(world: World) -> None:
    linked = linked_child(world)
    identity_search(actor=world.worker, **{**QUERY, "nhs_number": "9990000018"})
    entry = LedgerEntry.objects.get(event_code=Event.IDENTITY_SEARCHED)
    details = json.loads(entry.details)
    assert details["results"] >= 1
    assert str(linked.identity.pk) in details["identities"]
    row = json.dumps(LedgerEntry.objects.filter(pk=entry.pk).values().get(), default=str).lower()
    for value in ("lizzie", "fakeworth", "2015-03-04", "zz1", "9990000018"):
        assert value not in row


def test_search_without_an_active_model_says_so(world: World) -> None:
    with pytest.raises(NoActiveLinkageModel):
        identity_search(actor=world.worker, **QUERY)
    assert not LedgerEntry.objects.filter(event_code=Event.IDENTITY_SEARCHED).exists()


def test_a_name_alone_is_too_vague_to_search(world: World) -> None:
    linked_child(world)
    with pytest.raises(SearchQueryTooVague):
        identity_search(actor=world.worker, given_name="Elizabeth", family_name="Fakeworth")


# --- Who sees what --------------------------------------------------------------------------------


def test_practitioner_sees_probability_reasons_and_own_agency_records_only(world: World) -> None:
    linked = linked_child(world)
    results = access_identity_search(world.worker, **QUERY)
    top = results[0]
    assert top.key == str(linked.identity.pk)
    assert [r.person for r in top.own_records] == [linked.ours]
    assert top.own_records[0].may_view
    assert top.details is None
    assert not may_see_match_details(world.worker)


def test_colleague_sees_own_agency_record_without_a_link_to_it(world: World) -> None:
    linked_child(world)
    top = access_identity_search(world.colleague, **QUERY)[0]
    assert len(top.own_records) == 1
    assert not top.own_records[0].may_view


def test_other_agency_practitioner_sees_only_their_own_record_of_the_child(world: World) -> None:
    linked = linked_child(world)
    top = access_identity_search(world.outsider, **QUERY)[0]
    assert [r.person for r in top.own_records] == [linked.theirs]
    assert top.details is None


def test_mash_officer_also_sees_the_best_match_identifying_details(world: World) -> None:
    linked_child(world)
    officer = mash_officer(world)
    top = access_identity_search(officer, **QUERY)[0]
    assert top.details is not None
    assert top.details.postcode_district == "ZZ1"
    assert top.details.agency_name in {world.agency.name, world.other_agency.name}


@pytest.mark.parametrize("who", ["agency_admin", "system_admin"])
def test_administrators_cannot_search_identities(world: World, who: str) -> None:
    linked_child(world)
    with pytest.raises(NotFound):
        access_identity_search(getattr(world, who), **QUERY)
    assert not LedgerEntry.objects.filter(event_code=Event.IDENTITY_SEARCHED).exists()


# --- The pointer index ----------------------------------------------------------------------------


def test_allocated_worker_sees_which_other_agencies_hold_a_record(world: World) -> None:
    linked = linked_child(world)
    person, agencies = access_pointer_index(world.worker, linked.ours.pk)
    assert person == linked.ours
    assert agencies == [world.other_agency]
    assert may_view_pointers(world.worker, linked.ours)
    entry = LedgerEntry.objects.get(event_code=Event.POINTER_INDEX_VIEWED)
    assert entry.subject_person_id == linked.ours.pk


def test_dsl_of_the_agency_sees_the_pointers(world: World) -> None:
    linked = linked_child(world)
    assert access_pointer_index(world.dsl, linked.ours.pk)[1] == [world.other_agency]


def test_colleague_without_a_relationship_to_the_child_gets_not_found(world: World) -> None:
    linked = linked_child(world)
    with pytest.raises(NotFound):
        access_pointer_index(world.colleague, linked.ours.pk)
    assert not may_view_pointers(world.colleague, linked.ours)


def test_pointer_index_of_a_closed_case_is_not_found(world: World) -> None:
    linked = linked_child(world)
    world.case.status = CaseStatus.CLOSED
    world.case.save()
    with pytest.raises(NotFound):
        access_pointer_index(world.worker, linked.ours.pk)


def test_other_agency_cannot_see_pointers_of_a_record_it_does_not_hold(world: World) -> None:
    linked = linked_child(world)
    with pytest.raises(NotFound):
        access_pointer_index(world.outsider, linked.ours.pk)
    with pytest.raises(NotFound):
        access_pointer_index(world.outsider, linked.theirs.pk)  # no open case of theirs
    assert not LedgerEntry.objects.filter(event_code=Event.POINTER_INDEX_VIEWED).exists()


def test_asking_a_pointed_agency_prefills_the_request_and_is_recorded(world: World) -> None:
    linked = linked_child(world)
    person, agency = access_pointer_agency(world.worker, linked.ours.pk, world.other_agency.pk)
    prefill = pointer_request_start(actor=world.worker, person=person, agency=agency)
    assert prefill.receiving_agency_id == world.other_agency.pk
    assert prefill.child()["family_name"] == "Fakeworth"
    assert prefill.child()["postcode"] == "ZZ1 2AB"
    entry = LedgerEntry.objects.get(event_code=Event.POINTER_REQUEST_STARTED)
    assert entry.subject_person_id == linked.ours.pk


def test_an_agency_the_index_does_not_list_cannot_be_asked_from_it(world: World) -> None:
    linked = linked_child(world)
    with pytest.raises(NotFound):
        access_pointer_agency(world.worker, linked.ours.pk, world.agency.pk)


def test_each_record_shown_in_search_results_is_recorded_as_listed(world: World) -> None:
    linked = linked_child(world)
    access_identity_search(world.worker, **QUERY)
    listed = set(
        LedgerEntry.objects.filter(event_code=Event.PERSON_LISTED).values_list(
            "subject_person_id", flat=True
        )
    )
    assert linked.ours.pk in listed
    assert linked.theirs.pk not in listed  # another agency's record is not shown to a worker


# --- Disputing a pointer ------------------------------------------------------------------------


def test_a_worker_sends_a_doubtful_pointer_to_clerical_review(world: World) -> None:
    linked = linked_child(world)
    person, agency = access_pointer_to_dispute(world.worker, linked.ours.pk, world.other_agency.pk)
    (pair,) = pointer_match_dispute(
        actor=world.worker,
        person=person,
        agency=agency,
        reason="The police say their record is of a cousin",
    )
    assert pair.status == PairStatus.PENDING
    assert {pair.person_a_id, pair.person_b_id} == {linked.ours.pk, linked.theirs.pk}
    assert pair.comparisons  # the model's evidence, for the reviewer
    assert pair.reopen_reason == "The police say their record is of a cousin"
    assert CandidatePair.objects.count() == 1
    # Nothing is unlinked until a reviewer decides.
    assert IdentityLink.objects.get(person=linked.theirs).identity_id == linked.identity.pk
    entry = LedgerEntry.objects.get(event_code=Event.POINTER_MATCH_DISPUTED)
    assert entry.subject_person_id == linked.ours.pk
    assert "cousin" not in entry.details


def test_disputing_needs_a_reason_and_a_relationship(world: World) -> None:

    linked = linked_child(world)
    with pytest.raises(NotFound):
        access_pointer_to_dispute(world.colleague, linked.ours.pk, world.other_agency.pk)
    with pytest.raises(NotFound):
        access_pointer_to_dispute(world.worker, linked.ours.pk, world.agency.pk)
    with pytest.raises(LinkDecisionInvalid):
        pointer_match_dispute(
            actor=world.worker, person=linked.ours, agency=world.other_agency, reason="no"
        )
    assert not CandidatePair.objects.exists()
    assert not LedgerEntry.objects.filter(event_code=Event.POINTER_MATCH_DISPUTED).exists()
