"""Context every page gets: the service navigation by role (with the count of waiting work) and
the pages left out of it ("More in SafeShare" in the footer), the demo banner and the session
timeout's timings."""

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

# The header's service navigation: (URL name, text, the capability needed to use the page, and
# the capabilities of whoever should find it in the header: any one of them). A page left out of
# someone's header (Agencies and Agreements for practitioners, who only look things up there)
# is listed under "More in SafeShare" at the foot of every page, the home page included.
_MANAGES_AGENCIES_OR_AGREEMENTS = frozenset(
    {Capability.AGENCY_MANAGE, Capability.PRACTITIONER_MANAGE, Capability.AGREEMENT_MANAGE}
)
_NAV: list[tuple[str, str, Capability, frozenset[Capability] | None]] = [
    ("web:dashboard", "Home", Capability.SIGNED_IN, None),
    ("web:inbox", "Your work", Capability.SIGNED_IN, None),
    ("web:case-list", "Cases", Capability.CASE_LIST, None),
    ("web:agency-list", "Agencies", Capability.AGENCY_VIEW, _MANAGES_AGENCIES_OR_AGREEMENTS),
    (
        "web:agreement-list",
        "Agreements",
        Capability.AGREEMENT_VIEW,
        _MANAGES_AGENCIES_OR_AGREEMENTS,
    ),
    ("web:practitioner-list", "Practitioners", Capability.PRACTITIONER_VIEW, None),
    ("web:approvals", "Approvals", Capability.DECISION_APPROVE, None),
    ("web:golden-rules", "Guidance", Capability.SIGNED_IN, None),
    ("web:account", "Your account", Capability.SIGNED_IN, None),
]
# Text of a page in "More in SafeShare", where it stands alone rather than beside "Cases".
_MORE_TEXT = {"web:agreement-list": "Information sharing agreements"}


def _in_header(user: Any, header_for: frozenset[Capability] | None) -> bool:
    return header_for is None or any(has_capability(user, c) for c in header_for)


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
    more: list[dict[str, Any]] = []
    verified = bool(user is not None and user.is_authenticated and user.is_verified())  # type: ignore[union-attr]
    work_count = _work_count(user) if verified else None
    if verified:
        for name, text, capability, header_for in _NAV:
            if not has_capability(user, capability):
                continue
            href = reverse(name)
            if not _in_header(user, header_for):
                more.append({"href": href, "text": _MORE_TEXT.get(name, text)})
                continue
            active = request.path == href if href == "/" else request.path.startswith(href)
            if name == "web:inbox" and work_count is not None:
                text = _with_count(text, work_count)
            items.append(
                {"href": href, "text": text, "active": active, "current": request.path == href}
            )
    return {
        "nav_items": items,
        "more_items": more,
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
