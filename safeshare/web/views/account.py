"""The practitioner's own account: who they are, and their API tokens."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import access_api_token
from safeshare.access.scopes import api_tokens_visible_to
from safeshare.agencies.models import Practitioner, Role
from safeshare.agencies.services import api_token_create, api_token_revoke
from safeshare.core.exceptions import DomainError
from safeshare.web.forms.auth import ApiTokenForm
from safeshare.web.views.base import actor_of, or_404, render_domain_error, requires


def _account_page(
    request: HttpRequest, actor: Practitioner, form: ApiTokenForm, *, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "roles": [Role(code).label for code in actor.role_codes()],
        "tokens": list(api_tokens_visible_to(actor).order_by("-created_at")),
        "form": form,
    }
    return render(request, "account/account.html", context, status=status)


@require_GET
@requires(Capability.SIGNED_IN)
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request, actor_of(request), ApiTokenForm())


@require_POST
@requires(Capability.API_TOKEN_MANAGE)
def api_token_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = api_token_create(actor=actor, name=form.cleaned_data["name"])
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            # Shown on this response only: never stored, never put in the session or a redirect.
            response = render(request, "account/token_created.html", {"token": token, "raw": raw})
            response["Cache-Control"] = "no-store"
            return response
    return _account_page(request, actor, form)


@require_POST
@requires(Capability.API_TOKEN_MANAGE)
def api_token_revoke_view(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    token = or_404(access_api_token, actor, token_id)
    api_token_revoke(actor=actor, token=token)
    messages.success(request, f"The token {token.name} has been revoked")
    return redirect("web:account")
