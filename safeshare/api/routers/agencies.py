"""Agencies and information sharing agreements (governance records every practitioner may read),
and agency administration: a practitioner as their administrator sees them, removing a role,
ending a case allocation, deactivating and reactivating, each with a reason."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from safeshare.access.administration import access_managed_allocation, access_managed_practitioner
from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import access_practitioner
from safeshare.access.policy import may_give_roles, may_remove_role
from safeshare.access.scopes import agencies_visible_to, agreements_visible_to
from safeshare.agencies.models import Agency, InformationSharingAgreement, Practitioner, Role
from safeshare.agencies.selectors import agency_list, agreement_list
from safeshare.agencies.services import (
    practitioner_deactivate,
    practitioner_reactivate,
    role_revoke,
)
from safeshare.api.auth import authorised
from safeshare.api.errors import responses
from safeshare.api.schemas.agencies import AgencyOut, AgreementOut
from safeshare.api.schemas.agencies_admin import (
    AllocationEndByAdminIn,
    DeactivationIn,
    ManagedPractitionerOut,
    ReactivationIn,
    RoleRemovalIn,
)
from safeshare.cases.services import allocation_end
from safeshare.core.exceptions import PermissionDenied

router = Router(tags=["agencies"])


@router.get("/agencies", response=responses(200, list[AgencyOut]), summary="List agencies")
@declares(Capability.AGENCY_VIEW)
def agency_list_get(request: HttpRequest) -> QuerySet[Agency]:
    """The directory of agencies (AGENCY_VIEW: every active practitioner)."""
    actor = authorised(request, Capability.AGENCY_VIEW)
    return agency_list(agencies=agencies_visible_to(actor))


@router.get("/agreements", response=responses(200, list[AgreementOut]), summary="List agreements")
@declares(Capability.AGREEMENT_VIEW)
def agreement_list_get(request: HttpRequest) -> QuerySet[InformationSharingAgreement]:
    """Information sharing agreements, with parties and signatures (AGREEMENT_VIEW)."""
    actor = authorised(request, Capability.AGREEMENT_VIEW)
    return agreement_list(agreements=agreements_visible_to(actor))


# --- Agency administration -----------------------------------------------------------------------

# Who may: agency administrators, for their own agency's practitioners; system administrators,
# for anyone's. Another agency's practitioner answers 404, exactly as one that does not exist.


@router.get(
    "/practitioners/{practitioner_id}",
    response=responses(200, ManagedPractitionerOut),
    summary="A practitioner, as their administrator sees them",
)
@declares(Capability.PRACTITIONER_VIEW)
def practitioner_get(request: HttpRequest, practitioner_id: uuid.UUID) -> Practitioner:
    """Roles, status, open case allocations (the case reference only, never the child) and the
    changes administrators have made, with their reasons (PRACTITIONER_VIEW: agency
    administrators for their own agency, system administrators for any; 404 otherwise)."""
    actor = authorised(request, Capability.PRACTITIONER_VIEW)
    return access_practitioner(actor, practitioner_id)


@router.post(
    "/practitioners/{practitioner_id}/role-removals",
    response=responses(200, ManagedPractitionerOut),
    summary="Remove a role from a practitioner",
)
@declares(Capability.PRACTITIONER_MANAGE)
def role_removal_post(
    request: HttpRequest, practitioner_id: uuid.UUID, payload: RoleRemovalIn
) -> Practitioner:
    """Take one role away, for a reason (PRACTITIONER_MANAGE: agency administrators for their own
    agency, system administrators for any; 404 otherwise). 403 for a role the caller could not
    give (an agency administrator and the system administrator
    role); 409 for a role the practitioner does not hold; 422 for the agency administrator role
    of the agency's last active agency administrator, or "other" without a note."""
    actor = authorised(request, Capability.PRACTITIONER_MANAGE)
    with transaction.atomic():
        practitioner = access_managed_practitioner(actor, practitioner_id)
        role = Role(payload.role)
        if not may_remove_role(actor, practitioner, role):
            raise PermissionDenied("You cannot remove that role", field="role")
        role_revoke(
            actor=actor,
            practitioner=practitioner,
            role=role,
            reason=payload.reason,
            note=payload.note,
        )
        return practitioner


@router.post(
    "/practitioners/{practitioner_id}/allocations/{allocation_id}/end",
    response=responses(200, ManagedPractitionerOut),
    summary="End a practitioner's case allocation",
)
@declares(Capability.PRACTITIONER_MANAGE)
def allocation_end_by_admin_post(
    request: HttpRequest,
    practitioner_id: uuid.UUID,
    allocation_id: uuid.UUID,
    payload: AllocationEndByAdminIn,
) -> Practitioner:
    """End one of the practitioner's open case allocations today, for a reason (an allocation
    end reason: it goes into the ledger entry with the child and the case as its subject).
    They lose their legitimate relationship to the case (PRACTITIONER_MANAGE: agency
    administrators for their own agency, system administrators for any; 404 otherwise, and for
    an allocation that is not theirs or has already ended)."""
    actor = authorised(request, Capability.PRACTITIONER_MANAGE)
    with transaction.atomic():
        practitioner = access_managed_practitioner(actor, practitioner_id)
        allocation = access_managed_allocation(actor, practitioner, allocation_id)
        allocation_end(actor=actor, allocation=allocation, reason=payload.reason)
        return practitioner


@router.post(
    "/practitioners/{practitioner_id}/deactivation",
    response=responses(200, ManagedPractitionerOut),
    summary="Deactivate a practitioner",
)
@declares(Capability.PRACTITIONER_MANAGE)
def deactivation_post(
    request: HttpRequest, practitioner_id: uuid.UUID, payload: DeactivationIn
) -> Practitioner:
    """Deactivate, for a reason: every role is taken away, every API token revoked and every web
    session ended at once; work they hold goes to their team's inbox (PRACTITIONER_MANAGE: agency
    administrators for their own agency, system administrators for any; 404 otherwise). 422 for
    the caller's own account, the agency's last active agency
    administrator, or "other" without a note; 409 if already deactivated."""
    actor = authorised(request, Capability.PRACTITIONER_MANAGE)
    with transaction.atomic():
        practitioner = access_managed_practitioner(actor, practitioner_id)
        return practitioner_deactivate(
            actor=actor, practitioner=practitioner, reason=payload.reason, note=payload.note
        )


@router.post(
    "/practitioners/{practitioner_id}/reactivation",
    response=responses(200, ManagedPractitionerOut),
    summary="Reactivate a practitioner",
)
@declares(Capability.PRACTITIONER_MANAGE)
def reactivation_post(
    request: HttpRequest, practitioner_id: uuid.UUID, payload: ReactivationIn
) -> Practitioner:
    """Let a deactivated practitioner sign in again, for a reason, with exactly the ``roles``
    given (none unless given: nothing they held before comes back on its own). API tokens stay
    revoked (PRACTITIONER_MANAGE: agency administrators for their own agency, system
    administrators for any; 404 otherwise). 403 for a role the caller could not give; 409 if
    already active; 422 for "other" without a note or an agency no longer active."""
    actor = authorised(request, Capability.PRACTITIONER_MANAGE)
    with transaction.atomic():
        practitioner = access_managed_practitioner(actor, practitioner_id)
        roles = [Role(role) for role in payload.roles]
        if not may_give_roles(actor, practitioner, roles):
            raise PermissionDenied("You cannot give that role", field="roles")
        return practitioner_reactivate(
            actor=actor,
            practitioner=practitioner,
            reason=payload.reason,
            note=payload.note,
            roles=roles,
        )
