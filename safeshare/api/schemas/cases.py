"""Cases: list, detail (with who is involved and who is allocated), create, change status."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema

from safeshare.api.schemas.common import (
    AgencyRefOut,
    InputSchema,
    PersonRefOut,
    PractitionerRefOut,
)
from safeshare.cases.models import AllocationRole, Case, CaseAllocation, CaseStatus, Relationship


class CaseCreateIn(InputSchema):
    subject_id: uuid.UUID
    status: CaseStatus


class CaseStatusIn(InputSchema):
    status: CaseStatus


class CaseSummaryOut(Schema):
    id: uuid.UUID
    reference: str
    status: CaseStatus
    opened_on: dt.date
    closed_on: dt.date | None
    agency: AgencyRefOut
    subject: PersonRefOut


class CasePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[CaseSummaryOut]


class AllocationOut(Schema):
    id: uuid.UUID
    practitioner: PractitionerRefOut
    role: AllocationRole
    started_on: dt.date
    ended_on: dt.date | None


class InvolvementOut(Schema):
    id: uuid.UUID
    person: PersonRefOut
    relationship: Relationship
    has_parental_responsibility: bool
    started_on: dt.date
    ended_on: dt.date | None


class CaseOut(CaseSummaryOut):
    """A case as read through ``access_case``: current allocations and every involvement."""

    allocations: list[AllocationOut]
    involvements: list[InvolvementOut]

    @staticmethod
    def resolve_allocations(obj: Case) -> list[CaseAllocation]:
        # case_detail_queryset prefetches the current allocations under this name.
        current: list[CaseAllocation] = getattr(obj, "current_allocations", [])
        return current
