"""A case's chronology (its own items and the received items added to it), adding received
items to one of our own cases, and asking recipients to delete what was shared on a withdrawn
consent.

Thin views: parse, ``access_*``, one service or selector, render; a refused step is shown in
the error summary and changes nothing. The routes do what the API's do, through the same access
functions, capabilities and services.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import (
    access_case,
    access_consent,
    access_disclosure_content,
    record_case_list_read,
    record_chronology_received_read,
)
from safeshare.access.scopes import cases_editable_by
from safeshare.cases.models import Case
from safeshare.cases.selectors import case_list
from safeshare.consent.models import Consent
from safeshare.consent.selectors import recalls_for_consent, recalls_open
from safeshare.core import clock
from safeshare.core.exceptions import DomainError
from safeshare.disclosures import services
from safeshare.disclosures.chronology import (
    Chronology,
    case_chronology,
    chronology_filtered,
    chronology_filters_described,
    chronology_print_view,
)
from safeshare.disclosures.models import Disclosure
from safeshare.disclosures.pdf import chronology_pdf
from safeshare.web.forms.chronology import OURS, RECEIVED, AddToCaseForm, ChronologyFilterForm
from safeshare.web.forms.disclosures import EmptyForm
from safeshare.web.views.base import actor_of, or_404, render_domain_error, requires

_RECEIVED = {OURS: False, RECEIVED: True}

# --- A case's chronology -------------------------------------------------------------------------


def _chronology(
    request: HttpRequest, case_id: uuid.UUID
) -> tuple[Case, ChronologyFilterForm, Chronology, tuple[str, ...]]:
    """The case (a recorded read), the filter form, the filtered chronology (its received
    content read, recorded) and the filters described: one path for the page and the PDF."""
    actor = actor_of(request)
    case = or_404(access_case, actor, case_id)
    form = ChronologyFilterForm(request.GET or None)
    chosen = form.filters()
    received = _RECEIVED.get(chosen["source"])
    chronology = chronology_filtered(
        case_chronology(case=case), received=received, category=chosen["category"]
    )
    record_chronology_received_read(actor=actor, disclosures=chronology.shown_disclosures)
    described = chronology_filters_described(received=received, category=chosen["category"])
    return case, form, chronology, described


@requires(Capability.CASE_VIEW)
def case_chronology_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Own and received entries, oldest first; received words hidden after expiry/revocation."""
    case, form, chronology, _ = _chronology(request, case_id)
    pdf_url = reverse("web:case-chronology-pdf", kwargs={"case_id": case.pk})
    query = request.GET.urlencode()
    return render(
        request,
        "cases/chronology.html",
        {
            "case": case,
            "entries": chronology.entries,
            "form": form,
            "pdf_url": f"{pdf_url}?{query}" if query else pdf_url,
        },
    )


@requires(Capability.CASE_VIEW)
def case_chronology_pdf_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The chronology page's entries (same access, same filters, same recorded reads) as a
    PDF, watermarked with the case, who printed it and when."""
    case, _, chronology, described = _chronology(request, case_id)
    view = chronology_print_view(
        chronology,
        printed_by=actor_of(request).full_name,
        generated_at=clock.now(),
        filters=described,
    )
    response = HttpResponse(chronology_pdf(view), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chronology-{case.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- Received items into one of our cases --------------------------------------------------------


def _editable_cases(request: HttpRequest) -> list[tuple[str, str]]:
    """The actor's own agency's open cases that they may edit; each offered names a child, so
    the list is a recorded read."""
    actor = actor_of(request)
    cases = list(case_list(cases=cases_editable_by(actor)))
    record_case_list_read(actor=actor, cases=cases)
    return [(str(c.pk), f"{c.reference}: {c.subject.display_name}") for c in cases]


@requires(Capability.DISCLOSURE_VIEW)
def disclosure_add_to_case_view(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    """The named recipient adds everything received to one of their own cases' chronology."""
    actor = actor_of(request)
    disclosure: Disclosure = or_404(access_disclosure_content, actor, disclosure_id)
    form = AddToCaseForm(
        request.POST if request.method == "POST" else None, cases=_editable_cases(request)
    )
    if form.is_valid():
        case = or_404(access_case, actor, form.cleaned_data["case"], need=Capability.CASE_EDIT)
        try:
            links = services.received_items_add_to_case(
                actor=actor, disclosure=disclosure, case=case
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            added = len(links)
            messages.success(
                request,
                f"{added} item{'' if added == 1 else 's'} added to case {case.reference}",
            )
            return redirect(reverse("web:case-chronology", kwargs={"case_id": case.pk}))
    return render(request, "disclosures/add_to_case.html", {"disclosure": disclosure, "form": form})


# --- Recall requests for a withdrawn consent -----------------------------------------------------


def _recalls_page(
    request: HttpRequest, consent: Consent, form: EmptyForm | None = None
) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "consents/recalls.html",
        {
            "consent": consent,
            "person": consent.person,
            "recalls": list(recalls_for_consent(consent=consent)),
            "open_recalls": recalls_open(agency=actor.agency).filter(consent=consent).count(),
            "form": form or EmptyForm(),
        },
    )


@requires(Capability.DISCLOSURE_ISSUE)
def consent_recalls_view(request: HttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    """A withdrawn consent's recalls; "Ask recipients to delete" sends the recall requests."""
    actor = actor_of(request)
    consent = or_404(access_consent, actor, consent_id, need=Capability.CONSENT_RECORD)
    if request.method != "POST":
        return _recalls_page(request, consent)
    form = EmptyForm(request.POST)
    try:
        sent = services.consent_recalls_send(actor=actor, consent=consent)
    except DomainError as exc:
        render_domain_error(form, exc)
        return _recalls_page(request, consent, form)
    count = len(sent)
    messages.success(
        request, f"{count} recall request{'' if count == 1 else 's'} sent to recipients"
    )
    return redirect(reverse("web:consent-recalls", kwargs={"consent_id": consent.pk}))
