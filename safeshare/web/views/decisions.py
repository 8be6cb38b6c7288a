"""Sharing decisions: the question-page wizard, the decision page, approvals and guidance.

The wizard keeps its answers in the session, one dict per case, so going back shows what was
answered. Recording calls ``decision_record`` once, from the check-your-answers page; what it
refuses is shown on the page and field at fault and nothing is written.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeshare.access.capabilities import Capability
from safeshare.access.fetch import access_decision
from safeshare.access.policy import can, may_share_under
from safeshare.access.scopes import agencies_visible_to, consents_visible_to, decisions_visible_to
from safeshare.agencies.models import Agency, Practitioner
from safeshare.agencies.selectors import agency_list
from safeshare.cases.models import Case
from safeshare.consent.lawful_bases import UnknownLawfulBasis, lawful_basis
from safeshare.consent.models import Consent, EffectiveConsent
from safeshare.consent.selectors import consent_state_for, consents_for_person
from safeshare.core.exceptions import DomainError
from safeshare.core.vocabulary import InformationCategory
from safeshare.decisions.engine import Facts, facts_from_mapping, outcome_to_mapping
from safeshare.decisions.engine.guidance import GOLDEN_RULES, PRINCIPLES
from safeshare.decisions.models import DecisionOutcome, SharingDecision
from safeshare.decisions.selectors import (
    approvals_awaited,
    decision_evaluate,
    decisions_for_case,
    recipient_entitlement,
)
from safeshare.decisions.services import decision_approve, decision_record
from safeshare.web.forms.decisions import (
    CHECK,
    DECISION,
    PAGES,
    RECOMMENDATION,
    STEP_BY_SLUG,
    Answers,
    ApprovalForm,
    CheckForm,
    DecisionForm,
    Options,
    answer_rows,
    answers_from_decision,
    answers_from_facts,
    facts_mapping,
    first_unanswered,
    next_page,
    previous_page,
)
from safeshare.web.views.base import actor_of, not_found, or_404, render_domain_error, requires
from safeshare.web.views.cases import case_or_404, case_url

_SESSION_PREFIX = "decision-wizard:"
_CONSENT_CATEGORY = InformationCategory.CHILD
_ENTITLEMENT_LABELS = {
    "agreement": "party to an information sharing agreement covering this purpose",
    "statutory_partner": "a statutory safeguarding partner",
    "not_entitled": "no agreement covers this purpose and it is not a statutory partner",
}


# ---------------------------------------------------------------------------------------------
# Wizard state and helpers
# ---------------------------------------------------------------------------------------------


def _key(case: Case) -> str:
    return f"{_SESSION_PREFIX}{case.pk}"


def _state(request: HttpRequest, case: Case) -> dict[str, Any]:
    state = request.session.get(_key(case))
    return state if isinstance(state, dict) else {"answers": {}, "supersedes": None}


def _save(request: HttpRequest, case: Case, state: dict[str, Any]) -> None:
    request.session[_key(case)] = state


def _page_url(case: Case, slug: str, *, change: bool = False) -> str:
    url = reverse("web:decision-step", kwargs={"case_id": case.pk, "step": slug})
    return f"{url}?change=1" if change else url


def _recipients(actor: Practitioner) -> list[Agency]:
    return list(agency_list(agencies=agencies_visible_to(actor), excluding=actor.agency))


def _consents(actor: Practitioner, case: Case) -> list[Consent]:
    return list(consents_for_person(consents=consents_visible_to(actor), person=case.subject))


def _options(actor: Practitioner, case: Case) -> dict[str, Options]:
    consents = [
        (
            str(consent.pk),
            f"{consent.get_state_display()}, recorded {consent.recorded_at:%d %B %Y}"
            + (f", until {consent.expires_on:%d %B %Y}" if consent.expires_on else ""),
        )
        for consent in _consents(actor, case)
        if consent.state == EffectiveConsent.GIVEN
    ]
    return {
        "recipient": [("", "Select an agency")]
        + [(str(agency.pk), agency.name) for agency in _recipients(actor)],
        "consent-record": consents,
    }


def _recipient(actor: Practitioner, answers: Answers) -> Agency | None:
    wanted = answers.get("recipient")
    return next((a for a in _recipients(actor) if str(a.pk) == wanted), None)


def _consent_hint(actor: Practitioner, case: Case, answers: Answers) -> str:
    recipient = _recipient(actor, answers)
    if recipient is None or not answers.get("purpose"):
        return ""
    state, _ = consent_state_for(
        person=case.subject,
        purpose=answers["purpose"],
        recipient_agency=recipient,
        category=_CONSENT_CATEGORY,
    )
    return f"Our records say: {EffectiveConsent(state).label}"


def _facts(actor: Practitioner, answers: Answers) -> tuple[Facts, Agency]:
    """The facts from complete answers, with the recipient's entitlement derived."""
    recipient = _recipient(actor, answers)
    if recipient is None:
        not_found()
    entitlement = recipient_entitlement(
        sharer=actor.agency, recipient=recipient, purpose=answers["purpose"]
    )
    return facts_from_mapping(facts_mapping(answers, recipient=entitlement)), recipient


def _basis_rows(basis: Any) -> list[dict[str, str]]:
    """Catalogue citation, title and explanation for each code of a lawful basis mapping."""
    rows = []
    for code in (basis or {}).values():
        if not code:
            continue
        try:
            entry = lawful_basis(str(code))
        except UnknownLawfulBasis:
            rows.append({"code": str(code), "citation": str(code), "title": "", "text": ""})
            continue
        rows.append(
            {
                "code": entry.code,
                "citation": entry.citation,
                "title": entry.title,
                "text": entry.explanation,
            }
        )
    return rows


def _wizard_context(case: Case, state: dict[str, Any], slug: str, change: bool) -> dict[str, Any]:
    back = previous_page(state["answers"], slug)
    if change:
        back_url = _page_url(case, CHECK)
    elif back is None:
        back_url = reverse("web:case-decisions", kwargs={"case_id": case.pk})
    else:
        back_url = _page_url(case, back)
    return {"case": case, "back_url": back_url, "reconsidering": bool(state.get("supersedes"))}


# ---------------------------------------------------------------------------------------------
# Wizard pages
# ---------------------------------------------------------------------------------------------


@requires(Capability.DECISION_RECORD)
def decision_start_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Start a new decision for the case: any unfinished answers are forgotten."""
    case = case_or_404(actor_of(request), case_id, Capability.DECISION_RECORD)
    _save(request, case, {"answers": {}, "supersedes": None})
    return redirect(_page_url(case, STEP_BY_SLUG["purpose"].slug))


@requires(Capability.DECISION_RECORD)
def decision_step_view(request: HttpRequest, case_id: uuid.UUID, step: str) -> HttpResponse:
    actor = actor_of(request)
    case = case_or_404(actor, case_id, Capability.DECISION_RECORD)
    if step not in PAGES:
        not_found()
    state = _state(request, case)
    answers: Answers = state["answers"]
    missing = first_unanswered(answers, before=step)
    if missing is not None:
        return redirect(_page_url(case, missing))
    change = request.GET.get("change") == "1"
    if step == RECOMMENDATION:
        return _recommendation(request, actor, case, state)
    if step == DECISION:
        return _decision(request, actor, case, state, change)
    if step == CHECK:
        return _check(request, actor, case, state)
    page = STEP_BY_SLUG[step]
    if not page.applies(answers):
        return redirect(_page_url(case, first_unanswered(answers) or CHECK))
    options = _options(actor, case).get(step, ())
    hint = _consent_hint(actor, case, answers) if step == "consent" else ""
    initial = {key: answers[key] for key in page.keys if key in answers}
    form = page.form(
        request.POST if request.method == "POST" else None,
        initial=initial,
        options=options,
        hint=hint,
    )
    if form.is_valid():
        answers.update(form.answers())
        _save(request, case, state)
        if change:
            unanswered = first_unanswered(answers, before=RECOMMENDATION)
            if unanswered is not None:
                return redirect(_page_url(case, unanswered, change=True))
            return redirect(_page_url(case, CHECK))
        return redirect(_page_url(case, next_page(answers, step)))
    context = _wizard_context(case, state, step, change)
    context.update({"form": form, "step": step, "field": form[form.question], "change": change})
    context["no_options"] = step == "consent-record" and not options
    context["consent_step_url"] = _page_url(case, "consent", change=change)
    return render(request, "decisions/question.html", context)


def _recommendation(
    request: HttpRequest, actor: Practitioner, case: Case, state: dict[str, Any]
) -> HttpResponse:
    facts, recipient = _facts(actor, state["answers"])
    outcome = decision_evaluate(facts=facts)
    context = _wizard_context(case, state, RECOMMENDATION, False)
    context.update(
        {
            "outcome": outcome_to_mapping(outcome),
            "recommendation_label": _outcome_label(str(outcome.recommendation)),
            "basis_rows": _basis_rows(outcome_to_mapping(outcome)["lawful_basis"]),
            "recipient": recipient,
            "entitlement_label": _ENTITLEMENT_LABELS.get(facts.recipient, ""),
            "next_url": _page_url(case, DECISION),
        }
    )
    return render(request, "decisions/recommendation.html", context)


def _outcome_label(value: str) -> str:
    return str(DecisionOutcome(value).label)


def _decision_initial(actor: Practitioner, state: dict[str, Any]) -> dict[str, Any]:
    stored = state["answers"].get("decision")
    if stored:
        return dict(stored)
    facts, _ = _facts(actor, state["answers"])
    outcome = decision_evaluate(facts=facts)
    basis = outcome_to_mapping(outcome)["lawful_basis"] or {}
    assert isinstance(basis, dict)  # noqa: S101 - the mapping's documented shape
    return {
        "outcome": str(outcome.recommendation),
        "individual_not_told_reason": outcome.individual_not_told_reason or "",
        **{kind: code or "" for kind, code in basis.items()},
    }


def _render_decision(
    request: HttpRequest,
    case: Case,
    state: dict[str, Any],
    form: DecisionForm,
    actor: Practitioner,
    change: bool,
) -> HttpResponse:
    facts, _ = _facts(actor, state["answers"])
    context = _wizard_context(case, state, DECISION, change)
    context.update(
        {
            "form": form,
            "recommendation_label": _outcome_label(
                str(decision_evaluate(facts=facts).recommendation)
            ),
            "action": _page_url(case, DECISION, change=change),
        }
    )
    return render(request, "decisions/decision_form.html", context)


def _decision(
    request: HttpRequest, actor: Practitioner, case: Case, state: dict[str, Any], change: bool
) -> HttpResponse:
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        initial=_decision_initial(actor, state),
    )
    if form.is_valid():
        state["answers"]["decision"] = form.answers()
        _save(request, case, state)
        return redirect(_page_url(case, CHECK))
    return _render_decision(request, case, state, form, actor, change)


def _check(
    request: HttpRequest, actor: Practitioner, case: Case, state: dict[str, Any]
) -> HttpResponse:
    answers: Answers = state["answers"]
    supersedes = _superseded(actor, state)
    form = CheckForm(
        request.POST if request.method == "POST" else None, reconsidering=supersedes is not None
    )
    if form.is_valid():
        decision_form = DecisionForm(answers["decision"])
        if decision_form.is_valid():
            facts, recipient = _facts(actor, answers)
            consent = _relied_on(actor, case, answers)
            try:
                decision = decision_record(
                    actor=actor,
                    case=case,
                    purpose=answers["purpose"],
                    facts=facts,
                    recipient_agency=recipient,
                    consent=consent,
                    advice_sought_from=answers.get("advice_sought_from", "")
                    if answers["advice_sought"] == "yes"
                    else "",
                    advice_given=answers.get("advice_given", "")
                    if answers["advice_sought"] == "yes"
                    else "",
                    supersedes=supersedes,
                    reconsideration_reason=form.cleaned_data.get("reconsideration_reason", ""),
                    **decision_form.service_arguments(),
                )
            except DomainError as exc:
                if exc.field in form.fields:
                    render_domain_error(form, exc)
                else:
                    render_domain_error(decision_form, exc)
                    return _render_decision(request, case, state, decision_form, actor, True)
            else:
                request.session.pop(_key(case), None)
                return redirect(
                    reverse("web:decision-recorded", kwargs={"decision_id": decision.pk})
                )
    options = _options(actor, case)
    decision_answers = answers.get("decision", {})
    decision_rows = _decision_rows(decision_answers, _page_url(case, DECISION, change=True))
    context = _wizard_context(case, state, CHECK, False)
    context.update(
        {
            "form": form,
            "rows": answer_rows(
                answers, options=options, change_url=lambda slug: _page_url(case, slug, change=True)
            ),
            "decision_rows": decision_rows,
            "supersedes": supersedes,
        }
    )
    return render(request, "decisions/check.html", context)


def _decision_rows(decision: dict[str, Any], change_url: str) -> list[dict[str, str]]:
    form = DecisionForm()
    rows = []
    for name, bound in form.fields.items():
        value = decision.get(name)
        choices = getattr(bound, "choices", None)
        if isinstance(value, bool):
            shown = "Yes" if value else "No"
        elif choices is not None:
            shown = str(dict(choices).get(value, "")) if value else ""
        else:
            shown = str(value or "")
        label = str(bound.label)
        rows.append(
            {
                "key": label,
                "value": shown,
                "action_href": change_url,
                "action_hidden": label.lower(),
            }
        )
    return rows


def _relied_on(actor: Practitioner, case: Case, answers: Answers) -> Consent | None:
    if answers.get("consent") != EffectiveConsent.GIVEN:
        return None
    wanted = answers.get("consent_record")
    return next((c for c in _consents(actor, case) if str(c.pk) == wanted), None)


def _superseded(actor: Practitioner, state: dict[str, Any]) -> SharingDecision | None:
    if not state.get("supersedes"):
        return None
    return or_404(access_decision, actor, state["supersedes"], need=Capability.DECISION_RECORD)


# ---------------------------------------------------------------------------------------------
# Recorded decisions
# ---------------------------------------------------------------------------------------------


@requires(Capability.DECISION_VIEW)
def decision_recorded_view(request: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    decision = or_404(access_decision, actor_of(request), decision_id)
    return render(request, "decisions/confirmation.html", {"decision": decision})


def _render_detail(
    request: HttpRequest, decision: SharingDecision, form: ApprovalForm | None = None
) -> HttpResponse:
    actor = actor_of(request)
    awaiting = decision.awaiting_approval
    may_approve = awaiting and can(actor, Capability.DECISION_APPROVE, decision)
    return render(
        request,
        "decisions/detail.html",
        {
            "decision": decision,
            "case": decision.case,
            "fact_rows": answer_rows(
                {
                    **answers_from_facts(decision.facts),
                    "recipient": str(decision.recipient_agency_id or ""),
                },
                options={
                    "recipient": [
                        (str(decision.recipient_agency_id), decision.recipient_agency.name)
                    ]
                    if decision.recipient_agency
                    else [],
                },
            ),
            "entitlement": _ENTITLEMENT_LABELS.get(decision.facts.get("recipient", ""), ""),
            "consent_label": EffectiveConsent(decision.consent_state).label,
            "engine": decision.engine_outcome,
            "recommendation_label": _outcome_label(decision.recommendation),
            "basis_rows": _basis_rows(decision.lawful_basis),
            "approval": decision.approval_or_none,
            "awaiting": awaiting,
            "overdue": decision.approval_overdue,
            "approval_form": (form or ApprovalForm()) if may_approve else None,
            "may_reconsider": can(actor, Capability.DECISION_RECORD, decision),
            "may_share": may_share_under(actor, decision),
            "reconsiderations": list(decision.reconsiderations.all()),
        },
    )


@requires(Capability.DECISION_VIEW)
def decision_detail_view(request: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    decision = or_404(access_decision, actor_of(request), decision_id)
    return _render_detail(request, decision)


@requires(Capability.DECISION_APPROVE)
def decision_approval_view(request: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    decision = or_404(access_decision, actor, decision_id, need=Capability.DECISION_APPROVE)
    if request.method != "POST":
        return redirect(reverse("web:decision-detail", kwargs={"decision_id": decision.pk}))
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            approval = decision_approve(
                actor=actor,
                decision=decision,
                approved=form.cleaned_data["approved"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            messages.success(
                request, "Decision approved" if approval.approved else "Approval declined"
            )
            return redirect(reverse("web:decision-detail", kwargs={"decision_id": decision.pk}))
    return _render_detail(request, decision, form)


@requires(Capability.DECISION_RECORD)
def decision_reconsider_view(request: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    """Start the wizard again from a recorded decision's answers; the new one supersedes it."""
    actor = actor_of(request)
    decision = or_404(access_decision, actor, decision_id, need=Capability.DECISION_RECORD)
    if request.method != "POST":
        return redirect(reverse("web:decision-detail", kwargs={"decision_id": decision.pk}))
    answers = answers_from_decision(decision)
    _save(request, decision.case, {"answers": answers, "supersedes": str(decision.pk)})
    return redirect(_page_url(decision.case, "purpose"))


@requires(Capability.DECISION_VIEW)
def case_decisions_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    actor = actor_of(request)
    case = case_or_404(actor, case_id, Capability.DECISION_VIEW)
    decisions = decisions_for_case(decisions=decisions_visible_to(actor), case=case)
    return render(
        request,
        "decisions/case_list.html",
        {
            "case": case,
            "case_url": case_url(case),
            "decisions": list(decisions),
            "may_decide": can(actor, Capability.DECISION_RECORD, case),
        },
    )


@requires(Capability.DECISION_APPROVE)
def approvals_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    # Earliest due first, so the overdue ones lead the queue.
    awaited = approvals_awaited(decisions=decisions_visible_to(actor))
    rows = [(decision, decision.approval_overdue) for decision in awaited]
    return render(request, "decisions/approvals.html", {"rows": rows})


@requires(Capability.SIGNED_IN)
def golden_rules_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "pages/golden_rules.html", {"golden_rules": GOLDEN_RULES, "principles": PRINCIPLES}
    )
