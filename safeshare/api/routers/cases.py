"""Cases: search and list, create, read, change status, and the items recorded in a case."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import access_case, access_person, record_case_list_read
from safeshare.access.scopes import cases_visible_to
from safeshare.api.auth import authorised, referenced
from safeshare.api.errors import responses
from safeshare.api.schemas.cases import (
    CaseCreateIn,
    CaseOut,
    CasePageOut,
    CaseStatusIn,
    CaseSummaryOut,
)
from safeshare.api.schemas.common import Text100
from safeshare.api.schemas.items import ItemIn, ItemOut, ItemSummaryOut
from safeshare.cases.models import Case, CaseStatus, InformationItem
from safeshare.cases.selectors import case_items, case_list
from safeshare.cases.services import case_create, case_set_status, item_create

router = Router(tags=["cases"])


class CaseFilters(Schema):
    q: Text100 = Field("", description="Case reference, or words of the child's name")
    status: CaseStatus | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


@router.get("/cases", response=responses(200, CasePageOut), summary="List or search cases")
@declares(Capability.CASE_LIST)
def case_list_get(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """Cases the caller may see (CASE_LIST; own agency, allocated unless agency-wide role).

    Each case on the returned page is recorded in the ledger as read (CASE_LISTED).
    """
    actor = authorised(request, Capability.CASE_LIST)
    cases = case_list(cases=cases_visible_to(actor), query=filters.q, status=filters.status or "")
    page = list(cases[filters.offset : filters.offset + filters.limit])
    record_case_list_read(actor=actor, cases=page)
    return {"count": cases.count(), "limit": filters.limit, "offset": filters.offset, "items": page}


@router.post("/cases", response=responses(201, CaseSummaryOut), summary="Open a case")
@declares(Capability.CASE_CREATE)
def case_create_post(request: HttpRequest, payload: CaseCreateIn) -> Status[Case]:
    """Open a case for a child the caller may see, allocated to the caller (CASE_CREATE).

    The child must be a person of the caller's agency whom the caller may see (PERSON_VIEW):
    otherwise 404 with ``field`` "subject_id", the same for a missing and a hidden person.
    """
    actor = authorised(request, Capability.CASE_CREATE)
    subject = referenced(
        "subject_id",
        lambda: access_person(actor, payload.subject_id, need=Capability.PERSON_VIEW),
    )
    case = case_create(
        actor=actor, agency=actor.agency, subject=subject, status=payload.status, allocate=actor
    )
    return Status(201, case)


@router.get("/cases/{case_id}", response=responses(200, CaseOut), summary="Read a case")
@declares(Capability.CASE_VIEW)
def case_get(request: HttpRequest, case_id: uuid.UUID) -> Case:
    """One case with its current allocations and involvements (CASE_VIEW; 404 if not visible)."""
    actor = authorised(request, Capability.CASE_VIEW)
    return access_case(actor, case_id, need=Capability.CASE_VIEW)


@router.post(
    "/cases/{case_id}/status", response=responses(200, CaseOut), summary="Change case status"
)
@declares(Capability.CASE_EDIT)
def case_status_post(request: HttpRequest, case_id: uuid.UUID, payload: CaseStatusIn) -> Case:
    """Move a case to another status, or close it (CASE_EDIT; 404 if not visible)."""
    actor = authorised(request, Capability.CASE_EDIT)
    case = access_case(actor, case_id, need=Capability.CASE_EDIT)
    return case_set_status(actor=actor, case=case, status=payload.status)


@router.get(
    "/cases/{case_id}/items",
    response=responses(200, list[ItemSummaryOut]),
    summary="List a case's items",
)
@declares(Capability.ITEM_VIEW)
def case_items_get(request: HttpRequest, case_id: uuid.UUID) -> QuerySet[InformationItem]:
    """The case's information items, newest event first: summaries only (ITEM_VIEW).

    Content and source come with ``GET /items/{item_id}``, which records that item's read.
    """
    actor = authorised(request, Capability.ITEM_VIEW)
    case = access_case(actor, case_id, need=Capability.ITEM_VIEW)
    return case_items(case=case)


@router.post("/cases/{case_id}/items", response=responses(201, ItemOut), summary="Record an item")
@declares(Capability.ITEM_CREATE)
def case_item_create_post(
    request: HttpRequest, case_id: uuid.UUID, payload: ItemIn
) -> Status[InformationItem]:
    """Record a piece of information in a case (ITEM_CREATE; 409 if the case is closed)."""
    actor = authorised(request, Capability.ITEM_CREATE)
    case = access_case(actor, case_id, need=Capability.ITEM_CREATE)
    about_id = payload.about_id
    about = (
        referenced("about_id", lambda: access_person(actor, about_id))
        if about_id is not None
        else None
    )
    item = item_create(
        actor=actor,
        case=case,
        about=about,
        category=payload.category,
        summary=payload.summary,
        content=payload.content,
        fact_or_opinion=payload.fact_or_opinion,
        source=payload.source,
        how_known=payload.how_known,
        event_date=payload.event_date,
        special_category=payload.special_category,
        criminal_offence_data=payload.criminal_offence_data,
        is_confidential=payload.is_confidential,
        third_party_protected=payload.third_party_protected,
    )
    return Status(201, item)
