"""The dashboard, the static pages, the session keep-alive, the health check and the error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.policy import has_capability
from safeshare.access.scopes import cases_visible_to
from safeshare.agencies.models import Practitioner, Role
from safeshare.agencies.selectors import agreements_due_for_review
from safeshare.agencies.services import sign_in_record
from safeshare.cases.selectors import case_counts_by_status
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.web.forms.people import PersonSearchForm
from safeshare.web.views.base import actor_of, requires
from safeshare.workday.inbox import inbox_for

REVIEW_WINDOW_DAYS = 30
# The home page starts from the practitioner's work: its most urgent rows, then a link to all.
INBOX_ROWS_ON_HOME = 5

# Administration links on the dashboard: (URL name, text, capability needed).
_ADMIN_LINKS: list[tuple[str, str, Capability]] = [
    ("web:agency-list", "Agencies", Capability.AGENCY_MANAGE),
    ("web:practitioner-list", "Practitioners", Capability.PRACTITIONER_VIEW),
    ("web:agreement-list", "Information sharing agreements", Capability.AGREEMENT_MANAGE),
]


def _case_counts(actor: Practitioner) -> list[dict[str, Any]]:
    return [
        {"status": status.value, "label": status.label, "count": count}
        for status, count in case_counts_by_status(cases=cases_visible_to(actor))
    ]


@require_GET
@requires(Capability.SIGNED_IN)
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    context: dict[str, Any] = {
        "inbox": inbox_for(actor, now=clock.now(), limit=INBOX_ROWS_ON_HOME),
        "find_child_form": (
            PersonSearchForm() if has_capability(actor, Capability.PERSON_VIEW) else None
        ),
        "may_search_identities": has_capability(actor, Capability.IDENTITY_SEARCH),
        "roles": [Role(code).label for code in actor.role_codes()],
        "case_counts": (
            _case_counts(actor) if has_capability(actor, Capability.CASE_LIST) else None
        ),
        "admin_links": [
            {"href": reverse(name), "text": text}
            for name, text, capability in _ADMIN_LINKS
            if has_capability(actor, capability)
        ],
        "due_for_review": (
            list(agreements_due_for_review(within_days=REVIEW_WINDOW_DAYS))
            if has_capability(actor, Capability.AGREEMENT_MANAGE)
            else None
        ),
        "review_window_days": REVIEW_WINDOW_DAYS,
        "today": clock.today(),
    }
    return render(request, "pages/dashboard.html", context)


@require_GET
@requires(Capability.PUBLIC)
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


@require_GET
@requires(Capability.PUBLIC)
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")


@require_POST
@requires(Capability.SIGNED_IN)
def session_keep_alive(request: HttpRequest) -> HttpResponse:
    """The timeout warning's "Stay signed in": nothing to do but answer 204.

    SessionLifetimeMiddleware has already restarted the idle clock, as it does on every request.
    """
    return HttpResponse(status=204)


@require_POST
@requires(Capability.SIGNED_IN)
def session_expired(request: HttpRequest) -> HttpResponse:
    """The timeout warning ran out in the browser: end the session now and record it as an
    idle expiry (not a sign-out the practitioner chose)."""
    user = actor_of(request)
    sign_in_record(
        actor=user, event=Event.SESSION_EXPIRED, details={"reason": "idle", "noticed_by": "browser"}
    )
    logout(request)
    return HttpResponse(status=204)


@require_GET
@requires(Capability.PUBLIC)
def health(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability for the load balancer: "ok" or a 500."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


# Error handlers (config/urls.py handler404/handler403/handler500). The 404 page is the same for a
# record that does not exist and one the practitioner may not see.


@declares(Capability.PUBLIC)
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@declares(Capability.PUBLIC)
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


@declares(Capability.PUBLIC)
def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors or the database: whatever failed may fail again."""
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
