"""Linkage reads: the model in use, runs, the clerical review queue and a pair side by side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from safeshare.linkage.exceptions import NoActiveLinkageModel
from safeshare.linkage.models import (
    CandidatePair,
    Identity,
    IdentityLink,
    LinkageModel,
    LinkageRun,
    PairStatus,
)
from safeshare.people.models import Person


@dataclass(frozen=True)
class LinkageStatus:
    model: LinkageModel | None
    identities: int
    linked_records: int
    unlinked_records: int
    pending_reviews: int
    runs: list[LinkageRun]


def linkage_status(*, runs: int = 5) -> LinkageStatus:
    linked = IdentityLink.objects.count()
    return LinkageStatus(
        model=LinkageModel.objects.filter(is_active=True).first(),
        identities=Identity.objects.count(),
        linked_records=linked,
        unlinked_records=Person.objects.filter(is_unborn=False).count() - linked,
        pending_reviews=CandidatePair.objects.filter(status=PairStatus.PENDING).count(),
        runs=list(LinkageRun.objects.select_related("model")[:runs]),
    )


def linkage_model_in_use() -> LinkageModel:
    """The model version in use (identity search and linkage runs score with it)."""
    model = LinkageModel.objects.filter(is_active=True).first()
    if model is None:
        raise NoActiveLinkageModel(
            "No linkage model is in use: train one first (safeshare link --train)"
        )
    return model


def linkage_model_list() -> QuerySet[LinkageModel]:
    return LinkageModel.objects.select_related("trained_by").defer("splink_model", "weights")


def candidate_pair_list(*, status: str = PairStatus.PENDING) -> QuerySet[CandidatePair]:
    return (
        CandidatePair.objects.filter(status=status)
        .select_related("person_a__agency", "person_b__agency", "model", "decided_by__agency")
        .order_by("-match_probability", "queued_at")
    )


def candidate_pair_get(*, pk: Any) -> CandidatePair | None:
    return (
        CandidatePair.objects.select_related(
            "person_a__agency", "person_b__agency", "model", "decided_by__agency"
        )
        .prefetch_related("person_a__addresses", "person_b__addresses")
        .filter(pk=pk)
        .first()
    )


def identity_of(*, person: Person) -> Identity | None:
    link = IdentityLink.objects.select_related("identity").filter(person=person).first()
    return link.identity if link else None
