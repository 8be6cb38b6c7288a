"""Navigation items for requests and disclosures (no database query: capabilities only).
Load with ``{% load disclosures %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.policy import has_capability

register = template.Library()

_ITEMS = (
    ("web:requests-inbox", "Requests", Capability.REQUEST_VIEW, ("/requests/",)),
    ("web:disclosures", "Disclosures", Capability.DISCLOSURE_VIEW, ("/disclosures/",)),
)


@register.inclusion_tag("disclosures/_nav.html", takes_context=True)
def disclosures_nav(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    request = context.get("request")
    if not context.get("verified") or user is None or request is None:
        return {"items": []}
    return {
        "items": [
            {
                "href": reverse(name),
                "text": text,
                "active": any(request.path.startswith(prefix) for prefix in prefixes),
            }
            for name, text, capability, prefixes in _ITEMS
            if has_capability(user, capability)
        ]
    }
