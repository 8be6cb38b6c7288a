"""Who is calling, and may they call this operation?

Two ways in, tried in order:

- ``BearerTokenAuth``: ``Authorization: Bearer ss_...``, an API token looked up by its hash.
  Revoked, expired or unknown tokens, and tokens of inactive practitioners, are refused (401).
  Not an ambient credential, so no CSRF check.
- ``VerifiedSessionAuth``: the web session, but only once the second factor has been verified
  (``request.user.is_verified()`` from django-otp). A session is sent by the browser on its own,
  so unsafe methods must also carry the CSRF token (``X-CSRFToken`` header), or get 403.

Either sets ``request.actor`` to the practitioner. Each operation then calls
``authorised(request, Capability.X)`` for its route-level capability (403 when missing) and
obtains records only through ``safeshare.access.fetch.access_*`` (404 when missing or hidden).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from safeshare.access.capabilities import Capability
from safeshare.access.policy import has_capability
from safeshare.agencies.models import Practitioner
from safeshare.agencies.selectors import api_token_for_raw
from safeshare.agencies.services import api_token_touch
from safeshare.core.exceptions import NotFound, PermissionDenied

T = TypeVar("T")

FORBIDDEN_MESSAGE = "You do not have permission to do this"
CSRF_MESSAGE = "CSRF check failed: send the CSRF token in the X-CSRFToken header"


def _signed_in(request: HttpRequest, actor: Practitioner) -> Practitioner:
    request.actor = actor  # type: ignore[attr-defined]
    return actor


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer ss_...``: an API token of an active practitioner."""

    def authenticate(self, request: HttpRequest, token: str) -> Practitioner | None:
        api_token = api_token_for_raw(token)
        if api_token is None:
            return None
        api_token_touch(token=api_token)
        return _signed_in(request, api_token.practitioner)


def _verified_practitioner(request: HttpRequest) -> Practitioner | None:
    user = request.user
    if not user.is_authenticated or not isinstance(user, Practitioner):
        return None
    is_verified: Callable[[], bool] | None = getattr(user, "is_verified", None)
    if is_verified is None or not is_verified():
        return None
    return user


class VerifiedSessionAuth(APIKeyCookie):
    """The browser session of a practitioner who has passed the second factor, with CSRF."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a verified session there is nothing to protect: answer 401, not a CSRF 403.
        if _verified_practitioner(request) is None:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, CSRF_MESSAGE)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Practitioner | None:
        actor = _verified_practitioner(request)
        if key is None or actor is None:
            return None
        return _signed_in(request, actor)


AUTH: list[Any] = [BearerTokenAuth(), VerifiedSessionAuth()]


def authorised(request: HttpRequest, capability: Capability) -> Practitioner:
    """The actor, if they hold ``capability`` (the route-level check); 401 or 403 otherwise.

    Call it first in every operation with the capability the operation ``@declares``.
    """
    actor = getattr(request, "actor", None)
    if not isinstance(actor, Practitioner):
        raise AuthenticationError()
    if not has_capability(actor, capability):
        raise PermissionDenied(FORBIDDEN_MESSAGE)
    return actor


def referenced(field: str, fetch: Callable[[], T]) -> T:
    """Fetch a record named in the request body through ``access_*``, blaming ``field`` if not.

    The answer is the same 404 for a missing record and one the actor may not see.
    """
    try:
        return fetch()
    except NotFound as exc:
        raise NotFound(field=field) from exc
