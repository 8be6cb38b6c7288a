"""The practitioner's choice of which work-arrived notices are e-mailed to them.

Thin view: ``safeshare.workday.services.email_preferences_set`` validates, stores and records the
choice in the ledger; kinds that cannot be switched off are shown, never offered.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeshare.access.capabilities import Capability
from safeshare.core.exceptions import DomainError
from safeshare.web.forms.workday import SWITCHABLE, EmailPreferencesForm
from safeshare.web.views.base import actor_of, render_domain_error, requires
from safeshare.workday.models import ALWAYS_EMAILED
from safeshare.workday.services import email_preferences_set, emailed_kinds


@require_http_methods(["GET", "POST"])
@requires(Capability.SIGNED_IN)
def email_preferences_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST)
        if form.is_valid():
            try:
                email_preferences_set(actor=actor, emailed=form.cleaned_data["emailed"])
            except DomainError as exc:
                render_domain_error(form, exc)
            else:
                messages.success(request, "Your e-mail choices have been saved")
                return redirect("web:email-preferences")
    else:
        chosen = set(emailed_kinds(practitioner=actor))
        form = EmailPreferencesForm(
            initial={"emailed": [value for value, _label in SWITCHABLE if value in chosen]}
        )
    context: dict[str, Any] = {
        "form": form,
        "always": [kind.label for kind in sorted(ALWAYS_EMAILED)],
        "has_email": bool(actor.email),
    }
    status = 400 if form.errors else 200
    return render(request, "workday/email_preferences.html", context, status=status)
