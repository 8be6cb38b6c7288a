"""Writes for sharing decisions: record (and reconsider), approve, and withdraw consent with recall.

The engine recommends; the practitioner decides. Recording checks what must be true whatever the
practitioner decides (``safeshare.decisions.checks``, which the decision page also asks first):

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

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from safeshare.agencies.models import Agency, Practitioner
from safeshare.cases.models import Case
from safeshare.consent.models import Consent
from safeshare.consent.services import consent_withdraw
from safeshare.core import clock
from safeshare.core.workdays import add_working_days
from safeshare.decisions.checks import check_decision
from safeshare.decisions.engine import (
    Facts,
    facts_to_mapping,
    outcome_to_mapping,
)
from safeshare.decisions.exceptions import (
    ApprovalInvalid,
    SelfApprovalRefused,
)
from safeshare.decisions.models import (
    SHARING_OUTCOMES,
    DecisionApproval,
    SharingDecision,
)
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append


def _subject(case: Case) -> Subject:
    return Subject(person_id=case.subject_id, case_id=case.pk)


APPROVAL_WORKING_DAYS = 3  # a share without consent (PRODUCT.md, product decisions)
URGENT_APPROVAL_WORKING_DAYS = 1  # an urgent share, approved after it went


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
    checked = check_decision(
        actor=actor,
        case=case,
        purpose=purpose,
        facts=facts,
        outcome=outcome,
        reasons=reasons,
        recipient_agency=recipient_agency,
        lawful_basis=lawful_basis,
        what_to_share=what_to_share,
        categories=categories,
        consent=consent,
        override_reason=override_reason,
        individual_not_told_reason=individual_not_told_reason,
        supersedes=supersedes,
        reconsideration_reason=reconsideration_reason,
    )
    facts, engine, basis = checked.facts, checked.engine, checked.basis
    wanted, approval_required, not_told = (
        checked.categories,
        checked.approval_required,
        checked.not_told,
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
