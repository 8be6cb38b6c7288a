"""After sharing: telling the individual (tasks due, mark done with how they were told),
corrections and retractions awaiting the recipient's acknowledgement, recalls outstanding (the
sharer's list) and recall requests awaiting the recipient's confirmation of deletion.

Thin views: parse, ``access_*``, one service or selector, render; a refused step is shown in
the error summary and changes nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import (
    access_correction_notice,
    access_inform_task,
    access_recall_request,
    record_case_list_read,
    record_disclosure_list_read,
)
from safeshare.access.scopes import (
    correction_notices_visible_to,
    inform_tasks_visible_to,
    recall_requests_visible_to,
)
from safeshare.core.exceptions import DomainError
from safeshare.disclosures import services
from safeshare.disclosures.selectors import (
    correction_notices_awaiting,
    inform_tasks_due,
    recall_requests_awaiting_deletion,
    recalls_outstanding,
)
from safeshare.web.forms.disclosures import EmptyForm, InformTaskForm
from safeshare.web.views.base import actor_of, or_404, render_domain_error, requires

# --- Telling the individual ----------------------------------------------------------------------


@requires(Capability.DISCLOSURE_ISSUE)
def inform_tasks_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    tasks = list(inform_tasks_due(tasks=inform_tasks_visible_to(actor), agency=actor.agency))
    record_case_list_read(actor=actor, cases=[task.case for task in tasks])
    return render(
        request, "disclosures/inform_tasks.html", {"tasks": tasks, "current": "inform-tasks"}
    )


@requires(Capability.DISCLOSURE_ISSUE)
def inform_task_view(request: HttpRequest, task_id: uuid.UUID) -> HttpResponse:
    """Record how and when the individual was told."""
    actor = actor_of(request)
    task = or_404(access_inform_task, actor, task_id)
    form = InformTaskForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.inform_task_complete(actor=actor, task=task, **form.cleaned_data)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, "Recorded: the individual was told")
            return redirect(reverse("web:inform-tasks"))
    return render(request, "disclosures/inform_task.html", {"task": task, "form": form})


# --- Corrections awaiting my acknowledgement -----------------------------------------------------


def _corrections_page(request: HttpRequest, form: EmptyForm | None = None) -> HttpResponse:
    actor = actor_of(request)
    notices = list(
        correction_notices_awaiting(notices=correction_notices_visible_to(actor), recipient=actor)
    )
    record_disclosure_list_read(actor=actor, disclosures=[n.disclosure for n in notices])
    return render(
        request,
        "disclosures/corrections.html",
        {"notices": notices, "form": form or EmptyForm(), "current": "corrections"},
    )


@requires(Capability.DISCLOSURE_VIEW)
def corrections_view(request: HttpRequest) -> HttpResponse:
    return _corrections_page(request)


@requires(Capability.DISCLOSURE_VIEW)
def correction_acknowledge_view(request: HttpRequest, notice_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    notice = or_404(access_correction_notice, actor, notice_id)
    if request.method != "POST":
        return redirect(reverse("web:corrections"))
    return _one_button(
        request,
        lambda: services.correction_notice_acknowledge(actor=actor, notice=notice),
        done="Correction acknowledged",
        then="web:corrections",
        page=_corrections_page,
    )


# --- Recalls -------------------------------------------------------------------------------------


@requires(Capability.DISCLOSURE_ISSUE)
def recalls_outstanding_view(request: HttpRequest) -> HttpResponse:
    """Recall requests my agency sent whose recipient has not confirmed deletion."""
    actor = actor_of(request)
    shown = list(
        recalls_outstanding(requests=recall_requests_visible_to(actor), agency=actor.agency)
    )
    record_disclosure_list_read(actor=actor, disclosures=[r.disclosure for r in shown])
    return render(request, "disclosures/recalls.html", {"recalls": shown, "current": "recalls"})


def _to_delete_page(request: HttpRequest, form: EmptyForm | None = None) -> HttpResponse:
    actor = actor_of(request)
    shown = list(
        recall_requests_awaiting_deletion(
            requests=recall_requests_visible_to(actor), recipient=actor
        )
    )
    record_disclosure_list_read(actor=actor, disclosures=[r.disclosure for r in shown])
    return render(
        request,
        "disclosures/recalls_to_delete.html",
        {"recalls": shown, "form": form or EmptyForm(), "current": "to-delete"},
    )


@requires(Capability.DISCLOSURE_VIEW)
def recalls_to_delete_view(request: HttpRequest) -> HttpResponse:
    return _to_delete_page(request)


@requires(Capability.DISCLOSURE_VIEW)
def recall_confirm_deletion_view(
    request: HttpRequest, recall_request_id: uuid.UUID
) -> HttpResponse:
    actor = actor_of(request)
    recall_request = or_404(access_recall_request, actor, recall_request_id)
    if request.method != "POST":
        return redirect(reverse("web:recalls-to-delete"))
    return _one_button(
        request,
        lambda: services.recall_request_confirm_deletion(
            actor=actor, recall_request=recall_request
        ),
        done="Deletion confirmed",
        then="web:recalls-to-delete",
        page=_to_delete_page,
    )


def _one_button(
    request: HttpRequest, take: Any, *, done: str, then: str, page: Any
) -> HttpResponse:
    """Take a one-button step; a refusal is shown in the list page's error summary."""
    form = EmptyForm(request.POST)
    try:
        take()
    except DomainError as exc:
        render_domain_error(form, exc)
        response: HttpResponse = page(request, form)
        return response
    messages.success(request, done)
    return redirect(reverse(then))
