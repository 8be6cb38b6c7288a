"""The linkage API: MASH officers list, read and decide review pairs (403 for other roles, for any
pair id; a short reason is 422 and a decided pair 409, changing nothing); information
governance reads linkage status and model versions and chooses the version in use."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from safeshare.agencies.models import Practitioner
from safeshare.ledger.events import Event
from safeshare.linkage.models import IdentityLink, LinkageModel, PairStatus
from safeshare.linkage.services import candidate_reject
from tests.api.conftest import ApiCaller, ledger_count, not_found_body
from tests.web.test_linkage_review import REFUGE_LINES, REFUGE_POSTCODE, LinkWorld, linkworld

__all__ = ["linkworld"]

pytestmark = pytest.mark.django_db

CallAs = Callable[[Practitioner], ApiCaller]


def _base(world: LinkWorld) -> str:
    return f"/api/linkage/candidates/{world.pair.pk}"


def _same_identity(world: LinkWorld) -> bool:
    links = IdentityLink.objects.filter(person__in=[world.first, world.second])
    return len({link.identity_id for link in links}) == 1


# --- the queue ----------------------------------------------------------------------------------


def test_mash_officer_lists_pending_pairs_without_names(
    linkworld: LinkWorld, call_as: CallAs
) -> None:
    response = call_as(linkworld.officer).get("/api/linkage/candidates")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == str(linkworld.pair.pk)
    assert item["match_percent"] == "82.3%"
    assert item["agency_a"]["name"] == linkworld.first.agency.name
    assert item["decision"] is None
    assert "Fakeworth" not in response.content.decode()
    assert ledger_count(Event.LINK_REVIEW_QUEUE_VIEWED) == 1


def test_mash_officer_lists_rejected_pairs_with_the_decision(
    linkworld: LinkWorld, call_as: CallAs
) -> None:
    candidate_reject(
        actor=linkworld.officer, candidate=linkworld.pair, reason="Different mothers named"
    )
    caller = call_as(linkworld.officer)
    assert caller.get("/api/linkage/candidates").json()["count"] == 0
    body = caller.get("/api/linkage/candidates", status="rejected").json()
    assert body["items"][0]["decision"]["reason"] == "Different mothers named"
    assert caller.get("/api/linkage/candidates", status="decided").status_code == 422


@pytest.mark.parametrize("who", ["practitioner", "dsl", "ig"])
def test_roles_without_link_review_are_refused_the_queue(
    linkworld: LinkWorld, call_as: CallAs, who: str
) -> None:
    assert call_as(getattr(linkworld, who)).get("/api/linkage/candidates").status_code == 403


# --- a pair -------------------------------------------------------------------------------------


def test_mash_officer_reads_both_records_and_the_evidence(
    linkworld: LinkWorld, call_as: CallAs
) -> None:
    response = call_as(linkworld.officer).get(_base(linkworld))
    assert response.status_code == 200
    body = response.json()
    records = {
        body["record_a"]["person_id"]: body["record_a"],
        body["record_b"]["person_id"]: body["record_b"],
    }
    amelia = next(r for r in records.values() if r["given_name"] == "Amelia")
    millie = next(r for r in records.values() if r["given_name"] == "Millie")
    assert amelia["current_postcode"] == "ZZ1 4AB"
    assert amelia["nhs_number"] == "999 000 1234"
    assert amelia["other_names"] == ["Quibton"]
    assert amelia["date_of_birth"] == "9 March 2017"
    assert millie["current_postcode"] is None
    assert [e["evidence"] for e in body["evidence"]] == [
        "Strong evidence they are the same person",
        "Some evidence they are the same person",
        "Little evidence either way",
        "Some evidence they are different people",
        "Strong evidence they are different people",
    ]
    assert REFUGE_POSTCODE not in response.content.decode()
    assert REFUGE_LINES not in response.content.decode()
    assert ledger_count(Event.LINK_CANDIDATE_VIEWED) == 2


@pytest.mark.parametrize("who", ["practitioner", "dsl", "ig"])
def test_roles_without_link_review_get_the_same_403_for_a_pair_and_a_missing_one(
    linkworld: LinkWorld, call_as: CallAs, who: str
) -> None:
    caller = call_as(getattr(linkworld, who))
    forbidden = caller.get(_base(linkworld))
    missing = caller.get(f"/api/linkage/candidates/{uuid.uuid4()}")
    assert forbidden.status_code == missing.status_code == 403
    assert forbidden.json() == missing.json()
    for action in ("confirm", "reject"):
        posted = caller.post(f"{_base(linkworld)}/{action}", {"reason": "Checked with school"})
        assert posted.status_code == 403
    linkworld.pair.refresh_from_db()
    assert linkworld.pair.status == PairStatus.PENDING
    assert ledger_count(Event.LINK_CANDIDATE_VIEWED) == 0


def test_mash_officer_gets_404_for_a_missing_pair(linkworld: LinkWorld, call_as: CallAs) -> None:
    caller = call_as(linkworld.officer)
    missing = f"/api/linkage/candidates/{uuid.uuid4()}"
    assert caller.get(missing).json() == not_found_body()
    assert caller.get(missing).status_code == 404
    assert caller.post(f"{missing}/confirm", {"reason": "Checked with school"}).status_code == 404


def test_mash_officer_confirms_a_pair_and_the_identities_merge(
    linkworld: LinkWorld, call_as: CallAs
) -> None:
    assert not _same_identity(linkworld)
    response = call_as(linkworld.officer).post(
        f"{_base(linkworld)}/confirm", {"reason": "Same school and GP, checked"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["decision"]["decided_by"] == linkworld.officer.full_name
    assert _same_identity(linkworld)
    assert ledger_count(Event.LINK_CONFIRMED) == 2


def test_mash_officer_rejects_a_pair(linkworld: LinkWorld, call_as: CallAs) -> None:
    response = call_as(linkworld.officer).post(
        f"{_base(linkworld)}/reject", {"reason": "Different mothers named on the records"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert not _same_identity(linkworld)
    assert ledger_count(Event.LINK_REJECTED) == 2


@pytest.mark.parametrize("action", ["confirm", "reject"])
def test_a_short_reason_is_422_naming_reason_and_changes_nothing(
    linkworld: LinkWorld, call_as: CallAs, action: str
) -> None:
    response = call_as(linkworld.officer).post(f"{_base(linkworld)}/{action}", {"reason": "same"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Say why you decided this, in at least 10 characters",
        "field": "reason",
    }
    linkworld.pair.refresh_from_db()
    assert linkworld.pair.status == PairStatus.PENDING
    assert not _same_identity(linkworld)
    assert ledger_count(Event.LINK_CONFIRMED) + ledger_count(Event.LINK_REJECTED) == 0


def test_a_missing_or_unknown_field_is_422(linkworld: LinkWorld, call_as: CallAs) -> None:
    caller = call_as(linkworld.officer)
    assert caller.post(f"{_base(linkworld)}/confirm", {}).status_code == 422
    extra = {"reason": "Checked with the school", "force": True}
    assert caller.post(f"{_base(linkworld)}/confirm", extra).status_code == 422
    assert caller.post(f"{_base(linkworld)}/confirm", {"reason": 1234567890123}).status_code == 422
    linkworld.pair.refresh_from_db()
    assert linkworld.pair.status == PairStatus.PENDING


def test_deciding_an_already_decided_pair_is_409(linkworld: LinkWorld, call_as: CallAs) -> None:
    candidate_reject(
        actor=linkworld.officer, candidate=linkworld.pair, reason="Different mothers named"
    )
    response = call_as(linkworld.officer).post(
        f"{_base(linkworld)}/confirm", {"reason": "Actually the same child"}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "This pair has already been decided"
    linkworld.pair.refresh_from_db()
    assert linkworld.pair.status == PairStatus.REJECTED
    assert not _same_identity(linkworld)
    assert ledger_count(Event.LINK_CONFIRMED) == 0


# --- linkage status and model versions ----------------------------------------------------------


def test_information_governance_reads_status_and_models(
    linkworld: LinkWorld, call_as: CallAs
) -> None:
    caller = call_as(linkworld.ig)
    status = caller.get("/api/linkage/status")
    assert status.status_code == 200
    body = status.json()
    assert body["model"]["version"] == 1
    assert body["pending_reviews"] == 1
    assert body["identities"] == 2
    assert body["linked_records"] == 2
    models = caller.get("/api/linkage/models")
    assert models.status_code == 200
    assert [(m["version"], m["is_active"]) for m in models.json()] == [(1, True)]


def test_information_governance_activates_a_model_version(
    linkworld: LinkWorld, call_as: CallAs
) -> None:
    LinkageModel.objects.create(version=2, splink_model={}, weights={})
    response = call_as(linkworld.ig).post("/api/linkage/models/2/activate", {})
    assert response.status_code == 200
    assert response.json()["is_active"] is True
    assert LinkageModel.objects.get(is_active=True).version == 2
    assert ledger_count(Event.LINKAGE_MODEL_ACTIVATED) == 1


def test_activating_an_unknown_version_is_404(linkworld: LinkWorld, call_as: CallAs) -> None:
    response = call_as(linkworld.ig).post("/api/linkage/models/7/activate", {})
    assert response.status_code == 404
    assert response.json() == not_found_body()


@pytest.mark.parametrize("who", ["officer", "practitioner", "dsl"])
def test_roles_without_linkage_manage_are_refused_status_models_and_activation(
    linkworld: LinkWorld, call_as: CallAs, who: str
) -> None:
    caller = call_as(getattr(linkworld, who))
    assert caller.get("/api/linkage/status").status_code == 403
    assert caller.get("/api/linkage/models").status_code == 403
    assert caller.post("/api/linkage/models/1/activate", {}).status_code == 403
    assert ledger_count(Event.LINKAGE_MODEL_ACTIVATED) == 0


def test_mash_officer_reopens_a_decided_pair(linkworld: LinkWorld, call_as: CallAs) -> None:
    candidate_reject(
        actor=linkworld.officer, candidate=linkworld.pair, reason="Different mothers named"
    )
    response = call_as(linkworld.officer).post(
        f"{_base(linkworld)}/reopen", {"reason": "The police record named the wrong mother"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "pending"
    assert body["decision"] is None
    assert body["reopened_at"] is not None
    assert ledger_count(Event.LINK_DECISION_REOPENED) == 2


def test_reopening_a_pending_pair_is_refused_and_changes_nothing(
    linkworld: LinkWorld, call_as: CallAs
) -> None:
    response = call_as(linkworld.officer).post(
        f"{_base(linkworld)}/reopen", {"reason": "Reopening something not yet decided"}
    )
    assert response.status_code == 422
    assert "waiting for a decision already" in response.json()["detail"]
    assert ledger_count(Event.LINK_DECISION_REOPENED) == 0
