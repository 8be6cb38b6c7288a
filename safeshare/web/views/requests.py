"""Information requests: ask another agency (a short wizard with check your answers), the
receiving agency's inbox, the requests we sent, a request's page, refuse, withdraw, and come back
with new information.

Thin views: parse, ``access_*``, one service or selector, render. Who may do what is decided by
``safeshare.access`` and the services; a refused write is shown on the field at fault and changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import access_agency, access_request, record_request_list_read
from safeshare.access.policy import (
    can,
    may_answer_request,
    may_ask_again,
    may_decide_on_request,
    receives_request,
)
from safeshare.access.scopes import (
    agencies_visible_to,
    cases_visible_to,
    decisions_visible_to,
    requests_visible_to,
)
from safeshare.agencies.models import Practitioner
from safeshare.agencies.selectors import agency_list
from safeshare.core.exceptions import DomainError, NotFound
from safeshare.core.vocabulary import SharingPurpose
from safeshare.decisions.selectors import decisions_for_case
from safeshare.disclosures.models import InformationRequest, RequestKind, Urgency
from safeshare.disclosures.selectors import (
    request_child,
    request_child_as_named,
    requests_inbox,
    requests_sent,
)
from safeshare.disclosures.services import (
    request_create,
    request_reconsider,
    request_refuse,
    request_withdraw,
)
from safeshare.people.nhs import format_nhs_number
from safeshare.web.forms.disclosures import (
    EmptyForm,
    ReconsiderationForm,
    RefusalForm,
    RequestAgencyForm,
    RequestChildForm,
    RequestDetailsForm,
)
from safeshare.web.views.base import actor_of, not_found, or_404, render_domain_error, requires

_SESSION_KEY = "request-wizard"
STEPS = ("agency", "child", "details")
CHECK = "check"
_FORMS: dict[str, Any] = {
    "agency": RequestAgencyForm,
    "child": RequestChildForm,
    "details": RequestDetailsForm,
}
_TITLES = {
    "agency": "Who are you asking?",
    "child": "Which child is it about?",
    "details": "What do you need, and why?",
}
# Which page asks for what a service may refuse.
_STEP_OF_FIELD = {
    "receiving_agency": "agency",
    "kind": "agency",
    "nhs_number": "child",
    "date_of_birth": "child",
    "purpose": "details",
    "urgency": "details",
    "information_sought": "details",
    "justification": "details",
}


def request_url(asked: InformationRequest) -> str:
    return reverse("web:request-detail", kwargs={"request_id": asked.pk})


def _step_url(step: str, *, change: bool = False) -> str:
    url = reverse("web:request-step", kwargs={"step": step})
    return f"{url}?change=1" if change else url


def _answers(request: HttpRequest) -> dict[str, Any]:
    answers = request.session.get(_SESSION_KEY)
    return answers if isinstance(answers, dict) else {}


def _agencies(actor: Practitioner) -> list[tuple[str, str]]:
    agencies = agency_list(agencies=agencies_visible_to(actor), excluding=actor.agency)
    return [(str(agency.pk), agency.name) for agency in agencies]


# --- Asking --------------------------------------------------------------------------------------


@requires(Capability.REQUEST_CREATE)
def request_start_view(request: HttpRequest) -> HttpResponse:
    """Start a new request: unfinished answers are forgotten."""
    request.session[_SESSION_KEY] = {}
    return redirect(_step_url(STEPS[0]))


@requires(Capability.REQUEST_CREATE)
def request_step_view(request: HttpRequest, step: str) -> HttpResponse:
    actor = actor_of(request)
    if step == CHECK:
        return _check(request, actor)
    if step not in _FORMS:
        not_found()
    answers = _answers(request)
    index = STEPS.index(step)
    missing = next((s for s in STEPS[:index] if s not in answers), None)
    if missing is not None:
        return redirect(_step_url(missing))
    change = request.GET.get("change") == "1"
    extra = {"agencies": _agencies(actor)} if step == "agency" else {}
    form = _FORMS[step](
        request.POST if request.method == "POST" else None,
        initial=answers.get(step, {}),
        **extra,
    )
    if form.is_valid():
        answers[step] = form.answers() if hasattr(form, "answers") else dict(form.cleaned_data)
        request.session[_SESSION_KEY] = answers
        later = STEPS[index + 1] if index + 1 < len(STEPS) else CHECK
        return redirect(_step_url(CHECK if change else later))
    back = _step_url(CHECK) if change else (_step_url(STEPS[index - 1]) if index else None)
    return render(
        request,
        "requests/question.html",
        {
            "form": form,
            "title": _TITLES[step],
            "back_url": back or reverse("web:requests-sent"),
            "step": step,
        },
    )


def _rows(actor: Practitioner, answers: dict[str, Any]) -> list[dict[str, str]]:
    agency = dict(_agencies(actor)).get(answers["agency"]["receiving_agency"], "")
    child = answers["child"]
    details = answers["details"]
    # Every detail given, so that the requester can see it is the right child before sending.
    identified = ", ".join(
        part
        for part in (
            f"{child['given_name']} {child['family_name']}".strip(),
            f"born {dt.date.fromisoformat(child['date_of_birth']):%-d %B %Y}"
            if child["date_of_birth"]
            else "",
            f"NHS number {format_nhs_number(child['nhs_number'])}" if child["nhs_number"] else "",
            child["postcode"],
        )
        if part
    )
    rows = [
        ("Agency asked", agency, "agency"),
        ("Kind", RequestKind(answers["agency"]["kind"]).label, "agency"),
        ("Child", identified, "child"),
        ("Purpose", SharingPurpose(details["purpose"]).label, "details"),
        ("Urgency", Urgency(details["urgency"]).label, "details"),
        ("Information needed", details["information_sought"], "details"),
        ("Why you need it", details["justification"], "details"),
    ]
    return [
        {
            "key": key,
            "value": value,
            "action_href": _step_url(step, change=True),
            "action_hidden": key.lower(),
        }
        for key, value, step in rows
    ]


def _check(request: HttpRequest, actor: Practitioner) -> HttpResponse:
    answers = _answers(request)
    missing = next((s for s in STEPS if s not in answers), None)
    if missing is not None:
        return redirect(_step_url(missing))
    form = EmptyForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        child = answers["child"]
        born = child["date_of_birth"]
        try:
            receiving = access_agency(actor, answers["agency"]["receiving_agency"])
            made = request_create(
                actor=actor,
                receiving_agency=receiving,
                kind=answers["agency"]["kind"],
                nhs_number=child["nhs_number"],
                given_name=child["given_name"],
                family_name=child["family_name"],
                date_of_birth=dt.date.fromisoformat(born) if born else None,
                postcode=child["postcode"],
                **answers["details"],
            )
        except NotFound:
            form.add_error(None, "That agency cannot be asked: choose another")
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            request.session.pop(_SESSION_KEY, None)
            return redirect(reverse("web:request-sent", kwargs={"request_id": made.pk}))
    return render(
        request,
        "requests/check.html",
        {"form": form, "rows": _rows(actor, answers), "back_url": _step_url(STEPS[-1])},
    )


@requires(Capability.REQUEST_VIEW)
def request_sent_view(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    asked = or_404(access_request, actor_of(request), request_id)
    return render(request, "requests/confirmation.html", {"asked": asked})


# --- Lists ---------------------------------------------------------------------------------------


def _seen_cases(actor: Practitioner, requests: list[InformationRequest]) -> set[uuid.UUID]:
    """The requests' matched cases the actor may see (their child is named as held there)."""
    matched = {r.matched_case_id for r in requests if r.matched_case_id is not None}
    if not matched:
        return set()
    return set(cases_visible_to(actor).filter(pk__in=matched).values_list("pk", flat=True))


def _with_child(
    actor: Practitioner, requests: list[InformationRequest], *, receiving: bool
) -> list[tuple[InformationRequest, str]]:
    """Each request with the child it is about, named (``request_child``)."""
    seen = _seen_cases(actor, requests)
    return [
        (r, request_child(r, case_visible=r.matched_case_id in seen, receiving=receiving))
        for r in requests
    ]


@requires(Capability.REQUEST_VIEW)
def requests_inbox_view(request: HttpRequest) -> HttpResponse:
    """Open requests to my agency that I may see (routed to me, or all for DSLs and MASH)."""
    actor = actor_of(request)
    shown = list(requests_inbox(requests=requests_visible_to(actor), agency=actor.agency))
    record_request_list_read(actor=actor, requests=shown)
    return render(
        request, "requests/inbox.html", {"rows": _with_child(actor, shown, receiving=True)}
    )


@requires(Capability.REQUEST_VIEW)
def requests_sent_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    shown = list(requests_sent(requests=requests_visible_to(actor), agency=actor.agency))
    record_request_list_read(actor=actor, requests=shown)
    return render(
        request,
        "requests/sent.html",
        {
            "rows": _with_child(actor, shown, receiving=False),
            "may_ask": can(actor, Capability.REQUEST_CREATE),
        },
    )


# --- One request ---------------------------------------------------------------------------------


def _render_detail(
    request: HttpRequest, asked: InformationRequest, status: int = 200
) -> HttpResponse:
    actor = actor_of(request)
    case = asked.matched_case
    receiving = receives_request(actor, asked)
    decisions = (
        list(decisions_for_case(decisions=decisions_visible_to(actor), case=case))
        if receiving and case is not None
        else []
    )
    reconsiderations = list(requests_visible_to(actor).filter(reconsideration_of=asked))
    record_request_list_read(actor=actor, requests=reconsiderations)
    return render(
        request,
        "requests/detail.html",
        {
            "asked": asked,
            "child_as_named": request_child_as_named(asked),
            # The matched case's child, as this agency holds them: only for whoever may see it.
            "matched_child": case.subject
            if case is not None and case.pk in _seen_cases(actor, [asked])
            else None,
            "receiving": receiving,
            "decisions": decisions,
            "may_decide": may_decide_on_request(actor, asked),
            "may_answer": may_answer_request(actor, asked),
            "may_ask_again": may_ask_again(actor, asked),
            "reconsiderations": reconsiderations,
        },
        status=status,
    )


@requires(Capability.REQUEST_VIEW)
def request_detail_view(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    return _render_detail(request, or_404(access_request, actor_of(request), request_id))


@requires(Capability.DISCLOSURE_ISSUE)
def request_refuse_view(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """Refuse, with the message the requester will read and the reasons kept on record."""
    actor = actor_of(request)
    asked = or_404(access_request, actor, request_id, need=Capability.DISCLOSURE_ISSUE)
    form = RefusalForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            request_refuse(actor=actor, request=asked, **form.cleaned_data)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, "Request refused: the requester has been told")
            return redirect(request_url(asked))
    return render(request, "requests/refuse.html", {"asked": asked, "form": form})


@requires(Capability.REQUEST_CREATE)
def request_withdraw_view(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    asked = or_404(access_request, actor, request_id, need=Capability.REQUEST_CREATE)
    form = EmptyForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            request_withdraw(actor=actor, request=asked)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(request, "Request withdrawn")
            return redirect(request_url(asked))
    return render(request, "requests/withdraw.html", {"asked": asked, "form": form})


@requires(Capability.REQUEST_CREATE)
def request_reconsider_view(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """Come back on a refusal with new information: a new request linked to the original."""
    actor = actor_of(request)
    asked = or_404(access_request, actor, request_id, need=Capability.REQUEST_CREATE)
    form = ReconsiderationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            again = request_reconsider(actor=actor, request=asked, **form.cleaned_data)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            return redirect(reverse("web:request-sent", kwargs={"request_id": again.pk}))
    return render(request, "requests/reconsider.html", {"asked": asked, "form": form})
