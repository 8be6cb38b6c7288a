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
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import (
    access_case,
    access_consent,
    record_chronology_received_read,
)
from safeshare.access.scopes import disclosures_visible_to
from safeshare.cases.models import Case
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
    chronology_narrowed,
    chronology_print_view,
)
from safeshare.disclosures.pdf import chronology_pdf
from safeshare.web.forms.chronology import (
    NEWEST,
    OLDEST,
    OURS,
    RECEIVED,
    ChronologyFilterForm,
)
from safeshare.web.forms.disclosures import EmptyForm
from safeshare.web.views.base import actor_of, or_404, render_domain_error, requires

_RECEIVED = {OURS: False, RECEIVED: True}
ENTRIES_PER_PAGE = 50

# --- A case's chronology -------------------------------------------------------------------------


def _chronology(
    request: HttpRequest, case_id: uuid.UUID
) -> tuple[Case, ChronologyFilterForm, Chronology, tuple[str, ...]]:
    """The case (a recorded read), the filter form, the filtered chronology in the order asked
    for (newest first unless ``order=oldest``) and the filters described: one path for the page
    and the PDF. The caller records the reads of the received content it shows."""
    actor = actor_of(request)
    case = or_404(access_case, actor, case_id)
    form = ChronologyFilterForm(request.GET or None)
    chosen = form.filters()
    received = _RECEIVED.get(chosen["source"])
    chronology = chronology_filtered(
        case_chronology(
            case=case,
            oldest_first=chosen["order"] == OLDEST,
            readable=disclosures_visible_to(actor),
        ),
        received=received,
        category=chosen["category"],
    )
    described = chronology_filters_described(received=received, category=chosen["category"])
    return case, form, chronology, described


def _without_page(request: HttpRequest) -> QueryDict:
    """The page's query (its filters and order), from page one."""
    query = request.GET.copy()
    query.pop("page", None)
    return query


def _order_switch(request: HttpRequest, *, oldest_first: bool) -> str:
    """The query string of the link to the other order: the same filters, from page one."""
    query = _without_page(request)
    query["order"] = NEWEST if oldest_first else OLDEST
    return query.urlencode()


@requires(Capability.CASE_VIEW)
def case_chronology_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Own and received entries, newest first (oldest first with ``order=oldest``, kept across
    the pages and the filters), a page at a time; received words hidden after
    expiry/revocation. The received content on the page shown is a recorded read."""
    case, form, chronology, _ = _chronology(request, case_id)
    page = Paginator(chronology.entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    shown = chronology_narrowed(chronology, entries=list(page.object_list))
    record_chronology_received_read(actor=actor_of(request), disclosures=shown.shown_disclosures)
    pdf_url = reverse("web:case-chronology-pdf", kwargs={"case_id": case.pk})
    pdf_query = _without_page(request).urlencode()
    return render(
        request,
        "cases/chronology.html",
        {
            "case": case,
            "entries": shown.entries,
            "page_obj": page,
            "form": form,
            "oldest_first": chronology.oldest_first,
            "order": OLDEST if chronology.oldest_first else NEWEST,
            "order_switch_query": _order_switch(request, oldest_first=chronology.oldest_first),
            "pdf_url": f"{pdf_url}?{pdf_query}" if pdf_query else pdf_url,
        },
    )


@requires(Capability.CASE_VIEW)
def case_chronology_pdf_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The chronology page's entries, every page of them (same access, same filters, same order,
    the received content printed a recorded read) as a PDF, watermarked with the case, who
    printed it and when."""
    case, _, chronology, described = _chronology(request, case_id)
    record_chronology_received_read(
        actor=actor_of(request), disclosures=chronology.shown_disclosures
    )
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
