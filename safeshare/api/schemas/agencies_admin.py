"""Agency administration: a practitioner as their administrator sees them, and the changes an
administrator makes (remove a role, end a case allocation, deactivate, reactivate), each with a
reason code from a fixed list (it goes into the ledger entry) and an optional note (kept sealed).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from safeshare.access.administration import managed_allocations_of
from safeshare.agencies.models import (
    AdministrativeChange,
    DeactivationReason,
    Practitioner,
    PractitionerChangeReason,
    ReactivationReason,
    Role,
    RoleRemovalReason,
)
from safeshare.agencies.selectors import practitioner_changes
from safeshare.api.schemas.common import AgencyRefOut, InputSchema, PractitionerRefOut, Text1000
from safeshare.cases.models import AllocationEndReason, AllocationRole, CaseAllocation

NOTE = 'Anything else the record should say (required when the reason is "other"); kept sealed'


class HeldAllocationOut(Schema):
    """An open case allocation, as an administrator sees it: the case reference, never the
    child."""

    id: uuid.UUID
    case_id: uuid.UUID
    case_reference: str
    role: AllocationRole
    started_on: dt.date

    @staticmethod
    def resolve_case_reference(obj: CaseAllocation) -> str:
        return obj.case.reference


class PractitionerChangeOut(Schema):
    """A role removed, a deactivation or a reactivation: who, when, why."""

    id: uuid.UUID
    change: AdministrativeChange
    reason: str
    reason_label: str
    note: str
    roles: list[Role]
    changed_by: PractitionerRefOut
    changed_at: dt.datetime

    @staticmethod
    def resolve_changed_at(obj: PractitionerChangeReason) -> dt.datetime:
        return obj.created_at


class ManagedPractitionerOut(Schema):
    id: uuid.UUID
    username: str
    given_name: str
    family_name: str
    job_title: str
    email: str
    agency: AgencyRefOut
    is_active: bool
    roles: list[Role]
    open_allocations: list[HeldAllocationOut]
    changes: list[PractitionerChangeOut]

    @staticmethod
    def resolve_roles(obj: Practitioner) -> list[str]:
        return obj.role_codes()

    @staticmethod
    def resolve_open_allocations(obj: Practitioner, context: dict[str, Any]) -> list[Any]:
        return managed_allocations_of(context["request"].actor, obj)

    @staticmethod
    def resolve_changes(obj: Practitioner) -> list[Any]:
        return list(practitioner_changes(practitioner=obj))


class RoleRemovalIn(InputSchema):
    role: Role
    reason: RoleRemovalReason
    note: Text1000 = Field("", description=NOTE)


class AllocationEndByAdminIn(InputSchema):
    reason: AllocationEndReason


class DeactivationIn(InputSchema):
    reason: DeactivationReason
    note: Text1000 = Field("", description=NOTE)


class ReactivationIn(InputSchema):
    """``roles``: exactly the roles the practitioner comes back with (none unless given)."""

    reason: ReactivationReason
    note: Text1000 = Field("", description=NOTE)
    roles: list[Role] = Field(default_factory=list, max_length=len(Role))
