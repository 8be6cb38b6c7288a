"""Template helpers for MASH triage: the navigation item, for MASH_VIEW holders only. Load with
``{% load mash %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.policy import has_capability

register = template.Library()


@register.inclusion_tag("oversight/_nav.html", takes_context=True)
def mash_nav(context: template.Context) -> dict[str, Any]:
    """ "MASH" in the navigation, for MASH officers and the DSLs and managers who oversee them."""
    user = context.get("user")
    request = context.get("request")
    if not context.get("verified") or user is None or request is None:
        return {"items": []}
    if not has_capability(user, Capability.MASH_VIEW):
        return {"items": []}
    href = reverse("web:mash-dashboard")
    return {"items": [{"href": href, "text": "MASH", "active": request.path.startswith(href)}]}
