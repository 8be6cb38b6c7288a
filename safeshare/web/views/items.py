"""Recording an information item in a case, correcting one, and reading its history."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import access_item
from safeshare.cases.selectors import item_revisions
from safeshare.cases.services import item_create, item_update
from safeshare.core.exceptions import DomainError, NotFound
from safeshare.web.forms.items import ItemForm
from safeshare.web.views.base import actor_of, not_found, or_404, render_domain_error, requires
from safeshare.web.views.cases import case_or_404, case_url


@requires(Capability.ITEM_CREATE)
def item_create_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    case = case_or_404(actor, case_id, Capability.ITEM_CREATE)
    form = ItemForm(
        request.POST if request.method == "POST" else None, case=case, with_reason=False
    )
    if form.is_valid():
        try:
            item = item_create(actor=actor, case=case, **form.service_arguments())
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"Information recorded: {item.summary}")
            return redirect(f"{case_url(case)}#item-{item.pk}")
    return render(
        request, "items/form.html", {"form": form, "case": case, "title": "Record information"}
    )


@requires(Capability.ITEM_EDIT)
def item_edit_view(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    try:
        item = access_item(actor, item_id, need=Capability.ITEM_EDIT)
    except NotFound:
        not_found()
    form = ItemForm(
        request.POST if request.method == "POST" else None,
        initial=ItemForm.initial_from(item),
        case=item.case,
        with_reason=True,
    )
    if form.is_valid():
        try:
            item_update(actor=actor, item=item, **form.service_arguments())
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"Information corrected: {item.summary}")
            return redirect(f"{case_url(item.case)}#item-{item.pk}")
    return render(
        request,
        "items/form.html",
        {"form": form, "case": item.case, "item": item, "title": "Correct information"},
    )


@requires(Capability.ITEM_VIEW)
def item_history_view(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    """The item as it stands and every earlier wording: who corrected it, when and why."""
    actor = actor_of(request)
    item = or_404(access_item, actor, item_id, need=Capability.ITEM_VIEW)
    return render(
        request,
        "items/history.html",
        {"item": item, "case": item.case, "revisions": item_revisions(item=item)},
    )
