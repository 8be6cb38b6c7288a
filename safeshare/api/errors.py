"""One error shape for the whole API, and the responses every operation declares.

Every error body is ``{"detail": ..., "field": ...}``: ``detail`` is a message for a person (or,
for a request that does not match the schema, ninja's list of problems, each naming its location),
``field`` names the input at fault when there is one. A record that is missing and a record the
actor may not see answer with the same 404 body, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from safeshare.api.schemas.common import ErrorOut, ValidationErrorOut
from safeshare.core.exceptions import DomainError, NotFound

NOT_FOUND_MESSAGE = "Not found"
UNAUTHENTICATED_MESSAGE = (
    "Authentication required: send 'Authorization: Bearer <token>', or use a signed-in session "
    "with a verified second factor"
)

# Declared on every operation so that the OpenAPI schema documents each way it can fail.
ERROR_RESPONSES: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


def responses(status: int, schema: Any) -> dict[int, Any]:
    """The ``response=`` argument of an operation: its success body plus every error body."""
    return {status: schema, **ERROR_RESPONSES}


def error_body(detail: Any, field: str | None = None) -> dict[str, Any]:
    return {"detail": detail, "field": field}


def _field_of(loc: list[str | int]) -> str | None:
    """The input a schema problem is about: the last name in its location after the source."""
    names = [part for part in loc[1:] if isinstance(part, str)]
    return names[-1] if names else None


def _loc(error: Mapping[str, Any]) -> list[str | int]:
    """Where the problem is. The facts are read by the engine's own validator, which names the
    fact at fault in the error's context (``api.schemas.decisions.FactsIn``)."""
    loc = list(error.get("loc", ()))
    fact = (error.get("ctx") or {}).get("fact")
    if error.get("type") == "invalid_facts" and fact:
        loc.append(str(fact))
    return loc


def install_error_handlers(api: NinjaAPI) -> None:
    """Map domain errors, ninja's errors and Http404 onto the one error shape."""

    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        if isinstance(exc, NotFound):
            # Never let a message say more than "not found" (which record, or why).
            return api.create_response(
                request, error_body(NOT_FOUND_MESSAGE, exc.field), status=404
            )
        return api.create_response(
            request, error_body(exc.message, exc.field), status=exc.status_code
        )

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        issues: list[dict[str, Any]] = [
            {"type": str(e.get("type", "")), "loc": _loc(e), "msg": e.get("msg")}
            for e in exc.errors
        ]
        field = _field_of(issues[0]["loc"]) if issues else None
        return api.create_response(request, error_body(issues, field), status=422)

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, error_body(NOT_FOUND_MESSAGE), status=404)

    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(request, error_body(UNAUTHENTICATED_MESSAGE), status=401)
        response["WWW-Authenticate"] = 'Bearer realm="SafeShare API"'
        return response

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, error_body(str(exc)), status=exc.status_code)

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (DomainError, domain_error),
        (ValidationError, validation_error),
        (Http404, not_found),
        (AuthenticationError, unauthenticated),
        (HttpError, http_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
