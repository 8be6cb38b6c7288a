"""Sharing decisions: the question-page wizard, the decision page, approvals and guidance.

The wizard keeps its answers in the session, one dict per case, so going back shows what was
answered. Its pages are in ``safeshare.web.forms.decisions`` (at most nine; two when someone is
in immediate danger). Recording calls ``decision_record`` once, from the check-your-answers page;
what it refuses is shown on the page and field at fault and nothing is written.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html

from safeshare.access.capabilities import ROLE_CAPABILITIES, Capability
from safeshare.access.fetch import access_decision
from safeshare.access.policy import can, may_share_under
from safeshare.access.scopes import agencies_visible_to, consents_visible_to, decisions_visible_to
from safeshare.agencies.models import Agency, Practitioner
from safeshare.agencies.selectors import agency_list
from safeshare.cases.models import Case
from safeshare.consent.lawful_bases import UnknownLawfulBasis, lawful_basis
from safeshare.consent.models import Consent, EffectiveConsent
from safeshare.consent.selectors import consent_state_for, consents_for_person
from safeshare.core import clock
from safeshare.core.exceptions import DomainError
from safeshare.core.vocabulary import InformationCategory
from safeshare.decisions.checks import decision_check
from safeshare.decisions.engine import (
    CHILD_AGE_MAX,
    Facts,
    Outcome,
    Recommendation,
    facts_from_mapping,
    outcome_to_mapping,
)
from safeshare.decisions.engine.guidance import GOLDEN_RULES, PRINCIPLES
from safeshare.decisions.models import SharingDecision, recommendation_label
from safeshare.decisions.selectors import (
    approval_holds_sharing,
    approvals_awaited,
    decision_approvers,
    decision_evaluate,
    decisions_for_case,
    recipient_entitlement,
)
from safeshare.decisions.services import decision_approve, decision_record
from safeshare.people.models import DobPrecision, Person
from safeshare.web.forms.decisions import (
    CHECK,
    DECISION,
    FIRST,
    PAGES,
    RECOMMENDATION,
    STEP_BY_SLUG,
    SUMMARY_LABELS,
    YES,
    Answers,
    ApprovalForm,
    CheckForm,
    DecisionForm,
    DecisionNeeds,
    Options,
    answer_for_fact,
    answer_rows,
    answers_from_decision,
    answers_from_facts,
    facts_mapping,
    first_unanswered,
    next_page,
    previous_page,
    step_for_answer,
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
_RECOMMENDED = "recommended"  # kept beside the decision: the recommendation it was made against
_APPROVER_ROLES = frozenset(
    str(role) for role, held in ROLE_CAPABILITIES.items() if Capability.DECISION_APPROVE in held
)


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
    """The choices that come from the records, by form field."""
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
        "consent_record": consents,
    }


def _empty(case: Case) -> dict[str, str]:
    """What a question shows when the records give it nothing to choose from."""
    record_url = reverse("web:consent-list", kwargs={"person_id": case.subject_id})
    return {
        "consent_record": format_html(
            '<p class="govuk-body">No consent given is recorded for this child.</p>'
            '<p class="govuk-body govuk-!-margin-bottom-0"><a class="govuk-link" href="{}">'
            "Record the consent first</a> (your answers so far are kept), or select another "
            "answer.</p>",
            record_url,
        )
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


def child_age(person: Person) -> int | None:
    """The child's age in whole years today, from their date of birth; None when unborn, not
    known, or not a plausible age for the engine."""
    born = person.date_of_birth
    if person.is_unborn or born is None or person.dob_precision == DobPrecision.UNKNOWN:
        return None
    today = clock.today()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age if 0 <= age <= CHILD_AGE_MAX else None


def _age_hint(case: Case) -> str:
    age = child_age(case.subject)
    name = case.subject.display_name
    if age is None:
        return f"We do not know {name}'s age from their record."
    return f"{name} is {age} (from their date of birth)."


def _hints(actor: Practitioner, case: Case, answers: Answers, step: str) -> dict[str, str]:
    if step == "consent":
        return {"consent": _consent_hint(actor, case, answers)}
    if step == "young-person":
        return {"young_person_confidentiality": _age_hint(case)}
    return {}


def _facts(actor: Practitioner, case: Case, answers: Answers) -> tuple[Facts, Agency]:
    """The facts from complete answers, with the recipient's entitlement and the child's age
    derived from the records."""
    recipient = _recipient(actor, answers)
    if recipient is None:
        not_found()
    entitlement = recipient_entitlement(
        sharer=actor.agency, recipient=recipient, purpose=answers["purpose"]
    )
    mapping = facts_mapping(answers, recipient=entitlement, child_age=child_age(case.subject))
    return facts_from_mapping(mapping), recipient


def _outcome(actor: Practitioner, case: Case, answers: Answers) -> tuple[Outcome, Facts, Agency]:
    facts, recipient = _facts(actor, case, answers)
    return decision_evaluate(facts=facts), facts, recipient


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


def _change_return(answers: Answers) -> str:
    """Where a Change link's page goes back to: check your answers once there is a decision,
    else the recommendation (changed from its "check your answers")."""
    return CHECK if "decision" in answers else RECOMMENDATION


def _wizard_context(case: Case, state: dict[str, Any], slug: str, change: bool) -> dict[str, Any]:
    back = previous_page(state["answers"], slug)
    if change:
        back_url = _page_url(case, _change_return(state["answers"]))
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
    return redirect(_page_url(case, FIRST))


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
    form = page.form(
        request.POST if request.method == "POST" else None,
        answers=answers,
        options=_options(actor, case),
        hints=_hints(actor, case, answers, step),
        empty=_empty(case),
    )
    if form.is_valid():
        for key in page.keys:
            answers.pop(key, None)  # an answer no longer asked (its reveal closed) is dropped
        answers.update(form.answers())
        _save(request, case, state)
        if change:
            return redirect(_after_change(actor, case, answers))
        return redirect(_page_url(case, next_page(answers, step)))
    context = _wizard_context(case, state, step, change)
    context.update({"form": form, "step": step, "change": change})
    return render(request, "decisions/question.html", context)


def _after_change(actor: Practitioner, case: Case, answers: Answers) -> str:
    """After changing an answer: a question the change opened, else back where the Change link
    was; the recommendation instead of check your answers when the change altered it."""
    unanswered = first_unanswered(answers, before=RECOMMENDATION)
    if unanswered is not None:
        return _page_url(case, unanswered, change=True)
    back = _change_return(answers)
    if back == CHECK:
        outcome, _, _ = _outcome(actor, case, answers)
        if str(outcome.recommendation) != answers["decision"].get(_RECOMMENDED):
            return _page_url(case, RECOMMENDATION)
    return _page_url(case, back)


def _outcome_label(value: str) -> str:
    try:
        return recommendation_label(value)
    except ValueError:
        return value.replace("_", " ").capitalize()


def _contradictions(case: Case, outcome: Outcome) -> list[dict[str, Any]]:
    """Each contradiction's text with Change links to the pages that ask its facts."""
    items = []
    for contradiction in outcome.contradictions:
        links: dict[str, list[str]] = {}
        unasked: list[str] = []
        for fact in contradiction.fields:
            step = step_for_answer(fact)
            if step is None:
                unasked.append(fact)
                continue
            key = answer_for_fact(fact)
            label = SUMMARY_LABELS.get(key, key)
            labels = links.setdefault(step.slug, [])
            if label.lower() not in labels:
                labels.append(label.lower())
        items.append(
            {
                "id": contradiction.id,
                "text": contradiction.text,
                "links": [
                    {"href": _page_url(case, slug, change=True), "hidden": ", ".join(labels)}
                    for slug, labels in links.items()
                ],
                "age_from_record": "child_age" in unasked,
            }
        )
    return items


def _recommendation(
    request: HttpRequest, actor: Practitioner, case: Case, state: dict[str, Any]
) -> HttpResponse:
    outcome, facts, recipient = _outcome(actor, case, state["answers"])
    mapping = outcome_to_mapping(outcome)
    context = _wizard_context(case, state, RECOMMENDATION, False)
    context.update(
        {
            "outcome": mapping,
            "recommendation_label": _outcome_label(str(outcome.recommendation)),
            "check_answers": outcome.recommendation is Recommendation.CHECK_ANSWERS,
            "contradictions": _contradictions(case, outcome),
            "manager_approval": outcome.manager_approval,
            "basis_rows": _basis_rows(mapping["lawful_basis"]),
            "recipient": recipient,
            "entitlement_label": _ENTITLEMENT_LABELS.get(facts.recipient, ""),
            "next_url": _page_url(case, DECISION),
            "person_url": reverse("web:person-detail", kwargs={"person_id": case.subject_id}),
        }
    )
    return render(request, "decisions/recommendation.html", context)


def _suggested(outcome: Outcome) -> dict[str, Any]:
    """The decision page's answers as the engine suggests them."""
    basis = outcome_to_mapping(outcome)["lawful_basis"] or {}
    assert isinstance(basis, dict)  # noqa: S101 - the mapping's documented shape
    return {
        "outcome": str(outcome.recommendation),
        "individual_not_told_reason": outcome.individual_not_told_reason or "",
        **{kind: code or "" for kind, code in basis.items()},
    }


def _decision_initial(outcome: Outcome, state: dict[str, Any]) -> dict[str, Any]:
    """What the practitioner decided before, else the engine's suggestions. When answers changed
    since, a decision that took the old recommendation as it was takes the new one."""
    stored = state["answers"].get("decision")
    if not stored:
        return _suggested(outcome)
    initial = dict(stored)
    if initial.get(_RECOMMENDED) != str(outcome.recommendation) and initial.get(
        "outcome"
    ) == initial.get(_RECOMMENDED):
        initial.update(_suggested(outcome))
    return initial


def _render_decision(
    request: HttpRequest,
    case: Case,
    state: dict[str, Any],
    form: DecisionForm,
    outcome: Outcome,
    change: bool,
) -> HttpResponse:
    context = _wizard_context(case, state, DECISION, change)
    context.update(
        {
            "form": form,
            "recommendation_label": _outcome_label(str(outcome.recommendation)),
            "manager_approval": outcome.manager_approval,
            "action": _page_url(case, DECISION, change=change),
        }
    )
    return render(request, "decisions/decision_form.html", context)


def _needs(facts: Facts, answers: Answers) -> DecisionNeeds:
    """What the answers so far make a share need, for the decision page's labels."""
    return DecisionNeeds(
        special_category=facts.special_category,
        criminal_offence_data=facts.criminal_offence_data,
        relies_on_consent=answers.get("consent") == EffectiveConsent.GIVEN,
    )


def _decision_arguments(
    actor: Practitioner,
    case: Case,
    answers: Answers,
    facts: Facts,
    recipient: Agency,
    decision_form: DecisionForm,
    supersedes: SharingDecision | None,
) -> dict[str, Any]:
    """The arguments that ``decision_check`` and ``decision_record`` share."""
    return {
        "actor": actor,
        "case": case,
        "purpose": answers["purpose"],
        "facts": facts,
        "recipient_agency": recipient,
        "consent": _relied_on(actor, case, answers),
        "supersedes": supersedes,
        **decision_form.service_arguments(),
    }


def _decision(
    request: HttpRequest, actor: Practitioner, case: Case, state: dict[str, Any], change: bool
) -> HttpResponse:
    answers: Answers = state["answers"]
    outcome, facts, recipient = _outcome(actor, case, answers)
    if outcome.recommendation is Recommendation.CHECK_ANSWERS:
        return redirect(_page_url(case, RECOMMENDATION))  # nothing can be decided yet
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        initial=_decision_initial(outcome, state),
        needs=_needs(facts, answers),
    )
    if form.is_valid():
        # What recording would refuse is said here, on the page that asks for it.
        arguments = _decision_arguments(
            actor, case, answers, facts, recipient, form, _superseded(actor, state)
        )
        try:
            decision_check(**arguments)
        except DomainError as exc:
            render_domain_error(form, exc)
        else:
            answers["decision"] = {**form.answers(), _RECOMMENDED: str(outcome.recommendation)}
            _save(request, case, state)
            return redirect(_page_url(case, CHECK))
    return _render_decision(request, case, state, form, outcome, change)


def _check(
    request: HttpRequest, actor: Practitioner, case: Case, state: dict[str, Any]
) -> HttpResponse:
    answers: Answers = state["answers"]
    outcome, facts, recipient = _outcome(actor, case, answers)
    if outcome.recommendation is Recommendation.CHECK_ANSWERS:
        return redirect(_page_url(case, RECOMMENDATION))
    supersedes = _superseded(actor, state)
    form = CheckForm(
        request.POST if request.method == "POST" else None, reconsidering=supersedes is not None
    )
    if form.is_valid():
        decision_form = DecisionForm(answers["decision"], needs=_needs(facts, answers))
        if decision_form.is_valid():
            advised = answers.get("advice_sought") == YES
            try:
                decision = decision_record(
                    **_decision_arguments(
                        actor, case, answers, facts, recipient, decision_form, supersedes
                    ),
                    advice_sought_from=answers.get("advice_sought_from", "") if advised else "",
                    advice_given=answers.get("advice_given", "") if advised else "",
                    reconsideration_reason=form.cleaned_data.get("reconsideration_reason", ""),
                )
            except DomainError as exc:
                if exc.field in form.fields:
                    render_domain_error(form, exc)
                else:
                    render_domain_error(decision_form, exc)
                    return _render_decision(request, case, state, decision_form, outcome, True)
            else:
                request.session.pop(_key(case), None)
                return redirect(
                    reverse("web:decision-recorded", kwargs={"decision_id": decision.pk})
                )
    decision_answers = answers.get("decision", {})
    decision_rows = _decision_rows(decision_answers, _page_url(case, DECISION, change=True))
    context = _wizard_context(case, state, CHECK, False)
    context.update(
        {
            "form": form,
            "rows": answer_rows(
                answers,
                options=_options(actor, case),
                change_url=lambda slug: _page_url(case, slug, change=True),
            ),
            "decision_rows": decision_rows,
            "recommendation_label": _outcome_label(str(outcome.recommendation)),
            "manager_approval": outcome.manager_approval,
            "supersedes": supersedes,
        }
    )
    return render(request, "decisions/check.html", context)


def _shown(value: Any, choices: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if choices is None:
        return str(value or "")
    labels = {str(key): str(label) for key, label in choices}
    if isinstance(value, list):
        return ", ".join(labels.get(str(item), str(item)) for item in value)
    return labels.get(str(value), "") if value else ""


def _decision_rows(decision: dict[str, Any], change_url: str) -> list[dict[str, str]]:
    form = DecisionForm()
    rows = []
    for name, bound in form.fields.items():
        label = str(bound.label)
        rows.append(
            {
                "key": label,
                "value": _shown(decision.get(name), getattr(bound, "choices", None)),
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
    approvers = (
        list(decision_approvers(decision=decision, roles=_APPROVER_ROLES)) if awaiting else []
    )
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
            "held_for_approval": approval_holds_sharing(decision),
            "approvers": approvers,
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
    return redirect(_page_url(decision.case, FIRST))


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
