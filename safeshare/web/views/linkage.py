"""Identity linkage: the clerical review queue (MASH officers) and linkage status (information
governance and system administrators).

Thin views: parse, obtain records through ``safeshare.access`` (which records each read), one
selector or service, render.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import (
    access_candidate_pair,
    access_linkage_model,
    record_review_queue_read,
)
from safeshare.core.exceptions import DomainError
from safeshare.linkage.explain import evidence_rows, probability_percent, shown_postcode
from safeshare.linkage.models import CandidatePair
from safeshare.linkage.selectors import candidate_pair_list, linkage_model_list, linkage_status
from safeshare.linkage.services import (
    candidate_confirm,
    candidate_reject,
    candidate_reopen,
    linkage_model_activate,
)
from safeshare.people.models import Person
from safeshare.web.forms.linkage import (
    DIFFERENT,
    SAME,
    PairDecisionForm,
    QueueFilterForm,
    ReopenForm,
)
from safeshare.web.views.base import (
    actor_of,
    or_404,
    render_domain_error,
    requires,
)

ROWS_PER_PAGE = 25

_DECIDE: dict[str, tuple[Callable[..., CandidatePair], str]] = {
    SAME: (candidate_confirm, "Decision recorded: the records are the same person"),
    DIFFERENT: (candidate_reject, "Decision recorded: the records are not the same person"),
}

# ---------------------------------------------------------------------------------------------
# The clerical review queue
# ---------------------------------------------------------------------------------------------


@requires(Capability.LINK_REVIEW)
def review_queue_view(request: HttpRequest) -> HttpResponse:
    """Pairs of records the model is unsure of: match probability, the two holding agencies and
    when each was queued; no names. The look is recorded (LINK_REVIEW_QUEUE_VIEWED)."""
    form = QueueFilterForm(request.GET)
    status = form.status()
    page = Paginator(candidate_pair_list(status=status), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    pairs: list[CandidatePair] = list(page.object_list)
    record_review_queue_read(actor=actor_of(request), shown=len(pairs))
    return render(
        request,
        "linkage/review_queue.html",
        {
            "form": form,
            "status": status,
            "page_obj": page,
            "rows": [
                {"pair": p, "percent": probability_percent(p.match_probability)} for p in pairs
            ],
            "count": page.paginator.count,
        },
    )


def _side(person: Person) -> dict[str, Any]:
    """One record's identifying details as the reviewer sees them (never a protected address)."""
    return {
        "agency": person.agency.name,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "other_names": ", ".join(str(name) for name in person.other_names.all()),
        "date_of_birth": person.date_of_birth_display,
        "sex": person.get_sex_display(),
        "postcode": shown_postcode(person.addresses.all()),
        "nhs_number": person.nhs_number_display,
    }


@declares(Capability.LINK_REVIEW)
def review_pair_view(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    """Two records side by side with the model's evidence, and (while pending) the decision.

    The capability is enforced by ``access_candidate_pair``: without LINK_REVIEW a pair answers
    the same 404 as a missing one. Showing the pair is recorded for both people.
    """
    actor = actor_of(request)
    pair = or_404(access_candidate_pair, actor, pair_id)
    form = PairDecisionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        decide, message = _DECIDE[form.cleaned_data["same_person"]]
        try:
            decide(actor=actor, candidate=pair, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, message)
            return redirect(reverse("web:linkage-review"))
    return render(
        request,
        "linkage/review_pair.html",
        {
            "pair": pair,
            "side_a": _side(pair.person_a),
            "side_b": _side(pair.person_b),
            "evidence": evidence_rows(pair.comparisons),
            "percent": probability_percent(pair.match_probability),
            "form": form,
        },
    )


@declares(Capability.LINK_REVIEW)
def review_pair_reopen_view(request: HttpRequest, pair_id: uuid.UUID) -> HttpResponse:
    """A decision found to be wrong goes back to the queue, with a reason (the earlier decision
    stays in the ledger). Enforced and recorded like the pair page."""
    actor = actor_of(request)
    pair = or_404(access_candidate_pair, actor, pair_id)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            candidate_reopen(actor=actor, candidate=pair, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, "The decision was reopened: the pair is waiting for review")
            return redirect(reverse("web:linkage-review-pair", kwargs={"pair_id": pair.pk}))
    return render(
        request,
        "linkage/review_reopen.html",
        {"pair": pair, "percent": probability_percent(pair.match_probability), "form": form},
    )


# ---------------------------------------------------------------------------------------------
# Linkage status and model versions
# ---------------------------------------------------------------------------------------------


@requires(Capability.LINKAGE_MANAGE)
def linkage_status_view(request: HttpRequest) -> HttpResponse:
    """The model in use, its versions, recent runs and counts (no personal data)."""
    status = linkage_status()
    return render(
        request,
        "linkage/status.html",
        {"status": status, "models": list(linkage_model_list())},
    )


@requires(Capability.LINKAGE_MANAGE)
def linkage_model_activate_view(request: HttpRequest, version: int) -> HttpResponse:
    """POST: use this model version from now on (identity search and later linkage runs)."""
    actor = actor_of(request)
    model = or_404(access_linkage_model, actor, version)
    if request.method != "POST":
        return redirect(reverse("web:linkage-status"))
    linkage_model_activate(actor=actor, model=model)
    messages.success(request, f"Version {model.version} of the linkage model is now in use")
    return redirect(reverse("web:linkage-status"))
