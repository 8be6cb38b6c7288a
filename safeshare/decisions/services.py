"""Writes for sharing decisions: record (and reconsider), approve, and withdraw consent with recall.

The engine recommends; the practitioner decides. Recording checks what must be true whatever the
practitioner decides:

- answers that contradict each other are never recorded (the engine's "check your answers");
- reasons always; a reason whenever the decision differs from the recommendation;
- a lawful basis (with an Article 9 and Schedule 1 condition for special category data, and an
  Article 10 condition for criminal offence data) for any share;
- a consent relied on is given, unexpired and covers this purpose, this recipient and every kind
  of information to be shared (WT 2018 ch1: consent is specific and time-limited); consent
  (Article 6(1)(a), or explicit consent under Article 9(2)(a)) is a basis only with such a consent;
- what the engine decided about telling the individual stays decided: its "do not tell,
  because ..." is carried into the decision and so into its inform task (golden rule 2);
- approval by a DSL or manager of the same agency for a share without consent (due within
  3 working days, or 1 when urgent and shared first), or where the engine's approval table says
  so (seed 003 section 3.5: any doubt about who asked).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from safeshare.agencies.models import Agency, Practitioner
from safeshare.cases.models import Case
from safeshare.consent.lawful_bases import KINDS, UnknownLawfulBasis, lawful_basis
from safeshare.consent.models import Consent
from safeshare.consent.selectors import consent_scope_problem
from safeshare.consent.services import consent_withdraw
from safeshare.core import clock
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from safeshare.core.workdays import add_working_days
from safeshare.decisions.engine import (
    ConsentState,
    Facts,
    Recipient,
    Recommendation,
    evaluate,
    facts_to_mapping,
    manager_approval_for,
    outcome_to_mapping,
)
from safeshare.decisions.exceptions import (
    ApprovalInvalid,
    DecisionInvalid,
    LawfulBasisMissing,
    SelfApprovalRefused,
)
from safeshare.decisions.models import (
    SHARING_OUTCOMES,
    DecisionApproval,
    DecisionOutcome,
    SharingDecision,
)
from safeshare.decisions.selectors import recipient_entitlement
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append


def _subject(case: Case) -> Subject:
    return Subject(person_id=case.subject_id, case_id=case.pk)


def _check_lawful_basis(
    *, basis: Mapping[str, Any] | None, outcome: str, facts: Facts
) -> dict[str, str | None] | None:
    """A share needs an Art 6 basis, plus Art 9 and Schedule 1 for special category data and an
    Art 10 condition for criminal offence data; every code must be in the catalogue."""
    if outcome not in SHARING_OUTCOMES:
        return None
    if not basis or not basis.get("article_6"):
        raise LawfulBasisMissing(
            "Select the lawful basis for sharing (UK GDPR Article 6)", field="article_6"
        )
    cleaned: dict[str, str | None] = {}
    for kind in KINDS:
        code = basis.get(kind) or None
        if code is not None:
            try:
                entry = lawful_basis(str(code))
            except UnknownLawfulBasis as exc:
                raise LawfulBasisMissing(
                    f"{code} is not a lawful basis we know", field=kind
                ) from exc
            if entry.kind != kind:
                raise LawfulBasisMissing(f"{entry.citation} is not a {kind} condition", field=kind)
        cleaned[kind] = str(code) if code is not None else None
    if facts.special_category:
        article_9 = cleaned["article_9"]
        if not article_9:
            raise LawfulBasisMissing(
                "Special category data needs an Article 9 condition", field="article_9"
            )
        if lawful_basis(article_9).schedule_1_required and not cleaned["schedule_1"]:
            raise LawfulBasisMissing(
                f"{lawful_basis(article_9).citation} needs a DPA 2018 Schedule 1 condition",
                field="schedule_1",
            )
    if facts.criminal_offence_data and not cleaned["article_10"]:
        raise LawfulBasisMissing(
            "Criminal offence data needs an Article 10 condition", field="article_10"
        )
    return cleaned


# Consent as a lawful basis: Article 6(1)(a), and explicit consent under Article 9(2)(a).
CONSENT_BASES: dict[str, str] = {"article_6": "art6_1_a", "article_9": "art9_2_a"}
APPROVAL_WORKING_DAYS = 3  # a share without consent (PRODUCT.md, product decisions)
URGENT_APPROVAL_WORKING_DAYS = 1  # an urgent share, approved after it went


def _needs_approval(*, outcome: str, facts: Facts) -> bool:
    """Sharing without consent needs a DSL's or manager's approval; so does any share that the
    rule version's approval table names (2024.2: doubt about who asked, seed 003 section 3.5)."""
    if outcome not in SHARING_OUTCOMES:
        return False
    if facts.consent != ConsentState.GIVEN:
        return True
    return manager_approval_for(facts, Recommendation(outcome))


def _check_consent_relied_on(
    *,
    consent: Consent | None,
    case: Case,
    facts: Facts,
    outcome: str,
    purpose: str,
    recipient_agency: Agency | None,
    categories: list[str],
    basis: Mapping[str, str | None] | None,
) -> None:
    """A consent relied on must allow this share; consent as a basis needs such a consent."""
    if consent is not None and consent.person_id != case.subject_id:
        raise DecisionInvalid("That consent is about someone else", field="consent")
    sharing = outcome in SHARING_OUTCOMES
    if facts.consent == ConsentState.GIVEN and consent is None and sharing:
        raise DecisionInvalid("Select the consent you are relying on", field="consent")
    for kind, code in CONSENT_BASES.items():
        if (
            basis is not None
            and basis.get(kind) == code
            and (consent is None or facts.consent != ConsentState.GIVEN)
        ):
            raise LawfulBasisMissing(
                f"{lawful_basis(code).citation} (consent) can only be the basis of a share that "
                "relies on consent given for it: choose the consent, or another basis",
                field=kind,
            )
    if consent is None or not sharing:
        return
    if facts.consent != ConsentState.GIVEN:
        raise DecisionInvalid(
            "You chose a consent to rely on but said consent was not given", field="consent"
        )
    if not categories:
        raise DecisionInvalid(
            "Select the kinds of information you will share, so that we can check the consent "
            "covers them",
            field="categories",
        )
    problem = consent_scope_problem(
        consent, purpose=purpose, recipient_agency=recipient_agency, categories=categories
    )
    if problem is not None:
        raise DecisionInvalid(problem, field="consent")


def decision_record(
    *,
    actor: Practitioner,
    case: Case,
    purpose: str,
    facts: Facts,
    outcome: str,
    reasons: str,
    recipient_agency: Agency | None = None,
    lawful_basis: Mapping[str, Any] | None = None,
    what_to_share: str = "",
    categories: Sequence[str] = (),
    consent: Consent | None = None,
    advice_sought_from: str = "",
    advice_given: str = "",
    override_reason: str = "",
    is_urgent: bool = False,
    individual_not_told_reason: str = "",
    supersedes: SharingDecision | None = None,
    reconsideration_reason: str = "",
) -> SharingDecision:
    """Record the practitioner's decision beside the engine's recommendation. Never edited.

    Everything is checked first, writing nothing; the decision and its ledger entry are then
    written in the caller's transaction, or in one of their own when there is none. (No
    savepoint: a refusal is raised before anything is written, so a caller that catches it can
    go on, and a failed write fails the caller's whole transaction, as it must.)
    """
    if purpose not in SharingPurpose.values:
        raise DecisionInvalid("Select the purpose of sharing", field="purpose")
    if facts.purpose != purpose:
        raise DecisionInvalid("The facts describe a different purpose", field="purpose")
    if outcome not in DecisionOutcome.values:
        raise DecisionInvalid("Select your decision", field="outcome")
    if not reasons.strip():
        raise DecisionInvalid("Enter the reasons for your decision", field="reasons")
    if recipient_agency is not None:
        # Entitlement is worked out from the agreements in force, never taken from the caller.
        facts = dataclasses.replace(
            facts,
            recipient=Recipient(
                recipient_entitlement(
                    sharer=actor.agency, recipient=recipient_agency, purpose=purpose
                )
            ),
        )
    engine = evaluate(facts)
    if engine.recommendation is Recommendation.CHECK_ANSWERS:
        first = engine.contradictions[0]
        raise DecisionInvalid(
            f"Your answers contradict each other: {first.text}", field=first.fields[0]
        )
    if outcome != engine.recommendation and not override_reason.strip():
        raise DecisionInvalid(
            "Your decision differs from the recommendation: enter why", field="override_reason"
        )
    if outcome in SHARING_OUTCOMES and recipient_agency is None:
        raise DecisionInvalid("Select who the information will be shared with", field="recipient")
    if outcome in SHARING_OUTCOMES and not what_to_share.strip():
        raise DecisionInvalid("Describe what will be shared", field="what_to_share")
    wanted = sorted(set(categories))
    if any(category not in InformationCategory.values for category in wanted):
        raise DecisionInvalid("Select kinds of information from the list", field="categories")
    if supersedes is not None:
        if supersedes.case_id != case.pk:
            raise DecisionInvalid("A reconsideration belongs to the same case", field="supersedes")
        if not reconsideration_reason.strip():
            raise DecisionInvalid(
                "Enter what is new since the earlier decision", field="reconsideration_reason"
            )
    basis = _check_lawful_basis(basis=lawful_basis, outcome=outcome, facts=facts)
    _check_consent_relied_on(
        consent=consent,
        case=case,
        facts=facts,
        outcome=outcome,
        purpose=purpose,
        recipient_agency=recipient_agency,
        categories=wanted,
        basis=basis,
    )
    approval_required = _needs_approval(outcome=outcome, facts=facts)
    not_told = _not_told_reason(
        engine_reason=engine.individual_not_told_reason,
        practitioner_reason=individual_not_told_reason,
        outcome=outcome,
    )
    with transaction.atomic(savepoint=False):
        now = clock.now()
        decision = SharingDecision.objects.create(
            case=case,
            agency=actor.agency,
            purpose=purpose,
            recipient_agency=recipient_agency,
            facts=facts_to_mapping(facts),
            rule_version=engine.rule_version,
            recommendation=str(engine.recommendation),
            engine_outcome=outcome_to_mapping(engine),
            outcome=outcome,
            override_reason=override_reason.strip(),
            lawful_basis=basis,
            consent=consent,
            consent_state=str(facts.consent),
            what_to_share=what_to_share.strip(),
            categories=wanted,
            reasons=reasons.strip(),
            advice_sought_from=advice_sought_from.strip()[:200],
            advice_given=advice_given.strip(),
            individual_to_be_told=outcome in SHARING_OUTCOMES and not not_told,
            individual_not_told_reason=not_told,
            is_urgent=is_urgent,
            approval_required=approval_required,
            approval_due_at=_approval_due(now, required=approval_required, urgent=is_urgent),
            supersedes=supersedes,
            reconsideration_reason=reconsideration_reason.strip(),
            decided_by=actor,
            decided_at=now,
        )
        ledger_append(
            event=Event.DECISION_RECORDED,
            actor=actor,
            subject=_subject(case),
            obj=decision,
            purpose=purpose,
            details={
                "outcome": outcome,
                "recommendation": str(engine.recommendation),
                "rule_version": engine.rule_version,
                "approval_required": approval_required,
                "urgent": is_urgent,
                "supersedes": str(supersedes.pk) if supersedes is not None else None,
            },
        )
        # A decision recorded a moment ago has no approval yet: say so, so that showing it does not
        # ask the database.
        SharingDecision.approval.related.set_cached_value(decision, None)
        return decision


def _not_told_reason(*, engine_reason: str | None, practitioner_reason: str, outcome: str) -> str:
    """Why the individual is not told: the practitioner's words, and always the engine's reason
    when the engine said telling would put someone at risk (golden rule 2), so that a decision
    can never say "to be told" after the engine said it would be unsafe."""
    if outcome not in SHARING_OUTCOMES:
        return practitioner_reason.strip()
    parts = [practitioner_reason.strip(), (engine_reason or "").strip()]
    return "\n".join(dict.fromkeys(part for part in parts if part))


def _approval_due(now: dt.datetime, *, required: bool, urgent: bool) -> dt.datetime | None:
    if not required:
        return None
    days = URGENT_APPROVAL_WORKING_DAYS if urgent else APPROVAL_WORKING_DAYS
    return add_working_days(now, days)


@transaction.atomic
def decision_approve(
    *, actor: Practitioner, decision: SharingDecision, approved: bool, comment: str = ""
) -> DecisionApproval:
    """A DSL or manager approves (or declines) a share without consent. Nobody approves their own
    decision; a decision is approved once."""
    if not decision.approval_required:
        raise ApprovalInvalid("This decision does not need approval")
    if DecisionApproval.objects.filter(decision=decision).exists():
        raise ApprovalInvalid("This decision has already been approved or declined")
    if decision.decided_by_id == actor.pk:
        raise SelfApprovalRefused("You cannot approve your own decision")
    if actor.agency_id != decision.agency_id:
        raise ApprovalInvalid("Only a manager of the deciding agency can approve")
    if not approved and not comment.strip():
        raise ApprovalInvalid("Enter why you do not approve", field="comment")
    approval = DecisionApproval.objects.create(
        decision=decision, approver=actor, approved=approved, comment=comment.strip()
    )
    ledger_append(
        event=Event.DECISION_APPROVED if approved else Event.DECISION_APPROVAL_DECLINED,
        actor=actor,
        subject=_subject(decision.case),
        obj=decision,
        purpose=decision.purpose,
        details={
            "overdue": bool(decision.approval_due_at and clock.now() > decision.approval_due_at)
        },
    )
    return approval


@transaction.atomic
def consent_withdraw_with_recall(*, actor: Practitioner, consent: Consent, note: str) -> Consent:
    """Withdraw consent and create a recall record for every share decided on that consent."""
    shared = [
        (d._meta.label_lower, str(d.pk), d.recipient_agency)
        for d in SharingDecision.objects.filter(
            consent=consent, outcome__in=[str(o) for o in SHARING_OUTCOMES]
        ).select_related("recipient_agency")
    ]
    return consent_withdraw(actor=actor, consent=consent, note=note, shared_on_basis=shared)
