"""Identity search across agencies, and the pointer index ("Who else knows this child").

Thin views: parse, ``access_*``, one service or selector, render. What each result shows is
decided by ``safeshare.access.fetch.access_identity_search``; the pointer index answers 404 to
anyone without a legitimate relationship to the child.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import (
    access_identity_search,
    access_pointer_agency,
    access_pointer_index,
    access_pointer_to_dispute,
)
from safeshare.core.exceptions import DomainError
from safeshare.disclosures.models import RequestKind
from safeshare.linkage.search import pointer_request_start
from safeshare.linkage.services import pointer_match_dispute
from safeshare.web.forms.identity_search import DisputeForm, IdentitySearchForm
from safeshare.web.views.base import actor_of, or_404, render_domain_error, requires
from safeshare.web.views.requests import _SESSION_KEY as REQUEST_WIZARD_KEY


@requires(Capability.IDENTITY_SEARCH)
def identity_search_view(request: HttpRequest) -> HttpResponse:
    """The search form; a posted search shows ranked results (never personal data in a URL)."""
    actor = actor_of(request)
    form = IdentitySearchForm(request.POST if request.method == "POST" else None)
    results = None
    if form.is_valid():
        try:
            results = access_identity_search(actor, **form.query())
        except DomainError as exc:
            render_domain_error(form, exc)
    return render(
        request,
        "identities/search.html",
        {"form": form, "results": results, "searched": results is not None},
    )


@requires(Capability.POINTER_VIEW)
def pointer_index_view(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Which other agencies hold a record of the child: agencies only, never content."""
    person, agencies = or_404(access_pointer_index, actor_of(request), person_id)
    return render(request, "identities/pointers.html", {"person": person, "agencies": agencies})


@require_POST
@requires(Capability.REQUEST_CREATE)
def pointer_request_view(
    request: HttpRequest, person_id: uuid.UUID, agency_id: uuid.UUID
) -> HttpResponse:
    """ "Ask this agency": start the "Ask another agency" request with the agency and the child's
    identifying details (from the actor's own record) filled in."""
    actor = actor_of(request)
    person, agency = or_404(access_pointer_agency, actor, person_id, agency_id)
    prefill = pointer_request_start(actor=actor, person=person, agency=agency)
    request.session[REQUEST_WIZARD_KEY] = {
        "agency": {
            "receiving_agency": str(prefill.receiving_agency_id),
            "kind": RequestKind.REQUEST,
        },
        "child": prefill.child(),
    }
    return redirect(reverse("web:request-step", kwargs={"step": "agency"}))


@requires(Capability.POINTER_VIEW)
def pointer_dispute_view(
    request: HttpRequest, person_id: uuid.UUID, agency_id: uuid.UUID
) -> HttpResponse:
    """ "This may not be the same child": the pair goes to the MASH's clerical review queue,
    with a reason. Nothing is unlinked until a reviewer decides."""
    actor = actor_of(request)
    person, agency = or_404(access_pointer_to_dispute, actor, person_id, agency_id)
    form = DisputeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            pointer_match_dispute(
                actor=actor, person=person, agency=agency, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(
                request, f"Sent to the MASH to check whether {agency.name}'s record is this child"
            )
            return redirect(reverse("web:person-pointers", kwargs={"person_id": person.pk}))
    return render(
        request, "identities/dispute.html", {"person": person, "agency": agency, "form": form}
    )
