"""Every route declares the capability it needs (the Notify meta-test, for our URLconf)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from safeshare.access.decorators import declared_capability

# Django admin is read-only, for system administrators, and RequireVerifiedMiddleware demands a
# verified second factor on every admin URL; its views are Django's own and cannot be decorated.
EXEMPT_NAMESPACES = {"admin"}


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, Any, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                entry.namespace or namespace,
            )
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback, namespace


def _undeclared() -> list[str]:
    missing = []
    for route, callback, namespace in _walk(get_resolver().url_patterns):
        if namespace in EXEMPT_NAMESPACES:
            continue
        if namespace == "api":
            continue  # checked operation by operation below
        if declared_capability(callback) is None:
            missing.append(route)
    return missing


def _api_operations() -> Iterator[tuple[str, Any]]:
    from safeshare.api.main import api

    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield f"{operation.methods} {path}", operation.view_func


def test_every_web_route_declares_a_capability() -> None:
    assert _undeclared() == []


def test_every_api_operation_declares_a_capability() -> None:
    operations = list(_api_operations())
    assert operations, "the API has no operations"
    missing = [name for name, func in operations if declared_capability(func) is None]
    assert missing == []


def test_the_walk_finds_the_routes_it_should() -> None:
    routes = {route for route, _, _ in _walk(get_resolver().url_patterns)}
    assert "sign-in/" in routes
    assert any(route.startswith("cases/") for route in routes)
