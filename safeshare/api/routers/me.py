"""``GET /me``: who the API thinks the caller is, and what they may do; ``/me/email-preferences``:
which work-arrived notices are e-mailed to them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.policy import capabilities_of
from safeshare.api.auth import authorised
from safeshare.api.errors import responses
from safeshare.api.schemas.me import EmailPreferencesIn, EmailPreferencesOut, MeOut
from safeshare.workday.models import ALWAYS_EMAILED, NoticeKind
from safeshare.workday.services import email_preferences_set, emailed_kinds

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


def _preferences(emailed: list[str]) -> dict[str, list[str]]:
    return {
        "emailed": emailed,
        "always": sorted(str(kind) for kind in ALWAYS_EMAILED),
        "available": list(NoticeKind.values),
    }


@router.get(
    "/me/email-preferences",
    response=responses(200, EmailPreferencesOut),
    summary="Which notices are e-mailed to you",
)
@declares(Capability.SIGNED_IN)
def email_preferences_get(request: HttpRequest) -> dict[str, list[str]]:
    """The kinds of work-arrived notice e-mailed to the caller. Any signed-in practitioner."""
    actor = authorised(request, Capability.SIGNED_IN)
    return _preferences(emailed_kinds(practitioner=actor))


@router.put(
    "/me/email-preferences",
    response=responses(200, EmailPreferencesOut),
    summary="Choose which notices are e-mailed to you",
)
@declares(Capability.SIGNED_IN)
def email_preferences_put(request: HttpRequest, body: EmailPreferencesIn) -> dict[str, list[str]]:
    """Replace the caller's choice. An unknown kind is a 422 naming it and changes nothing;
    immediate-risk requests and escalated approvals are always e-mailed."""
    actor = authorised(request, Capability.SIGNED_IN)
    return _preferences(email_preferences_set(actor=actor, emailed=body.emailed))
