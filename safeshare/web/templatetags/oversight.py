"""Template helpers for oversight of the ledger: the navigation items (with the count of unseen
notifications) and whether to offer "Who has seen this record". Load with ``{% load oversight %}``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.policy import has_capability, may_view_record_access
from safeshare.access.scopes import cases_notifying, people_notifying
from safeshare.oversight.selectors import notifications_unread_count

register = template.Library()


@register.filter(name="may_view_record_access")
def may_view_record_access_filter(user: Any, record: models.Model) -> bool:
    """``{% if user|may_view_record_access:case %}``"""
    return may_view_record_access(user, record)


def _item(path: str, name: str, text: str, count: int | None = None) -> dict[str, Any]:
    href = reverse(name)
    return {"href": href, "text": text, "count": count, "active": path.startswith(href)}


@register.inclusion_tag("oversight/_nav.html", takes_context=True)
def oversight_nav(context: template.Context) -> dict[str, Any]:
    """Navigation items for notifications (with the unseen count: one indexed COUNT query) and
    the access review queue, for those who hold the capabilities."""
    user = context.get("user")
    request = context.get("request")
    if not context.get("verified") or user is None or request is None:
        return {"items": []}
    items = []
    if has_capability(user, Capability.NOTIFICATION_VIEW):
        unread = notifications_unread_count(
            practitioner=user, cases=cases_notifying(user), people=people_notifying(user)
        )
        items.append(_item(request.path, "web:notifications", "Notifications", unread))
    if has_capability(user, Capability.ACCESS_REVIEW):
        items.append(_item(request.path, "web:access-review", "Access review"))
    return {"items": items}
