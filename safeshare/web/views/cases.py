"""Case pages: the case list, opening a case for a new child, the case page and its status.

Thin views: parse the input, obtain records through ``safeshare.access``, call one service or
selector, render. Missing and forbidden cases answer with the same 404 page.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import access_case, record_case_list_read
from safeshare.access.policy import can
from safeshare.access.scopes import cases_visible_to
from safeshare.agencies.models import Practitioner
from safeshare.cases.models import Case
from safeshare.cases.selectors import case_items, case_list
from safeshare.cases.services import case_open_for_new_child, case_set_status
from safeshare.core.exceptions import DomainError, NotFound
from safeshare.web.forms.cases import CaseFilterForm, CaseStatusForm, NewChildCaseForm
from safeshare.web.views.base import actor_of, not_found, render_domain_error, requires

CASES_PER_PAGE = 25


def case_or_404(actor: Practitioner, case_id: uuid.UUID, need: Capability) -> Case:
    try:
        return access_case(actor, case_id, need=need)
    except NotFound:
        not_found()


def case_url(case: Case) -> str:
    return reverse("web:case-detail", kwargs={"case_id": case.pk})


@requires(Capability.CASE_LIST)
def case_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = CaseFilterForm(request.GET)
    cases = case_list(cases=cases_visible_to(actor), **form.filters())
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    record_case_list_read(actor=actor, cases=list(page.object_list))
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page_obj": page,
            "searched": bool(request.GET.get("q") or request.GET.get("status")),
            "may_create": can(actor, Capability.CASE_CREATE),
        },
    )


@requires(Capability.CASE_CREATE)
def case_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = NewChildCaseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            case = case_open_for_new_child(
                actor=actor, agency=actor.agency, **form.service_arguments()
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"Case {case.reference} opened")
            return redirect(case_url(case))
    return render(request, "cases/create.html", {"form": form})


@requires(Capability.CASE_VIEW)
def case_detail_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    case = case_or_404(actor, case_id, Capability.CASE_VIEW)
    may_see_items = can(actor, Capability.ITEM_VIEW, case)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "items": case_items(case=case) if may_see_items else None,
            "may_add_item": can(actor, Capability.ITEM_CREATE, case),
            "may_edit_items": can(actor, Capability.ITEM_EDIT, case),
            "may_change_status": can(actor, Capability.CASE_EDIT, case),
        },
    )


@requires(Capability.CASE_EDIT)
def case_status_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    case = case_or_404(actor, case_id, Capability.CASE_EDIT)
    form = CaseStatusForm(
        request.POST if request.method == "POST" else None, initial={"status": case.status}
    )
    if form.is_valid():
        try:
            case_set_status(actor=actor, case=case, status=form.cleaned_data["status"])
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"Status changed to {case.get_status_display()}")
            return redirect(case_url(case))
    return render(request, "cases/status.html", {"case": case, "form": form})
