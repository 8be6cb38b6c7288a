"""Context every page gets: navigation, the demo banner and the session timeout's timings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.policy import has_capability

_NAV: list[tuple[str, str, Capability]] = [
    ("web:dashboard", "Home", Capability.SIGNED_IN),
    ("web:case-list", "Cases", Capability.CASE_LIST),
    ("web:agency-list", "Agencies", Capability.AGENCY_VIEW),
    ("web:agreement-list", "Agreements", Capability.AGREEMENT_VIEW),
    ("web:practitioner-list", "Practitioners", Capability.PRACTITIONER_VIEW),
    ("web:approvals", "Approvals", Capability.DECISION_APPROVE),
    ("web:golden-rules", "Guidance", Capability.SIGNED_IN),
    ("web:account", "Your account", Capability.SIGNED_IN),
]


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[dict[str, Any]] = []
    verified = bool(user is not None and user.is_authenticated and user.is_verified())  # type: ignore[union-attr]
    if verified:
        for name, text, capability in _NAV:
            if has_capability(user, capability):
                href = reverse(name)
                active = request.path == href if href == "/" else request.path.startswith(href)
                items.append({"href": href, "text": text, "active": active})
    return {
        "nav_items": items,
        "demo_mode": settings.SAFESHARE_DEMO_MODE,
        "verified": verified,
        "session_idle_seconds": settings.SAFESHARE_SESSION_IDLE_SECONDS,
        "session_warn_seconds": settings.SAFESHARE_SESSION_WARN_SECONDS,
        "session_idle_minutes": settings.SAFESHARE_SESSION_IDLE_SECONDS // 60,
    }
