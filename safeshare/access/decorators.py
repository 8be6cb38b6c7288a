"""``@requires(capability)``: every route declares what it needs (checked by an architecture test).

On a web view it also enforces the capability at the route level (403 page when missing); the
object-level rule is enforced by the ``access_*`` fetchers the view calls.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from safeshare.access.capabilities import Capability

F = TypeVar("F", bound=Callable[..., Any])

ATTRIBUTE = "safeshare_capability"


def declares(capability: Capability) -> Callable[[F], F]:
    """Mark ``func`` with its capability without wrapping it (for API operations)."""

    def mark(func: F) -> F:
        setattr(func, ATTRIBUTE, capability)
        return func

    return mark


def declared_capability(func: Any) -> Capability | None:
    seen = set()
    while func is not None and id(func) not in seen:
        seen.add(id(func))
        capability = getattr(func, ATTRIBUTE, None)
        if capability is not None:
            return capability  # type: ignore[no-any-return]
        func = getattr(func, "__wrapped__", None) or getattr(func, "view_class", None)
    return None


def wraps_with_capability(capability: Capability, wrapper: F, original: Callable[..., Any]) -> F:
    functools.update_wrapper(wrapper, original)
    setattr(wrapper, ATTRIBUTE, capability)
    return wrapper
