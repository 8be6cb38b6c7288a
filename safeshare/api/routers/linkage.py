"""Identity linkage: the clerical review queue (MASH officers, LINK_REVIEW) and linkage status
and model versions (information governance and system administrators, LINKAGE_MANAGE).

The queue lists match probabilities and holding agencies, never names. A pair shows both
agencies' identifying details side by side (never a protected address) with the model's evidence
in plain words. A caller without the capability gets 403 for any pair id, missing or not, so
nothing says which pairs exist. Every read of a pair is recorded for both people
(LINK_CANDIDATE_VIEWED), every look at the queue (LINK_REVIEW_QUEUE_VIEWED), and every decision
(LINK_CONFIRMED, LINK_REJECTED).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import (
    access_candidate_pair,
    access_linkage_model,
    record_review_queue_read,
)
from safeshare.agencies.models import Practitioner
from safeshare.api.auth import authorised
from safeshare.api.errors import responses
from safeshare.api.schemas.common import AgencyRefOut, InputSchema, Text1000
from safeshare.linkage.explain import evidence_rows, probability_percent, shown_postcode
from safeshare.linkage.models import CandidatePair, LinkageModel, LinkageRun
from safeshare.linkage.selectors import candidate_pair_list, linkage_model_list, linkage_status
from safeshare.linkage.services import (
    candidate_confirm,
    candidate_reject,
    candidate_reopen,
    linkage_model_activate,
)
from safeshare.people.models import Person

router = Router(tags=["linkage"])


# --- Schemas -------------------------------------------------------------------------------------


class LinkCandidateFilters(Schema):
    status: Literal["pending", "confirmed", "rejected"] = Field(
        "pending", description="Waiting for review, or decided as the same or different people"
    )
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


class LinkDecisionIn(InputSchema):
    reason: Text1000 = Field(
        description="Why: what was checked and with whom (at least 10 characters)"
    )


class LinkDecisionOut(Schema):
    decided_by: str
    decided_by_agency: str
    decided_at: dt.datetime
    reason: str


class LinkCandidateOut(Schema):
    """A pair in the queue: no names, only the probability and the two holding agencies."""

    id: uuid.UUID
    status: Literal["pending", "confirmed", "rejected"]
    status_label: str
    match_probability: float
    match_percent: str = Field(description="The probability for people, rounded down")
    match_weight: float
    agency_a: AgencyRefOut
    agency_b: AgencyRefOut
    model_version: int
    queued_at: dt.datetime
    decision: LinkDecisionOut | None
    reopened_at: dt.datetime | None = Field(
        default=None, description="When a decision on the pair was last reopened"
    )


class LinkCandidatePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[LinkCandidateOut]


class LinkRecordOut(Schema):
    """One agency's record of the person, as the reviewer sees it."""

    person_id: uuid.UUID
    agency: AgencyRefOut
    given_name: str
    family_name: str
    other_names: list[str]
    date_of_birth: str = Field(description="In words, with its precision (e.g. '(year only)')")
    sex: str
    current_postcode: str | None = Field(
        description="Of the current address; null when none, or when it is protected"
    )
    nhs_number: str = Field(description="Formatted 3 3 4; empty when not recorded")


class LinkEvidenceOut(Schema):
    comparison: str
    level: str = Field(description="What the records show, e.g. 'Exact match'")
    weight: float = Field(description="Match weight: log2 of the likelihood ratio")
    evidence: str = Field(description="The weight in plain words")
    direction: Literal["for", "neutral", "against"]


class LinkCandidateDetailOut(LinkCandidateOut):
    record_a: LinkRecordOut
    record_b: LinkRecordOut
    evidence: list[LinkEvidenceOut]


class LinkModelOut(Schema):
    version: int
    is_active: bool
    auto_link_probability: float
    review_probability: float
    trained_at: dt.datetime
    trained_on_records: int
    trained_by: str | None
    notes: str


class LinkRunOut(Schema):
    kind: Literal["full", "incremental"]
    model_version: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    records: int
    pairs_scored: int
    links_made: int
    sent_to_review: int
    identities: int


class LinkStatusOut(Schema):
    model: LinkModelOut | None
    identities: int
    linked_records: int
    unlinked_records: int
    pending_reviews: int
    runs: list[LinkRunOut]


# --- Shaping -------------------------------------------------------------------------------------


def _agency(person: Person) -> dict[str, Any]:
    return {"id": person.agency.pk, "name": person.agency.name}


def _candidate_out(pair: CandidatePair) -> dict[str, Any]:
    decision = None
    if pair.decided_by is not None and pair.decided_at is not None:
        decision = {
            "decided_by": pair.decided_by.full_name,
            "decided_by_agency": pair.decided_by.agency.name,
            "decided_at": pair.decided_at,
            "reason": pair.reason,
        }
    return {
        "id": pair.pk,
        "status": pair.status,
        "status_label": pair.get_status_display(),
        "match_probability": pair.match_probability,
        "match_percent": probability_percent(pair.match_probability),
        "match_weight": pair.match_weight,
        "agency_a": _agency(pair.person_a),
        "agency_b": _agency(pair.person_b),
        "model_version": pair.model.version,
        "queued_at": pair.queued_at,
        "decision": decision,
        "reopened_at": pair.reopened_at,
    }


def _record_out(person: Person) -> dict[str, Any]:
    return {
        "person_id": person.pk,
        "agency": _agency(person),
        "given_name": person.given_name,
        "family_name": person.family_name,
        "other_names": [str(name) for name in person.other_names.all()],
        "date_of_birth": person.date_of_birth_display,
        "sex": person.get_sex_display(),
        "current_postcode": shown_postcode(person.addresses.all()),
        "nhs_number": person.nhs_number_display,
    }


def _detail_out(pair: CandidatePair) -> dict[str, Any]:
    return {
        **_candidate_out(pair),
        "record_a": _record_out(pair.person_a),
        "record_b": _record_out(pair.person_b),
        "evidence": [
            {
                "comparison": row.comparison,
                "level": row.level,
                "weight": row.weight,
                "evidence": row.words,
                "direction": row.direction,
            }
            for row in evidence_rows(pair.comparisons)
        ],
    }


def _model_out(model: LinkageModel) -> dict[str, Any]:
    return {
        "version": model.version,
        "is_active": model.is_active,
        "auto_link_probability": model.auto_link_probability,
        "review_probability": model.review_probability,
        "trained_at": model.trained_at,
        "trained_on_records": model.trained_on_records,
        "trained_by": model.trained_by.full_name if model.trained_by else None,
        "notes": model.notes,
    }


def _run_out(run: LinkageRun) -> dict[str, Any]:
    return {
        "kind": run.kind,
        "model_version": run.model.version,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "records": run.records,
        "pairs_scored": run.pairs_scored,
        "links_made": run.links_made,
        "sent_to_review": run.sent_to_review,
        "identities": run.identities,
    }


# --- The clerical review queue -------------------------------------------------------------------


@router.get(
    "/linkage/candidates",
    response=responses(200, LinkCandidatePageOut),
    summary="The clerical review queue",
)
@declares(Capability.LINK_REVIEW)
def candidate_list_get(
    request: HttpRequest, filters: Query[LinkCandidateFilters]
) -> dict[str, Any]:
    """Pairs of records the linkage model is unsure of, most likely first: match probability, the
    two holding agencies, when queued, and the decision once made; no names (LINK_REVIEW: MASH
    officers). ``status`` picks pending (default), confirmed or rejected pairs. Recorded
    (LINK_REVIEW_QUEUE_VIEWED)."""
    actor = authorised(request, Capability.LINK_REVIEW)
    pairs = candidate_pair_list(status=filters.status)
    shown = list(pairs[filters.offset : filters.offset + filters.limit])
    record_review_queue_read(actor=actor, shown=len(shown))
    return {
        "count": pairs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_candidate_out(pair) for pair in shown],
    }


@router.get(
    "/linkage/candidates/{pair_id}",
    response=responses(200, LinkCandidateDetailOut),
    summary="A possible match, side by side",
)
@declares(Capability.LINK_REVIEW)
def candidate_get(request: HttpRequest, pair_id: uuid.UUID) -> dict[str, Any]:
    """Both agencies' identifying details (names, other names, date of birth, sex, current
    postcode unless the address is protected, NHS number) and the model's evidence, each
    comparison's weight in plain words (LINK_REVIEW; 404 for a missing pair). Recorded for both
    people (LINK_CANDIDATE_VIEWED)."""
    actor = authorised(request, Capability.LINK_REVIEW)
    return _detail_out(access_candidate_pair(actor, pair_id))


def _decide(
    actor: Practitioner,
    pair_id: uuid.UUID,
    payload: LinkDecisionIn,
    decide: Callable[..., CandidatePair],
) -> dict[str, Any]:
    pair = access_candidate_pair(actor, pair_id)
    return _candidate_out(decide(actor=actor, candidate=pair, reason=payload.reason))


@router.post(
    "/linkage/candidates/{pair_id}/confirm",
    response=responses(200, LinkCandidateOut),
    summary="Confirm two records are the same person",
)
@declares(Capability.LINK_REVIEW)
def candidate_confirm_post(
    request: HttpRequest, pair_id: uuid.UUID, payload: LinkDecisionIn
) -> dict[str, Any]:
    """The two records are the same person: their identities become one, and later linkage runs
    keep them together whatever the model says (LINK_REVIEW; 404 for a missing pair). A reason
    under 10 characters is 422 naming ``reason``; a pair already decided is 409. Nothing changes
    on an error. Recorded for both people (LINK_CONFIRMED)."""
    actor = authorised(request, Capability.LINK_REVIEW)
    return _decide(actor, pair_id, payload, candidate_confirm)


@router.post(
    "/linkage/candidates/{pair_id}/reject",
    response=responses(200, LinkCandidateOut),
    summary="Decide two records are different people",
)
@declares(Capability.LINK_REVIEW)
def candidate_reject_post(
    request: HttpRequest, pair_id: uuid.UUID, payload: LinkDecisionIn
) -> dict[str, Any]:
    """The two records are different people: they are kept apart from now on, whatever the model
    says (LINK_REVIEW; 404 for a missing pair). A reason under 10 characters is 422 naming
    ``reason``; a pair already decided is 409. Recorded for both people (LINK_REJECTED)."""
    actor = authorised(request, Capability.LINK_REVIEW)
    return _decide(actor, pair_id, payload, candidate_reject)


@router.post(
    "/linkage/candidates/{pair_id}/reopen",
    response=responses(200, LinkCandidateOut),
    summary="Reopen a decision on a pair",
)
@declares(Capability.LINK_REVIEW)
def candidate_reopen_post(
    request: HttpRequest, pair_id: uuid.UUID, payload: LinkDecisionIn
) -> dict[str, Any]:
    """Put a decided pair back in the queue because the decision was wrong: the identities stay
    as the decision left them until it is decided again, and the earlier decision stays in the
    ledger (LINK_REVIEW; 404 for a missing pair). A reason under 10 characters is 422 naming
    ``reason``; a pair still waiting is 422. Recorded for both people (LINK_DECISION_REOPENED)."""
    actor = authorised(request, Capability.LINK_REVIEW)
    return _decide(actor, pair_id, payload, candidate_reopen)


# --- Linkage status and model versions -----------------------------------------------------------


@router.get(
    "/linkage/status",
    response=responses(200, LinkStatusOut),
    summary="Linkage status",
)
@declares(Capability.LINKAGE_MANAGE)
def linkage_status_get(request: HttpRequest) -> dict[str, Any]:
    """The model in use, counts of identities, linked and unlinked records and pairs waiting for
    review, and the recent linkage runs; counts only, no personal data (LINKAGE_MANAGE:
    information governance and system administrators)."""
    authorised(request, Capability.LINKAGE_MANAGE)
    status = linkage_status()
    return {
        "model": _model_out(status.model) if status.model else None,
        "identities": status.identities,
        "linked_records": status.linked_records,
        "unlinked_records": status.unlinked_records,
        "pending_reviews": status.pending_reviews,
        "runs": [_run_out(run) for run in status.runs],
    }


@router.get(
    "/linkage/models",
    response=responses(200, list[LinkModelOut]),
    summary="Linkage model versions",
)
@declares(Capability.LINKAGE_MANAGE)
def linkage_model_list_get(request: HttpRequest) -> list[dict[str, Any]]:
    """Every trained model version, newest first, with its thresholds and which one is in use
    (LINKAGE_MANAGE)."""
    authorised(request, Capability.LINKAGE_MANAGE)
    return [_model_out(model) for model in linkage_model_list()]


@router.post(
    "/linkage/models/{version}/activate",
    response=responses(200, LinkModelOut),
    summary="Use a linkage model version",
)
@declares(Capability.LINKAGE_MANAGE)
def linkage_model_activate_post(request: HttpRequest, version: int) -> dict[str, Any]:
    """Make this model version the one in use, for identity search and later linkage runs; the
    version in use before stops being used (LINKAGE_MANAGE; 404 for an unknown version).
    Recorded (LINKAGE_MODEL_ACTIVATED)."""
    actor = authorised(request, Capability.LINKAGE_MANAGE)
    model = access_linkage_model(actor, version)
    return _model_out(linkage_model_activate(actor=actor, model=model))
