"""Template helpers for identity search and the pointer index (``{% load identities %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from safeshare.access.policy import may_view_pointers
from safeshare.people.models import Person

register = template.Library()


@register.filter(name="may_view_pointers")
def may_view_pointers_filter(user: Any, person: Person) -> bool:
    """Offer "Who else knows this child" (POINTER_VIEW and a legitimate relationship)."""
    return may_view_pointers(user, person)


@register.filter
def match_percent(probability: float) -> str:
    """A match probability in words a practitioner reads at a glance: "99.7%", "over 99.9%"."""
    if probability >= 0.9995:
        return "over 99.9%"
    if probability < 0.0005:
        return "under 0.1%"
    return f"{probability * 100:.1f}%"


@register.filter
def reason_effect(weight: float) -> str:
    """Whether a comparison made the match more or less likely."""
    if weight > 0:
        return "makes a match more likely"
    if weight < 0:
        return "makes a match less likely"
    return "makes no difference"
