"""Case pages: the case list, opening a case for a new child, the case page and its status, the
people involved in a case, and who is allocated to it (allocate, reallocate, end).

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
from safeshare.access.casework import (
    access_allocatable_practitioner,
    access_allocation,
    access_involvement,
)
from safeshare.access.fetch import access_case, record_case_list_read
from safeshare.access.policy import can
from safeshare.access.scopes import allocatable_practitioners_for, cases_visible_to
from safeshare.agencies.models import Practitioner
from safeshare.cases.models import Case
from safeshare.cases.selectors import case_allocations, case_involvements, case_items, case_list
from safeshare.cases.services import (
    allocation_add,
    allocation_end,
    case_open_for_new_child,
    case_reallocate,
    case_set_status,
    involvement_add_new_person,
    involvement_end,
)
from safeshare.core.exceptions import DomainError, NotFound
from safeshare.web.forms.cases import CaseFilterForm, CaseStatusForm, NewChildCaseForm
from safeshare.web.forms.casework import (
    AllocationEndForm,
    AllocationForm,
    InvolvementEndForm,
    NewPersonInvolvementForm,
    ReallocationForm,
)
from safeshare.web.views.base import (
    actor_of,
    not_found,
    or_404,
    posted,
    render_domain_error,
    requires,
)

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
    may_edit_case = can(actor, Capability.CASE_EDIT, case)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "items": case_items(case=case) if may_see_items else None,
            "may_add_item": can(actor, Capability.ITEM_CREATE, case),
            "may_edit_items": can(actor, Capability.ITEM_EDIT, case),
            "may_change_status": may_edit_case,
            "may_edit_case": may_edit_case,
            "involvements": case_involvements(case=case),
            "allocations": case_allocations(case=case),
            "may_allocate": can(actor, Capability.CASE_ALLOCATE, case),
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


# --- The people involved in a case ----------------------------------------------------------------


@requires(Capability.CASE_EDIT)
def case_person_add_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Record someone new to the agency (a parent, a partner, an informant...) in the case."""
    actor = actor_of(request)
    case = case_or_404(actor, case_id, Capability.CASE_EDIT)
    form = NewPersonInvolvementForm(posted(request))
    if form.is_valid():
        try:
            involvement = involvement_add_new_person(actor=actor, case=case, **form.cleaned_data)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(
                request,
                f"{involvement.person.display_name} added as "
                f"{involvement.get_relationship_display().lower()}",
            )
            return redirect(f"{case_url(case)}#people-involved")
    return render(request, "cases/person_add.html", {"case": case, "form": form})


@requires(Capability.CASE_EDIT)
def involvement_end_view(request: HttpRequest, involvement_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    involvement = or_404(access_involvement, actor, involvement_id, need=Capability.CASE_EDIT)
    form = InvolvementEndForm(posted(request))
    if form.is_valid():
        try:
            involvement_end(
                actor=actor, involvement=involvement, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(
                request, f"{involvement.person.display_name} is no longer recorded as involved"
            )
            return redirect(f"{case_url(involvement.case)}#people-involved")
    return render(
        request,
        "cases/involvement_end.html",
        {"case": involvement.case, "involvement": involvement, "form": form},
    )


# --- Allocations -----------------------------------------------------------------------------


def _practitioner_choices(actor: Practitioner, case: Case) -> list[tuple[str, str]]:
    return [
        (str(p.pk), f"{p.full_name}, {p.job_title}" if p.job_title else p.full_name)
        for p in allocatable_practitioners_for(actor, case)
    ]


def _chosen_practitioner(actor: Practitioner, case: Case, raw_id: str) -> Practitioner:
    try:
        return access_allocatable_practitioner(actor, case, raw_id)
    except NotFound as exc:
        raise NotFound("Select the practitioner", field="practitioner") from exc


@requires(Capability.CASE_ALLOCATE)
def case_allocate_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    case = case_or_404(actor, case_id, Capability.CASE_ALLOCATE)
    form = AllocationForm(posted(request), practitioners=_practitioner_choices(actor, case))
    if form.is_valid():
        try:
            practitioner = _chosen_practitioner(actor, case, form.cleaned_data["practitioner"])
            allocation_add(
                actor=actor, case=case, practitioner=practitioner, role=form.cleaned_data["role"]
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"Case allocated to {practitioner.full_name}")
            return redirect(f"{case_url(case)}#allocations")
    return render(request, "cases/allocate.html", {"case": case, "form": form})


@requires(Capability.CASE_ALLOCATE)
def allocation_reallocate_view(request: HttpRequest, allocation_id: uuid.UUID) -> HttpResponse:
    """End the current allocation and allocate another practitioner, in one step."""
    actor = actor_of(request)
    allocation = or_404(access_allocation, actor, allocation_id, need=Capability.CASE_ALLOCATE)
    case = allocation.case
    choices = [
        choice
        for choice in _practitioner_choices(actor, case)
        if choice[0] != str(allocation.practitioner_id)
    ]
    form = ReallocationForm(posted(request), practitioners=choices)
    if form.is_valid():
        try:
            practitioner = _chosen_practitioner(actor, case, form.cleaned_data["practitioner"])
            case_reallocate(
                actor=actor,
                allocation=allocation,
                practitioner=practitioner,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(
                request,
                f"Case reallocated from {allocation.practitioner.full_name} "
                f"to {practitioner.full_name}",
            )
            return redirect(f"{case_url(case)}#allocations")
    return render(
        request,
        "cases/reallocate.html",
        {"case": case, "allocation": allocation, "form": form},
    )


@requires(Capability.CASE_ALLOCATE)
def allocation_end_view(request: HttpRequest, allocation_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    allocation = or_404(access_allocation, actor, allocation_id, need=Capability.CASE_ALLOCATE)
    form = AllocationEndForm(posted(request))
    if form.is_valid():
        try:
            allocation_end(actor=actor, allocation=allocation, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, f"{allocation.practitioner.full_name} is no longer allocated")
            return redirect(f"{case_url(allocation.case)}#allocations")
    return render(
        request,
        "cases/allocation_end.html",
        {"case": allocation.case, "allocation": allocation, "form": form},
    )
