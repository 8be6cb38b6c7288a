"""Cases: list, detail (with who is involved and who is allocated), create, change status; the
people involved (add, end) and the allocations (allocate, reallocate, end)."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import StrictBool

from safeshare.api.schemas.common import (
    AgencyRefOut,
    InputSchema,
    PersonRefOut,
    PractitionerRefOut,
)
from safeshare.cases.models import (
    AllocationEndReason,
    AllocationRole,
    Case,
    CaseAllocation,
    CaseStatus,
    Involvement,
    InvolvementEndReason,
    Relationship,
)


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
    """``end_reason``: why it ended, once it has (null while current)."""

    id: uuid.UUID
    practitioner: PractitionerRefOut
    role: AllocationRole
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: AllocationEndReason | None

    @staticmethod
    def resolve_end_reason(obj: CaseAllocation) -> str | None:
        return obj.end_reason or None


class InvolvementOut(Schema):
    """``end_reason``: why they are no longer involved, once they are not (null while current)."""

    id: uuid.UUID
    person: PersonRefOut
    relationship: Relationship
    has_parental_responsibility: bool
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: InvolvementEndReason | None

    @staticmethod
    def resolve_end_reason(obj: Involvement) -> str | None:
        return obj.end_reason or None


class InvolvementIn(InputSchema):
    """A person the caller may see, held by the case's agency, and their relationship."""

    person_id: uuid.UUID
    relationship: Relationship
    has_parental_responsibility: StrictBool = False


class InvolvementEndIn(InputSchema):
    reason: InvolvementEndReason


class AllocationIn(InputSchema):
    """An active practitioner of the case's agency whose role holds cases."""

    practitioner_id: uuid.UUID
    role: AllocationRole = AllocationRole.ALLOCATED_WORKER


class AllocationEndIn(InputSchema):
    reason: AllocationEndReason


class ReallocationIn(InputSchema):
    """Who takes over (in the same role), and why the current allocation ends."""

    practitioner_id: uuid.UUID
    reason: AllocationEndReason


class CaseOut(CaseSummaryOut):
    """A case as read through ``access_case``: current allocations and every involvement."""

    allocations: list[AllocationOut]
    involvements: list[InvolvementOut]

    @staticmethod
    def resolve_allocations(obj: Case) -> list[CaseAllocation]:
        # case_detail_queryset prefetches the current allocations under this name.
        current: list[CaseAllocation] = getattr(obj, "current_allocations", [])
        return current
