"""Sharing decisions: evaluate facts (no side effects), record a decision on a case, read
decisions, and the approvals queue of shares without consent."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import access_agency, access_case, access_consent, access_decision
from safeshare.access.scopes import decisions_visible_to
from safeshare.api.auth import authorised, referenced
from safeshare.api.errors import responses
from safeshare.api.schemas.decisions import (
    ApprovalIn,
    ApprovalOut,
    AwaitingApprovalOut,
    DecisionIn,
    DecisionOut,
    DecisionSummaryOut,
    EvaluateIn,
    OutcomeOut,
    facts_of,
)
from safeshare.decisions.engine import outcome_to_mapping
from safeshare.decisions.models import DecisionApproval, SharingDecision
from safeshare.decisions.selectors import (
    approvals_awaited,
    decision_evaluate,
    decisions_for_case,
)
from safeshare.decisions.services import decision_approve, decision_record

router = Router(tags=["decisions"])


@router.post(
    "/decisions/evaluate",
    response=responses(200, OutcomeOut),
    summary="Evaluate the facts (nothing recorded)",
)
@declares(Capability.DECISION_VIEW)
def decision_evaluate_post(request: HttpRequest, payload: EvaluateIn) -> dict[str, object]:
    """What the guidance says for these facts: the recommendation, the rules that applied, the
    reasons, the suggested lawful basis, what to record and whom to tell (DECISION_VIEW).

    Nothing is written, not even the ledger. Facts the engine cannot read are 422 naming the
    field (``consent_not_sought_reason`` with a consent state other than "not_sought").
    """
    authorised(request, Capability.DECISION_VIEW)
    return outcome_to_mapping(decision_evaluate(facts=facts_of(payload.facts)))


@router.get(
    "/decisions/approvals",
    response=responses(200, list[AwaitingApprovalOut]),
    summary="Decisions awaiting approval",
)
@declares(Capability.DECISION_APPROVE)
def decision_approvals_get(request: HttpRequest) -> QuerySet[SharingDecision]:
    """Shares without consent in the caller's reach that nobody has approved or declined yet,
    oldest due first, each marked ``overdue`` when past its due time (DECISION_APPROVE)."""
    actor = authorised(request, Capability.DECISION_APPROVE)
    return approvals_awaited(decisions=decisions_visible_to(actor))


@router.get(
    "/decisions/{decision_id}", response=responses(200, DecisionOut), summary="Read a decision"
)
@declares(Capability.DECISION_VIEW)
def decision_get(request: HttpRequest, decision_id: uuid.UUID) -> SharingDecision:
    """One recorded decision with the facts, the engine's outcome and any approval
    (DECISION_VIEW; 404 if missing or not visible; the read is recorded)."""
    actor = authorised(request, Capability.DECISION_VIEW)
    return access_decision(actor, decision_id, need=Capability.DECISION_VIEW)


@router.post(
    "/decisions/{decision_id}/approval",
    response=responses(201, ApprovalOut),
    summary="Approve or decline a share without consent",
)
@declares(Capability.DECISION_APPROVE)
def decision_approval_post(
    request: HttpRequest, decision_id: uuid.UUID, payload: ApprovalIn
) -> Status[DecisionApproval]:
    """A DSL of the deciding agency approves (or declines, with a comment) a share without
    consent (DECISION_APPROVE). Approving your own decision, a decision that needs no approval
    or one already approved is 409; a decision out of reach is 404."""
    actor = authorised(request, Capability.DECISION_APPROVE)
    decision = access_decision(actor, decision_id, need=Capability.DECISION_APPROVE)
    approval = decision_approve(
        actor=actor, decision=decision, approved=payload.approved, comment=payload.comment
    )
    return Status(201, approval)


@router.get(
    "/cases/{case_id}/decisions",
    response=responses(200, list[DecisionSummaryOut]),
    summary="List a case's decisions",
)
@declares(Capability.DECISION_VIEW)
def case_decisions_get(request: HttpRequest, case_id: uuid.UUID) -> QuerySet[SharingDecision]:
    """The case's sharing decisions, newest first (DECISION_VIEW; 404 if the case is not
    visible)."""
    actor = authorised(request, Capability.DECISION_VIEW)
    case = access_case(actor, case_id, need=Capability.DECISION_VIEW)
    return decisions_for_case(decisions=decisions_visible_to(actor), case=case)


@router.post(
    "/cases/{case_id}/decisions",
    response=responses(201, DecisionOut),
    summary="Record a sharing decision",
)
@declares(Capability.DECISION_RECORD)
def case_decision_create_post(
    request: HttpRequest, case_id: uuid.UUID, payload: DecisionIn
) -> Status[SharingDecision]:
    """Record the caller's decision beside the engine's recommendation (DECISION_RECORD).

    Whether the recipient is entitled is worked out by the service from the agreements between
    the two agencies (the ``recipient`` fact sent is replaced). Reasons are required, and a reason
    whenever the decision differs from the recommendation; a share needs a recipient, what will
    be shared and a lawful basis (422 naming the field; nothing recorded). Contradictory facts
    are never recorded. A consent relied on (``consent_id``) must be given, unexpired and cover
    the purpose, the recipient agency and every one of ``categories``; consent as a basis
    (``art6_1_a``, ``art9_2_a``) needs such a consent (422 naming the field). Records named by id
    that are missing or not visible are 404 naming the field.

    One transaction: the reads of the case and the records it names, the decision and their
    ledger entries commit together, or (on any error) none of them does.
    """
    actor = authorised(request, Capability.DECISION_RECORD)
    with transaction.atomic():
        case = access_case(actor, case_id, need=Capability.DECISION_RECORD, row_only=True)
        facts = facts_of(payload.facts)
        related: dict[str, Any] = {"recipient_agency": None, "consent": None, "supersedes": None}
        if (recipient_id := payload.recipient_agency_id) is not None:
            related["recipient_agency"] = referenced(
                "recipient_agency_id", lambda: access_agency(actor, recipient_id)
            )
        if (consent_id := payload.consent_id) is not None:
            related["consent"] = referenced(
                "consent_id",
                lambda: access_consent(actor, consent_id, need=Capability.CONSENT_VIEW),
            )
        if (supersedes_id := payload.supersedes_id) is not None:
            related["supersedes"] = referenced(
                "supersedes_id",
                lambda: access_decision(actor, supersedes_id, need=Capability.DECISION_VIEW),
            )
        decision = decision_record(
            actor=actor,
            case=case,
            purpose=facts.purpose,
            facts=facts,
            outcome=payload.outcome,
            reasons=payload.reasons,
            lawful_basis=payload.lawful_basis.model_dump() if payload.lawful_basis else None,
            what_to_share=payload.what_to_share,
            categories=[str(category) for category in payload.categories],
            advice_sought_from=payload.advice_sought_from,
            advice_given=payload.advice_given,
            override_reason=payload.override_reason,
            is_urgent=payload.is_urgent,
            individual_not_told_reason=payload.individual_not_told_reason,
            reconsideration_reason=payload.reconsideration_reason,
            **related,
        )
        return Status(201, decision)
