"""``GET /inbox``: everything waiting for the caller to act on ("Your work"), most urgent first.

What appears for whom is ``safeshare.workday.inbox`` (and docs/how-to/inbox.md): the caller's own
work, and their team's queue for DSLs, MASH officers and information governance. Someone with
nothing waiting, in any agency, gets an empty list. Each item shown is a recorded read of the
child it names.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.api.auth import authorised
from safeshare.api.errors import responses
from safeshare.api.schemas.inbox import InboxFilters, InboxOut
from safeshare.core import clock
from safeshare.workday.inbox import inbox_for

router = Router(tags=["your work"])


@router.get("/inbox", response=responses(200, InboxOut), summary="Your work")
@declares(Capability.SIGNED_IN)
def inbox_get(request: HttpRequest, filters: Query[InboxFilters]) -> dict[str, Any]:
    """Work waiting for the caller, most urgent first (urgent, then overdue, then due soonest,
    then no due date), filtered by ``kind`` (one or more) and ``due_before``. Any signed-in
    practitioner; each sees only work on records they may see."""
    actor = authorised(request, Capability.SIGNED_IN)
    items = inbox_for(
        actor, now=clock.now(), kinds=filters.kind or None, due_before=filters.due_before
    )
    return {"count": len(items), "items": items}
