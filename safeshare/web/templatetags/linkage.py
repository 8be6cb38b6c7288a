"""Template helpers for identity linkage: the navigation items. Load with ``{% load linkage %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.policy import has_capability
from safeshare.linkage.models import PairStatus
from safeshare.linkage.selectors import candidate_pair_list

register = template.Library()


def _item(path: str, name: str, text: str, count: int | None = None) -> dict[str, Any]:
    href = reverse(name)
    return {"href": href, "text": text, "count": count, "active": path.startswith(href)}


@register.inclusion_tag("linkage/_nav.html", takes_context=True)
def linkage_nav(context: template.Context) -> dict[str, Any]:
    """ "Find a child" (identity search) for IDENTITY_SEARCH holders, "Review matches" (with the
    number waiting: one indexed COUNT query) for LINK_REVIEW holders, and "Linkage" for
    LINKAGE_MANAGE holders."""
    user = context.get("user")
    request = context.get("request")
    if not context.get("verified") or user is None or request is None:
        return {"items": []}
    items = []
    if has_capability(user, Capability.IDENTITY_SEARCH):
        items.append(_item(request.path, "web:identity-search", "Find a child"))
    if has_capability(user, Capability.LINK_REVIEW):
        waiting = candidate_pair_list(status=PairStatus.PENDING).count()
        items.append(_item(request.path, "web:linkage-review", "Review matches", waiting))
    if has_capability(user, Capability.LINKAGE_MANAGE):
        status_href = reverse("web:linkage-status")
        items.append(
            {
                "href": status_href,
                "text": "Linkage",
                "count": None,
                # /linkage/review/ is the queue's own item, not this one.
                "active": request.path.startswith(status_href)
                and not request.path.startswith(reverse("web:linkage-review")),
            }
        )
    return {"items": items}
