"""Disclosures after they are issued: the lists ("shared with me", "awaiting my acknowledgement",
"shared by us", "awaiting read-back confirmation"), the disclosure page (its content while the
recipient may still read it, "no longer available" after expiry or revocation, the metadata
always), the recipient's steps (acknowledge, accept the undertaking, say what I understood), the
sharer's (confirm or correct the read-back, revoke, correct or retract an item) and the PDF.

Thin views: parse, ``access_*``, one service or selector, render. The services decide who may
take each step; a refused step is shown in the error summary and changes nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import (
    access_disclosure,
    access_disclosure_content,
    access_disclosure_pdf,
    access_item,
    record_disclosure_list_read,
)
from safeshare.access.policy import may_read_disclosure_content
from safeshare.access.scopes import correction_notices_visible_to, disclosures_visible_to
from safeshare.agencies.models import Practitioner
from safeshare.core.exceptions import DomainError
from safeshare.disclosures import services
from safeshare.disclosures.models import Disclosure
from safeshare.disclosures.pdf import disclosure_pdf
from safeshare.disclosures.render import render_disclosure
from safeshare.disclosures.selectors import (
    disclosure_content_view,
    disclosures_awaiting_acknowledgement,
    disclosures_awaiting_read_back_confirmation,
    disclosures_outside_agreement,
    disclosures_shared_by,
    disclosures_shared_with,
    outside_agreement_by_recipient,
)
from safeshare.web.forms.disclosures import (
    EmptyForm,
    ItemCorrectionForm,
    ReadBackConfirmForm,
    ReadBackCorrectionForm,
    ReadBackForm,
    RevokeForm,
)
from safeshare.web.views.base import actor_of, or_404, render_domain_error, requires

UNDERTAKING = (
    "I will use this information only for the purpose stated.",
    "I will not share it with anyone else without a sharing decision of my own, recorded in my "
    "agency.",
    "I will keep it secure and delete it, and any copy, by the date it expires, or sooner if "
    "the sharing agency asks me to.",
    "I will tell the sharing agency at once if I think any of it is wrong.",
)


def disclosure_url(disclosure: Disclosure) -> str:
    return reverse("web:disclosure-detail", kwargs={"disclosure_id": disclosure.pk})


# --- Lists ---------------------------------------------------------------------------------------

_LISTS: dict[str, tuple[str, str]] = {
    "shared-with-me": ("Shared with me", "Information other agencies have shared with you."),
    "awaiting-acknowledgement": (
        "Awaiting my acknowledgement",
        "Shared with you and not yet acknowledged. Acknowledge each as soon as you receive it.",
    ),
    "shared-by-us": ("Shared by us", "Information your agency has shared, newest first."),
    "awaiting-confirmation": (
        "Awaiting read-back confirmation",
        "Recipients have said what they understood: confirm it, or correct it.",
    ),
    "outside-agreement": (
        "Shared outside any agreement",
        "One-off shares on consent, and urgent shares, that no information sharing agreement "
        "covered. Routine sharing needs an agreement: where one agency keeps appearing, ask for "
        "one (ICO 10 step guide, step 6).",
    ),
}


def _listed(actor: Practitioner, which: str) -> list[Disclosure]:
    scoped = disclosures_visible_to(actor)
    if which == "shared-with-me":
        shown = disclosures_shared_with(disclosures=scoped, recipient=actor)
    elif which == "awaiting-acknowledgement":
        shown = disclosures_awaiting_acknowledgement(disclosures=scoped, recipient=actor)
    elif which == "shared-by-us":
        shown = disclosures_shared_by(disclosures=scoped, agency=actor.agency)
    elif which == "outside-agreement":
        shown = disclosures_outside_agreement(disclosures=scoped, agency=actor.agency)
    else:
        shown = disclosures_awaiting_read_back_confirmation(disclosures=scoped, agency=actor.agency)
    disclosures = list(shown)
    record_disclosure_list_read(actor=actor, disclosures=disclosures)
    return disclosures


def _list_view(request: HttpRequest, which: str) -> HttpResponse:
    title, intro = _LISTS[which]
    disclosures = _listed(actor_of(request), which)
    by_recipient = (
        outside_agreement_by_recipient(disclosures) if which == "outside-agreement" else []
    )
    return render(
        request,
        "disclosures/list.html",
        {
            "title": title,
            "intro": intro,
            "which": which,
            "disclosures": disclosures,
            "by_recipient": by_recipient,
            "tabs": [(key, label) for key, (label, _) in _LISTS.items()],
        },
    )


@requires(Capability.DISCLOSURE_VIEW)
def shared_with_me_view(request: HttpRequest) -> HttpResponse:
    return _list_view(request, "shared-with-me")


@requires(Capability.DISCLOSURE_VIEW)
def awaiting_acknowledgement_view(request: HttpRequest) -> HttpResponse:
    return _list_view(request, "awaiting-acknowledgement")


@requires(Capability.DISCLOSURE_VIEW)
def shared_by_us_view(request: HttpRequest) -> HttpResponse:
    return _list_view(request, "shared-by-us")


@requires(Capability.DISCLOSURE_VIEW)
def outside_agreement_view(request: HttpRequest) -> HttpResponse:
    return _list_view(request, "outside-agreement")


@requires(Capability.DISCLOSURE_VIEW)
def awaiting_confirmation_view(request: HttpRequest) -> HttpResponse:
    return _list_view(request, "awaiting-confirmation")


# --- One disclosure ------------------------------------------------------------------------------


def _content(actor: Practitioner, disclosure: Disclosure) -> str:
    """The rendered content while the actor may read it, else "" (no longer available)."""
    if not may_read_disclosure_content(actor, disclosure):
        return ""
    readable = access_disclosure_content(actor, disclosure.pk)
    # render_disclosure escapes every value it is given: its output is safe HTML.
    return mark_safe(render_disclosure(disclosure_content_view(disclosure=readable)))  # noqa: S308


def _render_detail(
    request: HttpRequest, disclosure: Disclosure, form: EmptyForm | None = None
) -> HttpResponse:
    actor = actor_of(request)
    return render(
        request,
        "disclosures/detail.html",
        {
            "disclosure": disclosure,
            "rendered": _content(actor, disclosure),
            "is_recipient": disclosure.recipient_id == actor.pk,
            "is_sharer": disclosure.sharing_agency_id == actor.agency_id,
            "items": list(disclosure.items.order_by("position")),
            # A notice carries corrected words: only those the actor may read now (the recipient
            # loses them with the content, after expiry or revocation).
            "notices": list(
                correction_notices_visible_to(actor)
                .filter(disclosure=disclosure)
                .select_related("correction")
            ),
            "recalls": list(disclosure.recall_requests.all()),
            "form": form or EmptyForm(),
        },
    )


@requires(Capability.DISCLOSURE_VIEW)
def disclosure_detail_view(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    disclosure = or_404(access_disclosure, actor_of(request), disclosure_id)
    return _render_detail(request, disclosure)


@requires(Capability.DISCLOSURE_VIEW)
def disclosure_issued_view(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    disclosure = or_404(
        access_disclosure, actor_of(request), disclosure_id, need=Capability.DISCLOSURE_ISSUE
    )
    return render(request, "disclosures/issued.html", {"disclosure": disclosure})


@requires(Capability.DISCLOSURE_VIEW)
def disclosure_pdf_view(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    """The disclosure as a PDF, for its recipient while readable (the export is a recorded read),
    built by the same selector as the recipient's page and the preview."""
    disclosure = or_404(access_disclosure_pdf, actor_of(request), disclosure_id)
    pdf = disclosure_pdf(disclosure_content_view(disclosure=disclosure))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="disclosure-{disclosure.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- The recipient's steps -----------------------------------------------------------------------


def _step(request: HttpRequest, disclosure_id: uuid.UUID, take: Any, done: str) -> HttpResponse:
    """A one-button step on the disclosure page: POST only; a refusal shows on the page."""
    actor = actor_of(request)
    disclosure = or_404(access_disclosure, actor, disclosure_id)
    if request.method != "POST":
        return redirect(disclosure_url(disclosure))
    form = EmptyForm(request.POST)
    try:
        take(actor=actor, disclosure=disclosure)
    except DomainError as exc:
        render_domain_error(form, exc)
        return _render_detail(request, disclosure, form)
    messages.success(request, done)
    return redirect(disclosure_url(disclosure))


@requires(Capability.DISCLOSURE_VIEW)
def disclosure_acknowledge_view(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    return _step(request, disclosure_id, services.disclosure_acknowledge, "Receipt acknowledged")


@requires(Capability.DISCLOSURE_VIEW)
def disclosure_undertaking_view(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    """The undertaking in full, and the button to accept it."""
    actor = actor_of(request)
    disclosure = or_404(access_disclosure, actor, disclosure_id)
    form = EmptyForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.disclosure_accept_undertaking(actor=actor, disclosure=disclosure)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, "Undertaking accepted")
            return redirect(disclosure_url(disclosure))
    return render(
        request,
        "disclosures/undertaking.html",
        {"disclosure": disclosure, "form": form, "undertaking": UNDERTAKING},
    )


def _form_page(
    request: HttpRequest,
    disclosure_id: uuid.UUID,
    *,
    need: Capability,
    form_class: Any,
    take: Any,
    done: str,
    template: str,
    **context: Any,
) -> HttpResponse:
    """A page with one form for one service on the disclosure; a refusal shows on the form."""
    actor = actor_of(request)
    disclosure = or_404(access_disclosure, actor, disclosure_id, need=need)
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            take(actor=actor, disclosure=disclosure, **form.cleaned_data)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(disclosure_url(disclosure))
    return render(request, template, {"disclosure": disclosure, "form": form, **context})


@requires(Capability.DISCLOSURE_VIEW)
def disclosure_read_back_view(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    return _form_page(
        request,
        disclosure_id,
        need=Capability.DISCLOSURE_VIEW,
        form_class=ReadBackForm,
        take=services.disclosure_read_back,
        done="Thank you: the sharer will confirm or correct what you understood",
        template="disclosures/form.html",
        title="What I understood",
        button="Send to the sharer",
    )


# --- The sharer's steps --------------------------------------------------------------------------


@requires(Capability.DISCLOSURE_ISSUE)
def disclosure_confirm_view(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    return _form_page(
        request,
        disclosure_id,
        need=Capability.DISCLOSURE_ISSUE,
        form_class=ReadBackConfirmForm,
        take=services.disclosure_read_back_confirm,
        done="Understanding confirmed",
        template="disclosures/form.html",
        title="Confirm what the recipient understood",
        button="Confirm",
        show_read_back=True,
    )


@requires(Capability.DISCLOSURE_ISSUE)
def disclosure_correct_view(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    return _form_page(
        request,
        disclosure_id,
        need=Capability.DISCLOSURE_ISSUE,
        form_class=ReadBackCorrectionForm,
        take=services.disclosure_read_back_correct,
        done="Correction sent: the recipient will say again what they understood",
        template="disclosures/form.html",
        title="Correct what the recipient understood",
        button="Send the correction",
        show_read_back=True,
    )


@requires(Capability.DISCLOSURE_ISSUE)
def disclosure_revoke_view(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    return _form_page(
        request,
        disclosure_id,
        need=Capability.DISCLOSURE_ISSUE,
        form_class=RevokeForm,
        take=services.disclosure_revoke,
        done="Disclosure revoked: the recipient can no longer read it",
        template="disclosures/form.html",
        title="Revoke this disclosure",
        button="Revoke",
        warning=True,
    )


@requires(Capability.DISCLOSURE_ISSUE)
def item_correction_view(
    request: HttpRequest, disclosure_id: uuid.UUID, item_id: uuid.UUID
) -> HttpResponse:
    """Correct or retract a shared item: every recipient of it is sent a notice."""
    actor = actor_of(request)
    disclosure = or_404(access_disclosure, actor, disclosure_id, need=Capability.DISCLOSURE_ISSUE)
    item = or_404(access_item, actor, item_id, need=Capability.ITEM_EDIT)
    form = ItemCorrectionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.item_correction_issue(actor=actor, item=item, **form.cleaned_data)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, "Sent to every recipient of the item")
            return redirect(disclosure_url(disclosure))
    return render(
        request,
        "disclosures/item_correction.html",
        {"disclosure": disclosure, "item": item, "form": form},
    )
