"""Session lifetime and second-factor enforcement for the web application."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declared_capability
from safeshare.agencies.services import sign_in_record
from safeshare.core import clock
from safeshare.ledger.events import Event

SESSION_STARTED = "safeshare_started_at"
SESSION_SEEN = "safeshare_seen_at"


class SessionLifetimeMiddleware:
    """Ends a session after an idle period and after an absolute lifetime, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = clock.now().timestamp()
            started = request.session.get(SESSION_STARTED)
            seen = request.session.get(SESSION_SEEN)
            idle_limit = settings.SAFESHARE_SESSION_IDLE_SECONDS
            absolute_limit = settings.SAFESHARE_SESSION_ABSOLUTE_SECONDS
            expired_reason = ""
            if started is None:
                request.session[SESSION_STARTED] = now
            elif now - float(started) > absolute_limit:
                expired_reason = "absolute"
            if seen is not None and now - float(seen) > idle_limit:
                expired_reason = expired_reason or "idle"
            if expired_reason:
                sign_in_record(
                    actor=user, event=Event.SESSION_EXPIRED, details={"reason": expired_reason}
                )
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Your session has expired; sign in again", "field": None},
                        status=401,
                    )
                return redirect(f"/sign-in/?expired={expired_reason}")
            request.session[SESSION_SEEN] = now
        return self.get_response(request)


class RequireVerifiedMiddleware:
    """A web route needing more than a password refuses sessions without a verified TOTP device.

    Routes declare ``Capability.PUBLIC`` (anyone), ``Capability.PASSWORD_ONLY`` (signed in with
    a password, for enrolment and verification) or anything else (password and second factor).
    The API is left to its own authentication classes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        capability = declared_capability(match.func)
        if match.namespace == "admin":
            # Django admin (read-only, system administrators) needs the second factor too; its
            # own password-only login page is never used.
            capability = Capability.SIGNED_IN
        if capability in (Capability.PUBLIC, None):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return redirect(f"/sign-in/?next={request.path}")
        if capability == Capability.PASSWORD_ONLY:
            return self.get_response(request)
        if not user.is_verified():  # type: ignore[union-attr,attr-defined]
            return redirect("/sign-in/two-factor/")
        return self.get_response(request)
