"""Context every page gets: navigation (with the count of waiting work), the demo banner and the
session timeout's timings."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import lazy

from safeshare.access.capabilities import Capability
from safeshare.access.policy import has_capability
from safeshare.core import clock
from safeshare.workday.inbox import inbox_count

_NAV: list[tuple[str, str, Capability]] = [
    ("web:dashboard", "Home", Capability.SIGNED_IN),
    ("web:inbox", "Your work", Capability.SIGNED_IN),
    ("web:case-list", "Cases", Capability.CASE_LIST),
    ("web:agency-list", "Agencies", Capability.AGENCY_VIEW),
    ("web:agreement-list", "Agreements", Capability.AGREEMENT_VIEW),
    ("web:practitioner-list", "Practitioners", Capability.PRACTITIONER_VIEW),
    ("web:approvals", "Approvals", Capability.DECISION_APPROVE),
    ("web:golden-rules", "Guidance", Capability.SIGNED_IN),
    ("web:account", "Your account", Capability.SIGNED_IN),
]


def _work_count(user: Any) -> Callable[[], int]:
    """The number of items waiting for ``user``, counted when a page first shows it (the header,
    the home page) and only once per page."""

    @functools.cache
    def count() -> int:
        return inbox_count(user, now=clock.now())

    return count


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[dict[str, Any]] = []
    verified = bool(user is not None and user.is_authenticated and user.is_verified())  # type: ignore[union-attr]
    work_count = _work_count(user) if verified else None
    if verified:
        for name, text, capability in _NAV:
            if has_capability(user, capability):
                href = reverse(name)
                active = request.path == href if href == "/" else request.path.startswith(href)
                if name == "web:inbox" and work_count is not None:
                    text = _with_count(text, work_count)
                items.append({"href": href, "text": text, "active": active})
    return {
        "nav_items": items,
        "work_count": work_count,
        "demo_mode": settings.SAFESHARE_DEMO_MODE,
        "verified": verified,
        "session_idle_seconds": settings.SAFESHARE_SESSION_IDLE_SECONDS,
        "session_warn_seconds": settings.SAFESHARE_SESSION_WARN_SECONDS,
        "session_idle_minutes": settings.SAFESHARE_SESSION_IDLE_SECONDS // 60,
    }


def _with_count(text: str, count: Callable[[], int]) -> Any:
    """ "Your work (3)", counted only when the header is rendered."""
    return lazy(lambda: f"{text} ({count()})", str)()
