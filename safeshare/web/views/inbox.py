""" "Your work": everything waiting for the signed-in practitioner, most urgent first.

Thin view: the inbox (``safeshare.workday.inbox``) decides what appears for whom and records each
row shown as a read of the child it names; the view renders it. Opening it marks the
practitioner's work-arrived notices seen (``notices_mark_seen``), so the page says how many
arrived since they last looked.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safeshare.access.capabilities import Capability
from safeshare.core import clock
from safeshare.web.views.base import actor_of, requires
from safeshare.workday.inbox import inbox_for
from safeshare.workday.services import notices_mark_seen


@require_GET
@requires(Capability.SIGNED_IN)
def inbox_view(request: HttpRequest) -> HttpResponse:
    """Every kind of waiting work the practitioner's roles and agency give them (none at all for
    someone with nothing to do); each row links to the page where the work is done."""
    actor = actor_of(request)
    rows = inbox_for(actor, now=clock.now())
    arrived = notices_mark_seen(actor=actor)
    return render(request, "workday/inbox.html", {"rows": rows, "arrived": arrived})
