"""The API's contract: every operation declares and checks a capability, documents its errors
and its security, and the docs page works offline under our Content-Security-Policy."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from ninja import Router
from ninja.operation import Operation

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declared_capability
from safeshare.api.main import api

ERRORS_EVERY_OPERATION_DOCUMENTS = {"400", "401", "403", "404", "409", "422"}


def _router_operations(prefix: str, router: Router) -> Iterator[tuple[str, Operation]]:
    for path, path_view in router.path_operations.items():
        for operation in path_view.operations:
            yield prefix + path, operation
    for child_prefix, child, *_ in router._routers:
        yield from _router_operations(prefix + child_prefix, child)


def api_operations() -> list[tuple[str, Operation]]:
    found: list[tuple[str, Operation]] = []
    for prefix, router, *_ in api._routers:
        found.extend(_router_operations(prefix, router))
    return found


def _name(path: str, operation: Operation) -> str:
    return f"{','.join(operation.methods)} {path} ({operation.view_func.__name__})"


@pytest.fixture
def schema(db: None) -> dict[str, Any]:
    """The schema as clients get it (JSON: status codes are strings)."""
    document: dict[str, Any] = Client().get("/api/openapi.json").json()
    return document


def test_the_walk_finds_every_operation() -> None:
    assert (
        len(api_operations()) == 109
    )  # with agency administration: a practitioner, role removal, allocation end, (de)activation


def test_every_operation_declares_a_capability() -> None:
    undeclared = [
        _name(path, op)
        for path, op in api_operations()
        if declared_capability(op.view_func) is None
    ]
    assert undeclared == []


def test_every_operation_checks_the_capability_it_declares() -> None:
    """``authorised(request, Capability.X)`` with the X of ``@declares(Capability.X)``."""
    mismatched = []
    for path, op in api_operations():
        source = inspect.getsource(op.view_func)
        checked = re.findall(r"authorised\(request, Capability\.(\w+)\)", source)
        declared = declared_capability(op.view_func)
        if declared is None or checked != [Capability(declared).name]:
            mismatched.append(_name(path, op))
    assert mismatched == []


def test_every_api_url_pattern_declares_a_capability() -> None:
    """What an architecture test walking the URLconf sees for the /api/ routes."""
    [api_resolver] = [
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "api"
    ]
    patterns = [p for p in api_resolver.url_patterns if isinstance(p, URLPattern)]
    assert patterns
    assert [str(p.pattern) for p in patterns if declared_capability(p.callback) is None] == []
    by_name = {p.name: declared_capability(p.callback) for p in patterns}
    assert by_name["openapi-json"] == by_name["openapi-view"] == Capability.PUBLIC


def test_openapi_json_is_served_as_valid_json(db: None) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["info"] == {
        "title": "SafeShare API",
        "version": "1",
        "description": api.description,
    }
    assert document["openapi"].startswith("3.")


def test_every_operation_documents_its_errors_and_needs_authentication(
    schema: dict[str, Any],
) -> None:
    problems = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            missing = ERRORS_EVERY_OPERATION_DOCUMENTS - set(operation["responses"])
            if missing:
                problems.append(f"{method} {path}: no {sorted(missing)}")
            if not operation.get("security"):
                problems.append(f"{method} {path}: no security requirement")
    assert problems == []
    assert set(schema["components"]["securitySchemes"]) == {
        "BearerTokenAuth",
        "VerifiedSessionAuth",
    }


def test_docs_and_schema_are_not_operations(schema: dict[str, Any]) -> None:
    assert not any("docs" in path or "openapi" in path for path in schema["paths"])


def test_docs_page_works_offline_under_the_csp(db: None) -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce is not None
    assert "script-src 'self'" in csp
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html), "external URL in the docs"
    scripts = re.findall(r"<script([^>]*)>", html)
    assert len(scripts) == 3
    for attributes in scripts:
        assert f'nonce="{nonce.group(1)}"' in attributes
        src = re.search(r'src="([^"]+)"', attributes)
        assert src is not None or 'type="application/json"' in attributes
        if src is not None:
            assert src.group(1).startswith("/static/")
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(asset), f"{asset} is not among the static files"
    # The settings JSON turns off Swagger's online validator badge (an external request).
    assert '"validatorUrl": null' in html


def test_api_root_is_not_found(db: None) -> None:
    assert Client().get("/api/").status_code == 404
