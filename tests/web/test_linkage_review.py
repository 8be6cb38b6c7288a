"""The clerical review queue and linkage status on the web: MASH officers review pairs (the queue
shows no names; a pair shows both records and the model's evidence in plain words), their
decision overrides the model and is in the ledger; anyone else gets the same 404 for a pair as
for a missing one; information governance sees linkage status and chooses the model version."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest

from safeshare.agencies.models import AgencyType, Practitioner, Role
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.linkage.models import (
    CandidatePair,
    Identity,
    IdentityLink,
    LinkageModel,
    LinkedBy,
    PairStatus,
)
from safeshare.linkage.services import candidate_reject
from safeshare.people.models import Person, PersonName, Sex
from tests.factories import AddressFactory, AgencyFactory, PersonFactory, PractitionerFactory
from tests.web.conftest import SignIn

pytestmark = pytest.mark.django_db

REFUGE_POSTCODE = "ZZ9 9RF"
REFUGE_LINES = "Flat 3, Hiddenfake House"

COMPARISONS = [
    {"comparison": "Date of birth", "level": "Exact match", "weight": 6.1},
    {"comparison": "Given name", "level": "Nickname of the other", "weight": 2.3},
    {"comparison": "Sex", "level": "Not recorded on one record", "weight": 0.0},
    {"comparison": "Postcode", "level": "Different postcode district", "weight": -2.5},
    {"comparison": "NHS number", "level": "Different numbers", "weight": -7.0},
]


@dataclass
class LinkWorld:
    officer: Practitioner  # MASH officer: LINK_REVIEW
    practitioner: Practitioner
    dsl: Practitioner
    ig: Practitioner  # information governance: LINKAGE_MANAGE
    model: LinkageModel
    pair: CandidatePair
    first: Person  # the pair's person_a
    second: Person  # the pair's person_b


@pytest.fixture
def linkworld(db: None) -> LinkWorld:
    council = AgencyFactory(name="Fakeshire Children's Services")
    police = AgencyFactory(name="Fakeshire Constabulary", agency_type=AgencyType.POLICE)
    one = PersonFactory(
        agency=council,
        given_name="Amelia",
        family_name="Fakeworth",
        date_of_birth=dt.date(2017, 3, 9),
        sex=Sex.FEMALE,
        nhs_number="9990001234",
    )
    two = PersonFactory(
        agency=police,
        given_name="Millie",
        family_name="Fakeworth",
        date_of_birth=dt.date(2017, 3, 9),
        sex=Sex.NOT_RECORDED,
    )
    first, second = sorted([one, two], key=lambda person: person.pk)
    AddressFactory(person=one, postcode="ZZ1 4AB", lines="1 Mockby Road")
    AddressFactory(person=two, postcode=REFUGE_POSTCODE, lines=REFUGE_LINES, is_protected=True)
    PersonName.objects.create(person=one, kind="previous", given_name="", family_name="Quibton")
    for person in (one, two):
        IdentityLink.objects.create(
            person=person,
            identity=Identity.objects.create(reference=f"ID-{uuid.uuid4().hex[:8].upper()}"),
            linked_by=LinkedBy.ALONE,
        )
    model = LinkageModel.objects.create(version=1, splink_model={}, weights={}, is_active=True)
    pair = CandidatePair.objects.create(
        person_a=first,
        person_b=second,
        match_probability=0.8234,
        match_weight=2.2,
        comparisons=COMPARISONS,
        model=model,
    )
    return LinkWorld(
        officer=PractitionerFactory(agency=council, roles=[Role.MASH_OFFICER]),
        practitioner=PractitionerFactory(agency=council),
        dsl=PractitionerFactory(agency=council, roles=[Role.DSL]),
        ig=PractitionerFactory(agency=council, roles=[Role.INFORMATION_GOVERNANCE]),
        model=model,
        pair=pair,
        first=first,
        second=second,
    )


def _pair_url(pair: CandidatePair) -> str:
    return f"/linkage/review/{pair.pk}/"


def _count(event: Event) -> int:
    return LedgerEntry.objects.filter(event_code=int(event)).count()


def _identity_of(person: Person) -> uuid.UUID:
    return IdentityLink.objects.get(person=person).identity_id


# --- the queue ----------------------------------------------------------------------------------


def test_mash_officer_sees_the_queue_with_probability_and_agencies_but_no_names(
    linkworld: LinkWorld, sign_in: SignIn
) -> None:
    response = sign_in(linkworld.officer).get("/linkage/review/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "82.3%" in body
    assert "Fakeshire Children&#x27;s Services" in body
    assert "Fakeshire Constabulary" in body
    assert _pair_url(linkworld.pair) in body
    for identifying in ("Amelia", "Millie", "Fakeworth", "ZZ1 4AB", "999 000 1234"):
        assert identifying not in body
    assert _count(Event.LINK_REVIEW_QUEUE_VIEWED) == 1


def test_queue_filters_decided_pairs(linkworld: LinkWorld, sign_in: SignIn) -> None:
    candidate_reject(
        actor=linkworld.officer, candidate=linkworld.pair, reason="Different parents recorded"
    )
    client = sign_in(linkworld.officer)
    assert _pair_url(linkworld.pair) not in client.get("/linkage/review/").content.decode()
    rejected = client.get("/linkage/review/", {"show": "rejected"}).content.decode()
    assert _pair_url(linkworld.pair) in rejected
    confirmed = client.get("/linkage/review/", {"show": "confirmed"}).content.decode()
    assert _pair_url(linkworld.pair) not in confirmed


def test_queue_paginates(linkworld: LinkWorld, sign_in: SignIn) -> None:
    council = linkworld.first.agency
    for _ in range(26):
        a, b = sorted(
            [PersonFactory(agency=council), PersonFactory(agency=council)], key=lambda p: p.pk
        )
        CandidatePair.objects.create(
            person_a=a, person_b=b, match_probability=0.6, match_weight=0.6, model=linkworld.model
        )
    body = sign_in(linkworld.officer).get("/linkage/review/").content.decode()
    assert "Waiting for review (27)" in body
    assert 'aria-label="Pagination"' in body


@pytest.mark.parametrize("who", ["practitioner", "dsl", "ig"])
def test_roles_without_link_review_are_refused_the_queue(
    linkworld: LinkWorld, sign_in: SignIn, who: str
) -> None:
    assert sign_in(getattr(linkworld, who)).get("/linkage/review/").status_code == 403
    assert _count(Event.LINK_REVIEW_QUEUE_VIEWED) == 0


def test_nav_shows_review_matches_with_the_count_to_mash_officers_only(
    linkworld: LinkWorld, sign_in: SignIn
) -> None:
    body = sign_in(linkworld.officer).get("/").content.decode()
    assert 'href="/linkage/review/"' in body
    assert "Review matches" in body
    assert '1<span class="govuk-visually-hidden"> waiting</span>' in body
    assert (
        'href="/linkage/review/"' not in sign_in(linkworld.practitioner).get("/").content.decode()
    )
    ig_page = sign_in(linkworld.ig).get("/").content.decode()
    assert 'href="/linkage/review/"' not in ig_page
    assert 'href="/linkage/"' in ig_page


# --- a pair side by side ------------------------------------------------------------------------


def test_mash_officer_sees_both_records_and_the_evidence_in_plain_words(
    linkworld: LinkWorld, sign_in: SignIn
) -> None:
    response = sign_in(linkworld.officer).get(_pair_url(linkworld.pair))
    assert response.status_code == 200
    body = response.content.decode()
    for shown in ("Amelia", "Millie", "Fakeworth", "Quibton", "9 March 2017", "ZZ1 4AB"):
        assert shown in body
    assert "999 000 1234" in body
    assert "Strong evidence they are the same person" in body
    assert "Some evidence they are the same person" in body
    assert "Little evidence either way" in body
    assert "Some evidence they are different people" in body
    assert "Strong evidence they are different people" in body
    assert "Nickname of the other" in body
    assert "82.3%" in body
    assert "Are these the same person?" in body
    assert 'name="reason"' in body
    viewed = LedgerEntry.objects.filter(event_code=int(Event.LINK_CANDIDATE_VIEWED))
    assert {e.subject_person_id for e in viewed} == {linkworld.first.pk, linkworld.second.pk}


def test_a_protected_address_is_never_shown_on_the_pair(
    linkworld: LinkWorld, sign_in: SignIn
) -> None:
    body = sign_in(linkworld.officer).get(_pair_url(linkworld.pair)).content.decode()
    assert REFUGE_POSTCODE not in body
    assert REFUGE_LINES not in body
    assert "None to show" in body


@pytest.mark.parametrize("who", ["practitioner", "dsl", "ig"])
def test_roles_without_link_review_get_404_for_a_pair_as_for_a_missing_one(
    linkworld: LinkWorld, sign_in: SignIn, who: str
) -> None:
    client = sign_in(getattr(linkworld, who))
    forbidden = client.get(_pair_url(linkworld.pair))
    missing = client.get(f"/linkage/review/{uuid.uuid4()}/")
    assert forbidden.status_code == missing.status_code == 404
    posted = client.post(_pair_url(linkworld.pair), {"same_person": "yes", "reason": "x" * 20})
    assert posted.status_code == 404
    linkworld.pair.refresh_from_db()
    assert linkworld.pair.status == PairStatus.PENDING
    assert _count(Event.LINK_CANDIDATE_VIEWED) == 0


def test_mash_officer_confirms_a_pair_and_the_identities_merge(
    linkworld: LinkWorld, sign_in: SignIn
) -> None:
    assert _identity_of(linkworld.first) != _identity_of(linkworld.second)
    client = sign_in(linkworld.officer)
    response = client.post(
        _pair_url(linkworld.pair),
        {"same_person": "yes", "reason": "Same school and GP; checked with the health visitor"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/linkage/review/"
    assert "the records are the same person" in response.content.decode()
    linkworld.pair.refresh_from_db()
    assert linkworld.pair.status == PairStatus.CONFIRMED
    assert linkworld.pair.decided_by == linkworld.officer
    assert _identity_of(linkworld.first) == _identity_of(linkworld.second)
    confirmed = LedgerEntry.objects.filter(event_code=int(Event.LINK_CONFIRMED))
    assert {e.subject_person_id for e in confirmed} == {linkworld.first.pk, linkworld.second.pk}
    assert {e.actor_id for e in confirmed} == {linkworld.officer.pk}


def test_mash_officer_rejects_a_pair_and_the_records_stay_apart(
    linkworld: LinkWorld, sign_in: SignIn
) -> None:
    response = sign_in(linkworld.officer).post(
        _pair_url(linkworld.pair),
        {"same_person": "no", "reason": "Different mothers named on the two records"},
    )
    assert response.status_code == 302
    linkworld.pair.refresh_from_db()
    assert linkworld.pair.status == PairStatus.REJECTED
    assert _identity_of(linkworld.first) != _identity_of(linkworld.second)
    assert _count(Event.LINK_REJECTED) == 2
    assert _count(Event.LINK_CONFIRMED) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"same_person": "yes", "reason": "same"}, "at least 10 characters"),
        ({"same_person": "yes", "reason": ""}, "Enter why you decided this"),
        ({"reason": "Checked with the school"}, "Select yes if these records are the same"),
    ],
)
def test_bad_decision_shows_the_error_summary_and_changes_nothing(
    linkworld: LinkWorld, sign_in: SignIn, data: dict[str, str], message: str
) -> None:
    response = sign_in(linkworld.officer).post(_pair_url(linkworld.pair), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert message in body
    linkworld.pair.refresh_from_db()
    assert linkworld.pair.status == PairStatus.PENDING
    assert _identity_of(linkworld.first) != _identity_of(linkworld.second)
    assert _count(Event.LINK_CONFIRMED) == 0


def test_a_decided_pair_shows_the_decision_and_no_form(
    linkworld: LinkWorld, sign_in: SignIn
) -> None:
    candidate_reject(
        actor=linkworld.officer, candidate=linkworld.pair, reason="Different mothers named"
    )
    body = sign_in(linkworld.officer).get(_pair_url(linkworld.pair)).content.decode()
    assert "Not the same person" in body
    assert linkworld.officer.full_name in body
    assert "Different mothers named" in body
    assert 'name="reason"' not in body
    assert 'name="same_person"' not in body


def test_deciding_an_already_decided_pair_is_refused(linkworld: LinkWorld, sign_in: SignIn) -> None:
    candidate_reject(
        actor=linkworld.officer, candidate=linkworld.pair, reason="Different mothers named"
    )
    response = sign_in(linkworld.officer).post(
        _pair_url(linkworld.pair), {"same_person": "yes", "reason": "Actually the same child"}
    )
    assert response.status_code == 200
    assert "already been decided" in response.content.decode()
    linkworld.pair.refresh_from_db()
    assert linkworld.pair.status == PairStatus.REJECTED
    assert _count(Event.LINK_CONFIRMED) == 0


# --- linkage status -----------------------------------------------------------------------------


def test_information_governance_sees_linkage_status(linkworld: LinkWorld, sign_in: SignIn) -> None:
    response = sign_in(linkworld.ig).get("/linkage/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Model in use" in body
    assert "At or above 95% match probability" in body
    assert "Possible matches waiting for review" in body
    assert "safeshare link --incremental" in body
    assert "Amelia" not in body


@pytest.mark.parametrize("who", ["officer", "practitioner", "dsl"])
def test_roles_without_linkage_manage_are_refused_status_and_activation(
    linkworld: LinkWorld, sign_in: SignIn, who: str
) -> None:
    client = sign_in(getattr(linkworld, who))
    assert client.get("/linkage/").status_code == 403
    assert client.post("/linkage/models/1/activate/").status_code == 403
    assert _count(Event.LINKAGE_MODEL_ACTIVATED) == 0


def test_information_governance_activates_another_model_version(
    linkworld: LinkWorld, sign_in: SignIn
) -> None:
    newer = LinkageModel.objects.create(version=2, splink_model={}, weights={})
    client = sign_in(linkworld.ig)
    assert "Use this version" in client.get("/linkage/").content.decode()
    response = client.post("/linkage/models/2/activate/", follow=True)
    assert "Version 2 of the linkage model is now in use" in response.content.decode()
    newer.refresh_from_db()
    linkworld.model.refresh_from_db()
    assert newer.is_active
    assert not linkworld.model.is_active
    assert _count(Event.LINKAGE_MODEL_ACTIVATED) == 1


def test_activating_an_unknown_version_is_404(linkworld: LinkWorld, sign_in: SignIn) -> None:
    assert sign_in(linkworld.ig).post("/linkage/models/9/activate/").status_code == 404
    assert _count(Event.LINKAGE_MODEL_ACTIVATED) == 0


# --- reopening a decision -----------------------------------------------------------------------


def test_mash_officer_reopens_a_wrong_decision_and_decides_again(
    linkworld: LinkWorld, sign_in: SignIn
) -> None:
    candidate_reject(
        actor=linkworld.officer, candidate=linkworld.pair, reason="Different mothers named"
    )
    client = sign_in(linkworld.officer)
    assert "Reopen this decision" in client.get(_pair_url(linkworld.pair)).content.decode()
    reopen_url = f"/linkage/review/{linkworld.pair.pk}/reopen/"
    assert "Reopen the decision" in client.get(reopen_url).content.decode()
    response = client.post(
        reopen_url, {"reason": "The police record named the wrong mother"}, follow=True
    )
    assert response.redirect_chain[-1][0] == _pair_url(linkworld.pair)
    body = response.content.decode()
    assert 'name="same_person"' in body
    assert "The police record named the wrong mother" in body
    linkworld.pair.refresh_from_db()
    assert linkworld.pair.status == PairStatus.PENDING
    assert _count(Event.LINK_DECISION_REOPENED) == 2
    client.post(_pair_url(linkworld.pair), {"same_person": "yes", "reason": "Same child after all"})
    assert _identity_of(linkworld.first) == _identity_of(linkworld.second)


def test_reopening_without_a_reason_shows_the_error_and_changes_nothing(
    linkworld: LinkWorld, sign_in: SignIn
) -> None:
    candidate_reject(
        actor=linkworld.officer, candidate=linkworld.pair, reason="Different mothers named"
    )
    response = sign_in(linkworld.officer).post(
        f"/linkage/review/{linkworld.pair.pk}/reopen/", {"reason": ""}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    linkworld.pair.refresh_from_db()
    assert linkworld.pair.status == PairStatus.REJECTED
    assert _count(Event.LINK_DECISION_REOPENED) == 0


@pytest.mark.parametrize("who", ["practitioner", "dsl", "ig"])
def test_roles_without_link_review_cannot_reopen_a_decision(
    linkworld: LinkWorld, sign_in: SignIn, who: str
) -> None:
    candidate_reject(
        actor=linkworld.officer, candidate=linkworld.pair, reason="Different mothers named"
    )
    response = sign_in(getattr(linkworld, who)).post(
        f"/linkage/review/{linkworld.pair.pk}/reopen/", {"reason": "This looks wrong to me"}
    )
    assert response.status_code == 404
    linkworld.pair.refresh_from_db()
    assert linkworld.pair.status == PairStatus.REJECTED
