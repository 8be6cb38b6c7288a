"""Identity search across agencies, and the pointer index of a child.

What a search result shows is decided by ``safeshare.access.fetch.access_identity_search``: the
match probability and reasons to everyone who may search; the caller's own agency's records of
the identity; the best match's identifying details to MASH officers only. The pointer index names
agencies, never records or their content, and answers 404 without a legitimate relationship.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StrictInt

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import (
    SearchResult,
    access_identity_search,
    access_pointer_index,
    access_pointer_to_dispute,
)
from safeshare.api.auth import authorised
from safeshare.api.errors import responses
from safeshare.api.schemas.common import InputSchema, IsoDate, Text12, Text100, Text1000
from safeshare.disclosures.models import RequestKind
from safeshare.linkage.search import request_prefill
from safeshare.linkage.services import pointer_match_dispute
from safeshare.people.services import clean_nhs_number

router = Router(tags=["identities"])


class IdentitySearchIn(InputSchema):
    """Any of NHS number, names, date of birth and postcode: an NHS number, or a name with a
    date of birth or a postcode, is needed (else 422). Never put these in a URL."""

    nhs_number: Text12 = ""
    given_name: Text100 = ""
    family_name: Text100 = ""
    date_of_birth: IsoDate | None = None
    postcode: Text12 = ""
    limit: StrictInt = Field(10, ge=1, le=50)


class ReasonOut(Schema):
    comparison: str = Field(description="What was compared, e.g. 'Date of birth'")
    level: str = Field(description="How it compared, e.g. 'Day and month swapped'")
    weight: float = Field(description="Its match weight: above 0 for, below 0 against a match")


class OwnRecordOut(Schema):
    id: uuid.UUID
    display_name: str
    may_view: bool = Field(description="Whether GET /api/people/{id} will show it to the caller")


class MatchDetailsOut(Schema):
    name: str
    date_of_birth: str
    sex: str
    postcode_district: str
    agency_name: str


class IdentityResultOut(Schema):
    match_probability: float
    reasons: list[ReasonOut]
    own_records: list[OwnRecordOut] = Field(description="Held by the caller's agency")
    details: MatchDetailsOut | None = Field(description="The best match: MASH officers only")


class IdentitySearchOut(Schema):
    count: int
    results: list[IdentityResultOut]


def _result(result: SearchResult) -> dict[str, Any]:
    return {
        "match_probability": result.match_probability,
        "reasons": [r._asdict() for r in result.reasons],
        "own_records": [
            {"id": r.person.pk, "display_name": r.person.display_name, "may_view": r.may_view}
            for r in result.own_records
        ],
        "details": result.details,
    }


@router.post(
    "/identities/search",
    response=responses(200, IdentitySearchOut),
    summary="Search identities across agencies",
)
@declares(Capability.IDENTITY_SEARCH)
def identity_search_post(request: HttpRequest, payload: IdentitySearchIn) -> dict[str, Any]:
    """Ranked identities matching the query, most likely first (IDENTITY_SEARCH), each with its
    match probability and the reasons in words. 422 naming the field for a bad NHS number or too
    little to search on; 409 when no linkage model is in use. The search is recorded (the
    identities found, never the query)."""
    actor = authorised(request, Capability.IDENTITY_SEARCH)
    results = access_identity_search(
        actor,
        nhs_number=clean_nhs_number(payload.nhs_number),
        given_name=payload.given_name,
        family_name=payload.family_name,
        date_of_birth=payload.date_of_birth,
        postcode=payload.postcode,
        limit=payload.limit,
    )
    return {"count": len(results), "results": [_result(r) for r in results]}


class RequestBodyOut(Schema):
    """A body for POST /api/requests: add purpose, urgency, information_sought and
    justification."""

    receiving_agency_id: uuid.UUID
    kind: RequestKind
    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: str
    postcode: str


class AskOut(Schema):
    method: str = "POST"
    path: str = "/api/requests"
    body: RequestBodyOut


class PointerOut(Schema):
    agency_id: uuid.UUID
    agency_name: str
    agency_type: str
    holds_record: bool = True
    ask: AskOut = Field(description="How to ask this agency: the request, prefilled")


class PointerIndexOut(Schema):
    person_id: uuid.UUID
    agencies: list[PointerOut]


@router.get(
    "/people/{person_id}/pointers",
    response=responses(200, PointerIndexOut),
    summary="Which other agencies hold a record of the child",
)
@declares(Capability.POINTER_VIEW)
def person_pointers_get(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    """The other agencies holding a record linked to the same child as this record of the
    caller's agency (POINTER_VIEW): agency and that a record exists, never its content. Only
    with a legitimate relationship (an open case the caller may see whose child is linked to
    the same identity): otherwise 404, as for a missing person. Recorded in the ledger. Each
    pointer carries the body to POST to /api/requests to ask that agency."""
    actor = authorised(request, Capability.POINTER_VIEW)
    person, agencies = access_pointer_index(actor, person_id)
    pointers = []
    for agency in agencies:
        prefill = request_prefill(person=person, agency=agency)
        pointers.append(
            {
                "agency_id": agency.pk,
                "agency_name": agency.name,
                "agency_type": agency.agency_type,
                "ask": {
                    "body": {
                        "receiving_agency_id": agency.pk,
                        "kind": RequestKind.REQUEST,
                        **prefill.child(),
                    }
                },
            }
        )
    return {"person_id": person.pk, "agencies": pointers}


class PointerDisputeIn(InputSchema):
    reason: Text1000 = Field(
        description="Why the linked record may be a different child (at least 10 characters)"
    )


class PointerDisputeOut(Schema):
    pairs_sent_for_review: int


@router.post(
    "/people/{person_id}/pointers/{agency_id}/dispute",
    response=responses(200, PointerDisputeOut),
    summary="Say another agency's linked record may be a different child",
)
@declares(Capability.POINTER_VIEW)
def person_pointer_dispute_post(
    request: HttpRequest, person_id: uuid.UUID, agency_id: uuid.UUID, payload: PointerDisputeIn
) -> dict[str, Any]:
    """The pair of this record and the agency's linked record goes (back) to the MASH's clerical
    review queue with the reason; nothing is unlinked until a reviewer decides (POINTER_VIEW and
    a legitimate relationship, as for the pointer index; 404 otherwise, or for an agency the
    index does not list). A reason under 10 characters is 422 naming ``reason``. Recorded
    (POINTER_MATCH_DISPUTED)."""
    actor = authorised(request, Capability.POINTER_VIEW)
    person, agency = access_pointer_to_dispute(actor, person_id, agency_id)
    pairs = pointer_match_dispute(actor=actor, person=person, agency=agency, reason=payload.reason)
    return {"pairs_sent_for_review": len(pairs)}
