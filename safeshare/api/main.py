"""The SafeShare JSON API (django-ninja), mounted at /api/ by config/urls.py.

- ``/api/openapi.json`` and ``/api/docs`` are PUBLIC: they describe the operations, hold no data,
  and the docs page (Swagger UI from ninja's bundled static files, no CDN) runs under our CSP.
- Every operation needs a bearer token or a verified session (``safeshare.api.auth``), declares
  its capability with ``@declares`` and checks it with ``authorised``; records come only through
  ``safeshare.access.fetch.access_*``.
- Errors have one shape, ``{"detail": ..., "field": ...}`` (``safeshare.api.errors``).
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI, Swagger
from ninja.operation import Operation, PathView

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import ATTRIBUTE, declared_capability, declares
from safeshare.api.auth import AUTH
from safeshare.api.errors import install_error_handlers
from safeshare.api.routers import agencies, cases, consents, decisions, items, me, people

CAPABILITIES_BY_METHOD = "safeshare_capabilities"


class SafeShareDocs(Swagger):
    """Swagger UI from ninja's bundled files; our template puts the CSP nonce on each script."""

    template = "safeshare_api/docs.html"


def public_docs(view: Any) -> Any:
    """``docs_decorator``: the schema and its docs page declare PUBLIC (they hold no data)."""
    return declares(Capability.PUBLIC)(view)


def _path_view_of(view: Any) -> PathView | None:
    for cell in getattr(view, "__closure__", None) or ():
        if isinstance(cell.cell_contents, PathView):
            return cell.cell_contents
    return None


def _declare_route(pattern: URLPattern) -> None:
    """Give a ninja URL pattern the capability its operations declare, for URLconf walkers.

    One URL can serve several methods with different capabilities (GET and POST /cases): the
    pattern then declares SIGNED_IN (nothing there is reachable without signing in) and
    lists each method's capability in ``safeshare_capabilities``. A pattern with an undeclared
    operation is left undeclared, so that the architecture test fails on it.
    """
    view = pattern.callback
    if declared_capability(view) is not None:
        return
    if pattern.name == "api-root":  # ninja's root answers 404 and names the docs URL
        declares(Capability.PUBLIC)(view)
        return
    path_view = _path_view_of(view)
    if path_view is None:
        return
    by_method: dict[str, Capability | None] = {
        method: declared_capability(operation.view_func)
        for operation in path_view.operations
        for method in operation.methods
    }
    declared = {capability for capability in by_method.values() if capability is not None}
    if not declared or None in by_method.values():
        return
    setattr(view, CAPABILITIES_BY_METHOD, by_method)
    setattr(view, ATTRIBUTE, declared.pop() if len(declared) == 1 else Capability.SIGNED_IN)


class SafeShareApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """Operation ids are the handler names (``case_list_get``), unique across the API."""
        return operation.view_func.__name__

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                _declare_route(pattern)
        return urls


api = SafeShareApi(
    title="SafeShare API",
    version="1",
    urls_namespace="api",
    description=(
        "Multi-agency information sharing for safeguarding children. Authenticate with "
        "`Authorization: Bearer <token>` (create a token in your account settings)."
    ),
    auth=AUTH,
    docs=SafeShareDocs(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_decorator=public_docs,
)
install_error_handlers(api)

api.add_router("", me.router)
api.add_router("", agencies.router)
api.add_router("", cases.router)
api.add_router("", items.router)
api.add_router("", people.router)
api.add_router("", decisions.router)
api.add_router("", consents.router)
api.add_router("", "safeshare.api.routers.ledger.router")
api.add_router("", "safeshare.api.routers.oversight.router")
api.add_router("", "safeshare.api.routers.disclosures.router")
api.add_router("", "safeshare.api.routers.linkage.router")
api.add_router("", "safeshare.api.routers.identities.router")
api.add_router("", "safeshare.api.routers.mash.router")
api.add_router("", "safeshare.api.routers.inbox.router")
