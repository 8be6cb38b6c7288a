"""Cases: search and list, create, read, change status, the items recorded in a case, the people
involved in it (add, end) and who is allocated (allocate, reallocate, end)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from safeshare.access.capabilities import Capability
from safeshare.access.casework import (
    access_allocatable_practitioner,
    access_allocation,
    access_involvement,
)
from safeshare.access.decorators import declares
from safeshare.access.fetch import access_case, access_person, record_case_list_read
from safeshare.access.scopes import cases_visible_to
from safeshare.api.auth import authorised, referenced
from safeshare.api.errors import responses
from safeshare.api.schemas.cases import (
    AllocationEndIn,
    AllocationIn,
    AllocationOut,
    CaseCreateIn,
    CaseOut,
    CasePageOut,
    CaseStatusIn,
    CaseSummaryOut,
    InvolvementEndIn,
    InvolvementIn,
    InvolvementOut,
    ReallocationIn,
)
from safeshare.api.schemas.common import Text100
from safeshare.api.schemas.items import ItemIn, ItemOut, ItemSummaryOut
from safeshare.cases.models import Case, CaseAllocation, CaseStatus, InformationItem, Involvement
from safeshare.cases.selectors import case_items, case_list
from safeshare.cases.services import (
    allocation_add,
    allocation_end,
    case_create,
    case_reallocate,
    case_set_status,
    involvement_add,
    involvement_end,
    item_create,
)

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


# --- The people involved in a case ----------------------------------------------------------------


@router.post(
    "/cases/{case_id}/involvements",
    response=responses(201, InvolvementOut),
    summary="Add a person involved",
)
@declares(Capability.CASE_EDIT)
def case_involvement_create_post(
    request: HttpRequest, case_id: uuid.UUID, payload: InvolvementIn
) -> Status[Involvement]:
    """Record a person's part in a case: parent, sibling, partner, alleged perpetrator,
    informant... (CASE_EDIT on the case; 404 if not visible).

    The person must be one the caller may see (404 with ``field`` "person_id" otherwise, the
    same for a missing one), held by the case's agency, not the case's child, and not already
    recorded with that relationship (422).
    """
    actor = authorised(request, Capability.CASE_EDIT)
    case = access_case(actor, case_id, need=Capability.CASE_EDIT)
    person = referenced("person_id", lambda: access_person(actor, payload.person_id))
    involvement = involvement_add(
        actor=actor,
        case=case,
        person=person,
        relationship=payload.relationship,
        has_parental_responsibility=payload.has_parental_responsibility,
    )
    return Status(201, involvement)


@router.post(
    "/involvements/{involvement_id}/end",
    response=responses(200, InvolvementOut),
    summary="End someone's involvement",
)
@declares(Capability.CASE_EDIT)
def involvement_end_post(
    request: HttpRequest, involvement_id: uuid.UUID, payload: InvolvementEndIn
) -> Involvement:
    """Record that someone is no longer involved, from today, and why (CASE_EDIT on the case).

    404 if the case is not visible; 409 if the involvement has already ended.
    """
    actor = authorised(request, Capability.CASE_EDIT)
    involvement = access_involvement(actor, involvement_id, need=Capability.CASE_EDIT)
    return involvement_end(actor=actor, involvement=involvement, reason=payload.reason)


# --- Allocations -----------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/allocations",
    response=responses(201, AllocationOut),
    summary="Allocate a practitioner",
)
@declares(Capability.CASE_ALLOCATE)
def case_allocation_create_post(
    request: HttpRequest, case_id: uuid.UUID, payload: AllocationIn
) -> Status[CaseAllocation]:
    """Allocate a practitioner of the case's agency to the case (CASE_ALLOCATE: DSLs and
    managers; 404 if the case is not visible).

    The practitioner must be active, of the case's agency, with a role that holds cases: 404
    with ``field`` "practitioner_id" otherwise. Allocating someone already allocated returns
    their current allocation.
    """
    actor = authorised(request, Capability.CASE_ALLOCATE)
    case = access_case(actor, case_id, need=Capability.CASE_ALLOCATE)
    practitioner = referenced(
        "practitioner_id",
        lambda: access_allocatable_practitioner(actor, case, payload.practitioner_id),
    )
    allocation = allocation_add(
        actor=actor, case=case, practitioner=practitioner, role=payload.role
    )
    return Status(201, allocation)


@router.post(
    "/allocations/{allocation_id}/reallocate",
    response=responses(201, AllocationOut),
    summary="Reallocate the case",
)
@declares(Capability.CASE_ALLOCATE)
def allocation_reallocate_post(
    request: HttpRequest, allocation_id: uuid.UUID, payload: ReallocationIn
) -> Status[CaseAllocation]:
    """End this allocation today and allocate another practitioner in the same role, in one
    transaction, for ``reason`` (CASE_ALLOCATE). Returns the new allocation.

    404 if the case is not visible, or (``field`` "practitioner_id") the practitioner may not be
    allocated; 409 if the allocation has already ended; 422 for the same practitioner or one
    already allocated.
    """
    actor = authorised(request, Capability.CASE_ALLOCATE)
    allocation = access_allocation(actor, allocation_id, need=Capability.CASE_ALLOCATE)
    practitioner = referenced(
        "practitioner_id",
        lambda: access_allocatable_practitioner(actor, allocation.case, payload.practitioner_id),
    )
    successor = case_reallocate(
        actor=actor, allocation=allocation, practitioner=practitioner, reason=payload.reason
    )
    return Status(201, successor)


@router.post(
    "/allocations/{allocation_id}/end",
    response=responses(200, AllocationOut),
    summary="End an allocation",
)
@declares(Capability.CASE_ALLOCATE)
def allocation_end_post(
    request: HttpRequest, allocation_id: uuid.UUID, payload: AllocationEndIn
) -> CaseAllocation:
    """End a practitioner's allocation today, for ``reason`` (CASE_ALLOCATE). They lose sight of
    the case unless their role sees every case of the agency. 409 if it has already ended."""
    actor = authorised(request, Capability.CASE_ALLOCATE)
    allocation = access_allocation(actor, allocation_id, need=Capability.CASE_ALLOCATE)
    return allocation_end(actor=actor, allocation=allocation, reason=payload.reason)
