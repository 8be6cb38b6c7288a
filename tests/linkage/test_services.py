"""Linkage services: training a model version, full and incremental runs, clerical decisions."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from safeshare.agencies.models import AgencyType, Role
from safeshare.core.exceptions import DomainError
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.linkage import services
from safeshare.linkage.exceptions import NoActiveLinkageModel
from safeshare.linkage.models import (
    CandidatePair,
    IdentityLink,
    LinkageModel,
    LinkedBy,
    PairStatus,
)
from safeshare.linkage.synthetic import generate_population
from safeshare.people.models import NameKind, Person, Sex
from safeshare.people.services import person_name_add
from tests.factories import AddressFactory, AgencyFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

_SEX = {"F": Sex.FEMALE, "M": Sex.MALE, None: Sex.NOT_RECORDED}


@pytest.fixture
def held() -> dict[str, int]:
    """A small synthetic population written as each agency's Person rows; person id -> truth."""
    population = generate_population(children=60, seed=3)
    agencies = {
        name: AgencyFactory(name=f"Fakeshire {name}", agency_type=AgencyType.COMMUNITY_HEALTH)
        for name in {r.agency for r in population.records}
    }
    truth: dict[str, int] = {}
    for r in population.records:
        person = PersonFactory(
            agency=agencies[r.agency],
            given_name=r.given_name,
            family_name=r.family_name,
            date_of_birth=dt.date.fromisoformat(r.date_of_birth) if r.date_of_birth else None,
            sex=_SEX[r.sex],
            nhs_number=r.nhs_number or "",
        )
        if r.postcode:
            AddressFactory(person=person, postcode=r.postcode)
        if r.previous_family_name:
            person_name_add(
                actor=None,
                person=person,
                kind=NameKind.PREVIOUS,
                given_name=r.given_name,
                family_name=r.previous_family_name,
            )
        truth[str(person.pk)] = r.identity_id
    return truth


def _identities(truth: dict[str, int]) -> dict[str, str]:
    return {str(p): str(i) for p, i in IdentityLink.objects.values_list("person_id", "identity_id")}


def test_linking_needs_a_model_in_use() -> None:
    with pytest.raises(NoActiveLinkageModel):
        services.linkage_run(actor=None)


def test_thresholds_must_be_ordered(held: dict[str, int]) -> None:
    with pytest.raises(DomainError):
        services.linkage_model_train(actor=None, auto_link_probability=0.5, review_probability=0.9)
    assert not LinkageModel.objects.exists()


def test_full_run_links_each_agencys_records_of_one_person(held: dict[str, int]) -> None:
    model = services.linkage_model_train(actor=None)
    assert model.is_active
    assert model.version == 1
    assert model.weights["comparisons"]
    run = services.linkage_run(actor=None)

    identity_of = _identities(held)
    assert set(identity_of) == set(held)  # every record belongs to exactly one identity
    same_truth = Counter()
    for person_a, truth_a in held.items():
        for person_b, truth_b in held.items():
            if person_a < person_b and identity_of[person_a] == identity_of[person_b]:
                same_truth[truth_a == truth_b] += 1
    assert same_truth[True] > 0
    assert same_truth[False] <= same_truth[True] * 0.02
    assert run.identities == len(set(identity_of.values()))
    assert LedgerEntry.objects.filter(event_code=Event.LINKAGE_RUN_COMPLETED).count() == 1
    assert LedgerEntry.objects.filter(event_code=Event.IDENTITY_LINKED).count() == len(held)
    assert LedgerEntry.objects.filter(event_code=Event.LINKAGE_MODEL_TRAINED).count() == 1


def test_a_rerun_keeps_identities_stable(held: dict[str, int]) -> None:
    services.linkage_model_train(actor=None)
    services.linkage_run(actor=None)
    before = _identities(held)
    services.linkage_run(actor=None)
    assert _identities(held) == before


def test_incremental_run_joins_a_new_record_to_its_identity(held: dict[str, int]) -> None:
    services.linkage_model_train(actor=None)
    services.linkage_run(actor=None)
    before = _identities(held)
    existing = Person.objects.exclude(nhs_number="").select_related("agency").first()
    assert existing is not None
    newcomer = PersonFactory(
        agency=AgencyFactory(name="Fakeshire Academy", agency_type=AgencyType.SCHOOL),
        given_name=existing.given_name,
        family_name=existing.family_name,
        date_of_birth=existing.date_of_birth,
        sex=existing.sex,
        nhs_number=existing.nhs_number,
    )
    run = services.linkage_run(actor=None, incremental=True)
    assert run.kind == "incremental"
    assert run.records == 1
    after = _identities(held)
    assert after[str(newcomer.pk)] == after[str(existing.pk)]
    assert {p: after[p] for p in before} == before


def _pending_pair(held: dict[str, int]) -> CandidatePair:
    services.linkage_model_train(actor=None)
    services.linkage_run(actor=None)
    a, b = sorted(Person.objects.order_by("pk")[:2], key=lambda p: p.pk)
    return CandidatePair.objects.create(
        person_a=a,
        person_b=b,
        match_probability=0.7,
        match_weight=1.2,
        comparisons=[],
        model=LinkageModel.objects.get(is_active=True),
    )


def _apart(pair: CandidatePair) -> bool:
    """Whether the pair's two records now belong to different identities."""
    links = dict(
        IdentityLink.objects.filter(person__in=[pair.person_a, pair.person_b]).values_list(
            "person_id", "identity_id"
        )
    )
    return bool(links[pair.person_a_id] != links[pair.person_b_id])


def test_confirming_a_pair_merges_their_identities_for_good(held: dict[str, int]) -> None:
    pair = _pending_pair(held)
    mash = PractitionerFactory(roles=[Role.MASH_OFFICER])
    services.candidate_confirm(actor=mash, candidate=pair, reason="Same school and GP records")
    links = IdentityLink.objects.filter(person__in=[pair.person_a, pair.person_b])
    assert len({link.identity_id for link in links}) == 1
    assert {link.linked_by for link in links} == {LinkedBy.CLERICAL}
    assert LedgerEntry.objects.filter(event_code=Event.LINK_CONFIRMED).count() == 2
    services.linkage_run(actor=None)  # the model never undoes a practitioner's decision
    links = IdentityLink.objects.filter(person__in=[pair.person_a, pair.person_b])
    assert len({link.identity_id for link in links}) == 1


def test_rejecting_a_pair_keeps_them_apart_for_good(held: dict[str, int]) -> None:
    pair = _pending_pair(held)
    mash = PractitionerFactory(roles=[Role.MASH_OFFICER])
    services.candidate_reject(actor=mash, candidate=pair, reason="Different dates of birth")
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED
    assert LedgerEntry.objects.filter(event_code=Event.LINK_REJECTED).count() == 2
    services.linkage_run(actor=None)
    assert _apart(pair)


def test_a_decision_needs_a_reason_and_changes_nothing_without_one(held: dict[str, int]) -> None:
    pair = _pending_pair(held)
    mash = PractitionerFactory(roles=[Role.MASH_OFFICER])
    with pytest.raises(DomainError):
        services.candidate_confirm(actor=mash, candidate=pair, reason="same")
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING
    assert not LedgerEntry.objects.filter(event_code=Event.LINK_CONFIRMED).exists()


def test_a_pair_is_decided_once(held: dict[str, int]) -> None:
    pair = _pending_pair(held)
    mash = PractitionerFactory(roles=[Role.MASH_OFFICER])
    services.candidate_reject(actor=mash, candidate=pair, reason="Different dates of birth")
    with pytest.raises(DomainError):
        services.candidate_confirm(actor=mash, candidate=pair, reason="Changed my mind on this")


def test_a_run_reindexes_only_new_and_changed_records_for_search(held: dict[str, int]) -> None:
    from safeshare.linkage.models import SearchEntry
    from safeshare.people.services import address_add

    services.linkage_model_train(actor=None)
    services.linkage_run(actor=None)
    assert SearchEntry.objects.count() == len(held)
    indexed = dict(SearchEntry.objects.values_list("person_id", "updated_at"))
    moved = Person.objects.order_by("pk").first()
    assert moved is not None
    address_add(actor=None, person=moved, lines="3 Fake Close", postcode="ZZ7 7ZZ")
    services.linkage_run(actor=None, incremental=True)
    after = dict(SearchEntry.objects.values_list("person_id", "updated_at"))
    changed = {pk for pk in after if after[pk] != indexed[pk]}
    assert changed == {moved.pk}


def test_a_record_under_a_previous_family_name_links_to_the_record_that_holds_it(
    held: dict[str, int],
) -> None:
    """A child renamed after a parent's marriage: the school still has the old family name, the
    GP has the new one with the old one recorded as previous. No NHS number, different
    postcodes in one sector (the school has the address before a move round the corner)."""
    renamed = PersonFactory(
        agency=AgencyFactory(name="Fakeshire GP practice", agency_type=AgencyType.GP_PRACTICE),
        given_name="Zebedeefake",
        family_name="Mockbletonshaw",
        date_of_birth=dt.date(2014, 7, 19),
        sex=Sex.MALE,
    )
    AddressFactory(person=renamed, postcode="ZZ3 4QT")
    person_name_add(
        actor=None,
        person=renamed,
        kind=NameKind.PREVIOUS,
        given_name="Zebedeefake",
        family_name="Fakeworthingham",
    )
    before = PersonFactory(
        agency=AgencyFactory(name="Fakeshire Primary", agency_type=AgencyType.SCHOOL),
        given_name="Zebedeefake",
        family_name="Fakeworthingham",
        date_of_birth=dt.date(2014, 7, 19),
        sex=Sex.MALE,
    )
    AddressFactory(person=before, postcode="ZZ3 4QU")
    services.linkage_model_train(actor=None)
    services.linkage_run(actor=None)
    identity_of = _identities(held)
    assert identity_of[str(renamed.pk)] == identity_of[str(before.pk)]
    link = IdentityLink.objects.get(person=before)
    assert link.linked_by == LinkedBy.MODEL


def test_a_wrong_decision_can_be_reopened_and_decided_again(held: dict[str, int]) -> None:
    pair = _pending_pair(held)
    mash = PractitionerFactory(roles=[Role.MASH_OFFICER])
    services.candidate_confirm(actor=mash, candidate=pair, reason="Same school and GP records")
    reopened = services.candidate_reopen(
        actor=mash, candidate=pair, reason="The school record turned out to be a cousin"
    )
    assert reopened.status == PairStatus.PENDING
    assert reopened.decided_by is None
    assert reopened.reopen_reason == "The school record turned out to be a cousin"
    assert LedgerEntry.objects.filter(event_code=Event.LINK_DECISION_REOPENED).count() == 2
    services.candidate_reject(actor=mash, candidate=reopened, reason="A cousin, not the child")
    assert _apart(pair)


def test_reopening_needs_a_decided_pair_and_a_reason(held: dict[str, int]) -> None:
    pair = _pending_pair(held)
    mash = PractitionerFactory(roles=[Role.MASH_OFFICER])
    with pytest.raises(DomainError):
        services.candidate_reopen(actor=mash, candidate=pair, reason="Waiting already, though")
    services.candidate_reject(actor=mash, candidate=pair, reason="Different dates of birth")
    with pytest.raises(DomainError):
        services.candidate_reopen(actor=mash, candidate=pair, reason="wrong")
    pair.refresh_from_db()
    assert pair.status == PairStatus.REJECTED
    assert not LedgerEntry.objects.filter(event_code=Event.LINK_DECISION_REOPENED).exists()
