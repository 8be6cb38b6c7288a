"""Helpers every web view shares: route capability declaration, domain errors on forms, 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, ParamSpec, TypeVar, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import wraps_with_capability
from safeshare.access.policy import has_capability
from safeshare.agencies.models import Practitioner
from safeshare.core.exceptions import DomainError, NotFound

F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")

# Capabilities enforced by RequireVerifiedMiddleware (sign-in state), not by the role table.
_SESSION_CAPABILITIES = frozenset(
    {Capability.PUBLIC, Capability.SIGNED_IN, Capability.PASSWORD_ONLY}
)


def forbidden(request: HttpRequest) -> HttpResponse:
    """The page for a route the actor's roles do not grant (the route is no secret)."""
    return render(request, "errors/403.html", status=403)


def requires(capability: Capability) -> Callable[[F], F]:
    """Declare the capability a function view needs and refuse actors whose roles lack it.

    The object-level rule stays with the ``access_*`` fetchers the view calls.
    """

    def decorate(view: F) -> F:
        if capability in _SESSION_CAPABILITIES:

            def passthrough(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                response: HttpResponse = view(request, *args, **kwargs)
                return response

            return cast(F, wraps_with_capability(capability, passthrough, view))

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_capability(request.user, capability):
                return forbidden(request)
            response: HttpResponse = view(request, *args, **kwargs)
            return response

        return cast(F, wraps_with_capability(capability, guarded, view))

    return decorate


def render_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put a refused operation's message on the field at fault, or above the form."""
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}  # an unvalidated form: add_error needs somewhere to look
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def not_found() -> NoReturn:
    """Missing and forbidden records answer with the same 404 page."""
    raise Http404("Not found")


def or_404(fetch: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Call an ``access_*`` fetcher, turning its NotFound into the one 404 page.

    ``access_case(actor, case_id)`` becomes ``or_404(access_case, actor, case_id)``.
    """
    try:
        return fetch(*args, **kwargs)
    except NotFound:
        not_found()


def actor_of(request: HttpRequest) -> Practitioner:
    """The signed-in practitioner. RequireVerifiedMiddleware has already sent anyone else to the
    sign-in page, so anything else here is a wiring mistake, refused rather than trusted."""
    user = request.user
    if not isinstance(user, Practitioner):
        raise PermissionDenied("not signed in")
    return user


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted form, even an empty one (so that it shows its errors), on a POST."""
    return request.POST if request.method == "POST" else None
