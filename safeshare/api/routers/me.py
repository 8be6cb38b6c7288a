"""``GET /me``: who the API thinks the caller is, and what they may do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.policy import capabilities_of
from safeshare.api.auth import authorised
from safeshare.api.errors import responses
from safeshare.api.schemas.me import MeOut

router = Router(tags=["me"])


@router.get("/me", response=responses(200, MeOut), summary="The signed-in practitioner")
@declares(Capability.SIGNED_IN)
def me_get(request: HttpRequest) -> dict[str, Any]:
    """The caller, their agency, roles and capabilities. Any signed-in practitioner."""
    actor = authorised(request, Capability.SIGNED_IN)
    return {
        "practitioner": actor,
        "agency": actor.agency,
        "roles": actor.role_codes(),
        "capabilities": sorted(capabilities_of(actor)),
    }
