"""After sharing: telling the individual (tasks due, mark done with how they were told),
corrections and retractions awaiting the recipient's acknowledgement, recalls outstanding (the
sharer's list), recall requests awaiting the recipient's confirmation of deletion, and the
recipient adding what they received to one of their own cases.

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
from django.utils.html import format_html

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import (
    access_case,
    access_correction_notice,
    access_disclosure_content,
    access_inform_task,
    access_recall_request,
    record_case_list_read,
    record_disclosure_list_read,
)
from safeshare.access.scopes import (
    cases_editable_by,
    correction_notices_visible_to,
    inform_tasks_visible_to,
    recall_requests_visible_to,
)
from safeshare.agencies.models import Practitioner
from safeshare.cases.models import Case
from safeshare.cases.selectors import case_list
from safeshare.core.exceptions import DomainError
from safeshare.disclosures import services
from safeshare.disclosures.models import Disclosure
from safeshare.disclosures.selectors import (
    correction_notices_awaiting,
    inform_tasks_due,
    recall_requests_awaiting_deletion,
    recalls_outstanding,
)
from safeshare.linkage.selectors import identity_of
from safeshare.web.forms.disclosures import EmptyForm, InformTaskForm, ReceivedItemsCaseForm
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


# --- Received items into one of our cases --------------------------------------------------------


def _case_hint(case: Case, *, linked: bool) -> str:
    """What tells the children of the cases apart: date of birth and NHS number, and whether
    identity linkage found the case's child to be the disclosure's child."""
    child = case.subject
    nhs = f"NHS number {child.nhs_number_display}" if child.nhs_number else "No NHS number"
    details = f"Date of birth {child.date_of_birth_display}. {nhs}."
    if not linked:
        return details
    return format_html(
        '<strong class="govuk-tag govuk-tag--green">Same child: linked identity</strong> {}',
        details,
    )


def _cases_offered(
    actor: Practitioner, disclosure: Disclosure
) -> tuple[list[Case], frozenset[str]]:
    """The actor's own open cases they may edit, those whose child is linked to the same
    identity as the disclosure's child first (``safeshare.linkage``), and the ids of those.
    Each offered names a child, so the list is a recorded read."""
    cases = list(case_list(cases=cases_editable_by(actor).select_related("subject__identity_link")))
    record_case_list_read(actor=actor, cases=cases)
    identity = identity_of(person=disclosure.case.subject)
    linked = frozenset(
        str(case.pk)
        for case in cases
        if identity is not None
        and getattr(case.subject, "identity_link", None) is not None
        and case.subject.identity_link.identity_id == identity.pk
    )
    cases.sort(key=lambda case: str(case.pk) not in linked)  # stable: linked first
    return cases, linked


@requires(Capability.DISCLOSURE_VIEW)
def disclosure_add_to_case_view(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    """The named recipient adds everything received to one of their own cases' chronology: the
    case of the same child (by linked identity) offered first and marked, each case's child
    told apart by date of birth and NHS number, and a warning to confirm before adding to a case
    whose child is not linked to the disclosure's."""
    actor = actor_of(request)
    disclosure: Disclosure = or_404(
        access_disclosure_content, actor, disclosure_id, recipient_step=True
    )
    cases, linked = _cases_offered(actor, disclosure)
    form = ReceivedItemsCaseForm(
        request.POST if request.method == "POST" else None,
        cases=[(str(c.pk), f"Case {c.reference}: {c.subject.display_name}") for c in cases],
        hints={str(c.pk): _case_hint(c, linked=str(c.pk) in linked) for c in cases},
        linked=linked,
    )
    if form.is_valid():
        case = or_404(access_case, actor, form.cleaned_data["case"], need=Capability.CASE_EDIT)
        try:
            links = services.received_items_add_to_case(
                actor=actor,
                disclosure=disclosure,
                case=case,
                unlinked_confirmed=str(case.pk) not in linked,
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
    return render(
        request,
        "disclosures/add_to_case.html",
        {"disclosure": disclosure, "child": disclosure.case.subject, "form": form},
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
