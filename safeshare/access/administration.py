"""``access_*`` for agency administration: the practitioners an administrator manages and the
open case allocations of those practitioners.

The same ``NotFound`` for a record that is missing, a malformed id, another agency's practitioner
or allocation, and an allocation that has already ended; one query through the row rule. An
allocation is fetched with its case row only (its reference), never the child: an administrator
manages who has access to casework, not the casework itself, so no read of a child's record is
recorded here. Ending the allocation is recorded by ``cases.services.allocation_end`` with the
child and the case as its subject.
"""

from __future__ import annotations

from typing import Any

from safeshare.access import rules, scopes
from safeshare.access.capabilities import Capability, has_capability
from safeshare.access.fetch import _parse_id, access_practitioner
from safeshare.agencies.models import Practitioner
from safeshare.cases.models import CaseAllocation
from safeshare.core.exceptions import NotFound


def access_managed_practitioner(actor: Practitioner, practitioner_id: Any) -> Practitioner:
    """A practitioner ``actor`` may manage (PRACTITIONER_MANAGE: their own agency's for an
    agency administrator, anyone's for a system administrator)."""
    return access_practitioner(actor, practitioner_id, need=Capability.PRACTITIONER_MANAGE)


def access_managed_allocation(
    actor: Practitioner, practitioner: Practitioner, allocation_id: Any
) -> CaseAllocation:
    """An open allocation of ``practitioner`` (already fetched through
    ``access_managed_practitioner``) that ``actor`` may end."""
    pk = _parse_id(allocation_id)
    if not has_capability(actor, Capability.PRACTITIONER_MANAGE):
        raise NotFound()
    found = next(
        iter(
            CaseAllocation.objects.select_related("case")
            .filter(rules.managed_allocation_rule(actor), pk=pk, practitioner_id=practitioner.pk)
            .order_by()[:1]
        ),
        None,
    )
    if found is None:
        raise NotFound()
    return found


def managed_allocations_of(actor: Practitioner, practitioner: Practitioner) -> list[CaseAllocation]:
    """``practitioner``'s open allocations that ``actor`` may end, oldest first, each with its
    case row (for the reference)."""
    return list(
        scopes.allocations_managed_by(actor)
        .filter(practitioner_id=practitioner.pk)
        .select_related("case")
        .order_by("started_on", "case__reference", "pk")
    )
