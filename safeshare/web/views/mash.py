"""MASH triage: the timescales dashboard, the contact queue, record a contact (with check your
answers), a contact's page, send enquiries to partner agencies, RAG rating, outcome, close.

Thin views: parse, ``access_*`` (which records each read), one service or selector, render. Who
may do what is decided by ``safeshare.access``; what must be true by ``safeshare.mash.services``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import (
    access_agency,
    access_mash_contact,
    access_mash_officer,
    access_mash_partner_agency,
    record_mash_contact_list_read,
    record_mash_dashboard_read,
)
from safeshare.access.policy import has_capability, may_triage_mash_contact
from safeshare.access.scopes import (
    agencies_visible_to,
    mash_contacts_visible_to,
    mash_enquiries_visible_to,
    mash_officers_for,
    mash_partner_agencies_for,
)
from safeshare.agencies.models import Practitioner
from safeshare.agencies.selectors import agency_list
from safeshare.core import clock
from safeshare.core.exceptions import DomainError, NotFound
from safeshare.mash.models import MashContact
from safeshare.mash.selectors import (
    Dashboard,
    contact_list,
    contact_timescales,
    dashboard,
    enquiry_rows,
    open_enquiries,
)
from safeshare.mash.services import (
    contact_close,
    contact_decide,
    contact_rate,
    contact_record,
    enquiries_send,
)
from safeshare.web.forms.disclosures import EmptyForm
from safeshare.web.forms.mash import (
    ContactFilterForm,
    ContactForm,
    EnquiryForm,
    OutcomeForm,
    RatingForm,
)
from safeshare.web.forms.times import format_time
from safeshare.web.templatetags.govuk import error_anchor
from safeshare.web.views.base import actor_of, or_404, render_domain_error, requires

CONTACTS_PER_PAGE = 25


def contact_url(contact: MashContact) -> str:
    return reverse("web:mash-contact", kwargs={"contact_id": contact.pk})


# --- The dashboard -------------------------------------------------------------------------------

_CHART_HEIGHT = 120
_BAR_WIDTH = 48
_BAR_GAP = 56


def _chart(figures: Dashboard) -> dict[str, Any]:
    """Bar geometry for the server-rendered SVG of open contacts by stage, each bar split into
    on time and overdue (presentation only)."""
    top = max((stage.total for stage in figures.stages), default=0) or 1
    bars = []
    for index, stage in enumerate(figures.stages):
        total_height = round(_CHART_HEIGHT * stage.total / top)
        overdue_height = round(_CHART_HEIGHT * stage.overdue / top)
        x = _BAR_GAP // 2 + index * (_BAR_WIDTH + _BAR_GAP)
        bars.append(
            {
                "stage": stage,
                "x": x,
                "label_x": x + _BAR_WIDTH // 2,
                "y": _CHART_HEIGHT - total_height,
                "height": total_height - overdue_height,
                "overdue_y": _CHART_HEIGHT - overdue_height,
                "overdue_height": overdue_height,
            }
        )
    return {
        "bars": bars,
        "top": top,
        "height": _CHART_HEIGHT,
        "width": len(bars) * (_BAR_WIDTH + _BAR_GAP),
        "bar_width": _BAR_WIDTH,
    }


@requires(Capability.MASH_VIEW)
def mash_dashboard_view(request: HttpRequest) -> HttpResponse:
    """Open contacts by stage (on time and overdue) and RAG rating, and overdue partner
    enquiries by agency, for the actor's hub. Counts only; looking is recorded."""
    actor = actor_of(request)
    figures = dashboard(
        contacts=mash_contacts_visible_to(actor),
        enquiries=mash_enquiries_visible_to(actor),
        now=clock.now(),
    )
    record_mash_dashboard_read(actor=actor)
    return render(
        request,
        "mash/dashboard.html",
        {
            "figures": figures,
            "chart": _chart(figures),
            "may_record": has_capability(actor, Capability.MASH_TRIAGE),
        },
    )


# --- The contact queue ---------------------------------------------------------------------------


@requires(Capability.MASH_VIEW)
def mash_contacts_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = ContactFilterForm(request.GET)
    found = contact_list(
        contacts=mash_contacts_visible_to(actor), now=clock.now(), **form.filters()
    )
    page = Paginator(found, CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_mash_contact_list_read(actor=actor, contacts=shown)
    return render(
        request,
        "mash/contacts.html",
        {
            "form": form,
            "page_obj": page,
            "contacts": shown,
            "may_record": has_capability(actor, Capability.MASH_TRIAGE),
        },
    )


# --- Recording a contact -------------------------------------------------------------------------


def _contact_form(actor: Practitioner, data: Any = None) -> ContactForm:
    agencies = agency_list(agencies=agencies_visible_to(actor), excluding=actor.agency)
    return ContactForm(
        data,
        agencies=[(str(agency.pk), agency.name) for agency in agencies],
        officers=[(str(p.pk), p.full_name) for p in mash_officers_for(actor)],
    )


def _record(actor: Practitioner, form: ContactForm) -> MashContact:
    data = form.cleaned_data
    referrer_agency = None
    if data["referrer_agency"]:
        try:
            referrer_agency = access_agency(actor, data["referrer_agency"])
        except NotFound as exc:
            raise NotFound("Select the referrer's agency", field="referrer_agency") from exc
    assigned_to = None
    if data["assigned_to"]:
        try:
            assigned_to = access_mash_officer(actor, data["assigned_to"])
        except NotFound as exc:
            raise NotFound("Select a MASH officer", field="assigned_to") from exc
    return contact_record(
        actor=actor,
        received_at=form.received_at(),
        source=data["source"],
        referrer_agency=referrer_agency,
        referrer_name=data["referrer_name"],
        referrer_role=data["referrer_role"],
        referrer_contact=data["referrer_contact"],
        parental_awareness=data["parental_awareness"],
        awareness_reason=data["awareness_reason"],
        nhs_number=data["nhs_number"],
        given_name=data["given_name"],
        family_name=data["family_name"],
        date_of_birth=data["date_of_birth"],
        postcode=data["postcode"],
        category=data["category"],
        concerns=data["concerns"],
        assigned_to=assigned_to,
    )


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _answers(form: ContactForm) -> list[dict[str, str]]:
    """What the check page shows: each question, the answer as chosen (display labels), and
    the id of the field its "Change" button returns to."""
    rows = []
    data = form.cleaned_data
    for field in form:
        if field.name == "received_time":
            continue
        value: Any = data.get(field.name)
        if field.name == "received_on":
            shown = f"{_day(value)}, {format_time(data['received_time'])}"
            rows.append({"key": "Received", "value": shown, "anchor": error_anchor(field)})
            continue
        choices = dict(getattr(field.field, "choices", []))
        if isinstance(value, dt.date):
            value = _day(value)
        elif choices:
            value = choices.get(value, value)
        rows.append(
            {
                "key": str(field.label),
                "value": "" if value is None else str(value),
                "anchor": error_anchor(field),
            }
        )
    return rows


@requires(Capability.MASH_TRIAGE)
def mash_contact_new_view(request: HttpRequest) -> HttpResponse:
    """Record a contact: the form, then check your answers (carried in hidden inputs, one per
    value), then record. Each "Change" posts the answers back to the form, every answer kept,
    at the question to change."""
    actor = actor_of(request)
    form = _contact_form(actor, request.POST if request.method == "POST" else None)
    checking = request.POST.get("step") == "check"
    if form.is_valid() and request.POST.get("action") != "change":
        if not checking:
            return render(
                request, "mash/contact_check.html", {"form": form, "rows": _answers(form)}
            )
        try:
            contact = _record(actor, form)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, "Contact recorded")
            return redirect(contact_url(contact))
    return render(request, "mash/contact_form.html", {"form": form})


# --- One contact ---------------------------------------------------------------------------------


@requires(Capability.MASH_VIEW)
def mash_contact_view(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    contact = or_404(access_mash_contact, actor, contact_id)
    now = clock.now()
    return render(
        request,
        "mash/contact.html",
        {
            "contact": contact,
            "timescales": contact_timescales(contact=contact, now=now),
            "enquiries": enquiry_rows(contact=contact, now=now),
            "may_triage": may_triage_mash_contact(actor, contact),
            "may_search": has_capability(actor, Capability.IDENTITY_SEARCH),
        },
    )


def _triage(request: HttpRequest, contact_id: uuid.UUID) -> tuple[Practitioner, MashContact]:
    actor = actor_of(request)
    return actor, or_404(access_mash_contact, actor, contact_id, need=Capability.MASH_TRIAGE)


@requires(Capability.MASH_TRIAGE)
def mash_enquiries_view(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    """Ask partner agencies what they know: one request each, due within 24 hours."""
    actor, contact = _triage(request, contact_id)
    options = [(str(agency.pk), agency.name) for agency in mash_partner_agencies_for(actor)]
    form = EnquiryForm(request.POST if request.method == "POST" else None, agencies=options)
    if form.is_valid():
        try:
            partners = [
                access_mash_partner_agency(actor, agency_id)
                for agency_id in form.cleaned_data["partner_agencies"]
            ]
            sent = enquiries_send(
                actor=actor,
                contact=contact,
                partner_agencies=partners,
                information_sought=form.cleaned_data["information_sought"],
                justification=form.cleaned_data["justification"],
            )
        except NotFound:
            form.add_error("partner_agencies", "Select partner agencies from the list")
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(
                request, f"{len(sent)} enquiries sent: answers are due within 24 hours"
            )
            return redirect(contact_url(contact))
    return render(
        request,
        "mash/enquiries.html",
        {"form": form, "contact": contact, "title": "Send enquiries to partner agencies"},
    )


@requires(Capability.MASH_TRIAGE)
def mash_rating_view(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    actor, contact = _triage(request, contact_id)
    initial = {"rating": contact.rag_rating} if contact.rag_rating else None
    form = RatingForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            contact_rate(
                actor=actor,
                contact=contact,
                rating=form.cleaned_data["rating"],
                reasons=form.cleaned_data["reasons"],
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"Rated {contact.rag_rating}")
            return redirect(contact_url(contact))
    return render(
        request,
        "mash/rating.html",
        {"form": form, "contact": contact, "title": "RAG rating"},
    )


@requires(Capability.MASH_TRIAGE)
def mash_outcome_view(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    """Record the outcome. While enquiries to partner agencies are still open the page lists
    them and asks whether to withdraw them; the service withdraws them in the same step."""
    actor, contact = _triage(request, contact_id)
    waiting = open_enquiries(contact=contact)
    form = OutcomeForm(
        request.POST if request.method == "POST" else None,
        open_enquiries=[(str(e.pk), e.partner_agency.name) for e in waiting],
    )
    if form.is_valid():
        try:
            contact_decide(
                actor=actor,
                contact=contact,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
                allocated_worker=form.cleaned_data["allocated_worker"],
                withdraw_open_enquiries=form.withdraw(),
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            done = f"Outcome recorded: {contact.get_outcome_display()}"
            if form.withdraw():
                done += "; the enquiries still open were withdrawn"
            messages.success(request, done)
            return redirect(contact_url(contact))
    return render(
        request,
        "mash/outcome.html",
        {
            "form": form,
            "contact": contact,
            "open_enquiries": waiting,
            "title": "Record the outcome",
        },
    )


@requires(Capability.MASH_TRIAGE)
def mash_close_view(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    actor, contact = _triage(request, contact_id)
    form = EmptyForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            contact_close(actor=actor, contact=contact)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, "Contact closed")
            return redirect(contact_url(contact))
    return render(
        request,
        "mash/close.html",
        {"form": form, "contact": contact, "title": "Close the contact"},
    )
