"""Reads for sharing decisions. Callers pass querysets scoped by access.scopes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, QuerySet

from safeshare.agencies.models import Agency, Practitioner
from safeshare.agencies.selectors import agreement_covers
from safeshare.cases.models import Case
from safeshare.core import clock
from safeshare.decisions.engine import Facts, Outcome, Recipient, evaluate
from safeshare.decisions.models import SharingDecision


def decision_evaluate(*, facts: Facts) -> Outcome:
    """The engine's recommendation for ``facts``: no side effects, nothing recorded."""
    return evaluate(facts)


def decisions_for_case(
    *, decisions: QuerySet[SharingDecision], case: Case
) -> QuerySet[SharingDecision]:
    return (
        decisions.filter(case=case)
        .select_related("decided_by", "recipient_agency", "approval__approver")
        .order_by("-decided_at")
    )


def approvals_awaited(*, decisions: QuerySet[SharingDecision]) -> QuerySet[SharingDecision]:
    """Decisions to share without consent that nobody has approved or declined yet, oldest due
    first."""
    return (
        decisions.filter(approval_required=True, approval__isnull=True)
        .select_related("case__subject", "decided_by", "recipient_agency", "approval")
        .order_by(F("approval_due_at").asc(nulls_last=True), "decided_at")
    )


def approvals_overdue(*, decisions: QuerySet[SharingDecision]) -> QuerySet[SharingDecision]:
    return approvals_awaited(decisions=decisions).filter(approval_due_at__lt=clock.now())


def approval_holds_sharing(decision: SharingDecision) -> bool:
    """Nothing may be shared under the decision until a DSL or manager approves it: it needs
    approval, has none yet, and was not urgent (an urgent share goes first and is approved
    within a working day after). The same rule as the disclosure service's check."""
    return decision.awaiting_approval and not decision.is_urgent


def decision_approvers(
    *, decision: SharingDecision, roles: Iterable[str]
) -> QuerySet[Practitioner]:
    """Who may approve the decision: active practitioners of the deciding agency holding one of
    ``roles`` (those with the approve capability), except whoever decided it."""
    return (
        Practitioner.objects.filter(
            agency_id=decision.agency_id,
            is_active=True,
            role_assignments__role__in=list(roles),
        )
        .exclude(pk=decision.decided_by_id)
        .distinct()
        .order_by("family_name", "given_name")
    )


def recipient_entitlement(*, sharer: Agency, recipient: Agency, purpose: str) -> str:
    """Is ``recipient`` entitled to receive ``sharer``'s information for ``purpose``? The engine's
    ``Recipient`` value: "agreement" when an active agreement between the two covers the purpose,
    else "statutory_partner" for a statutory safeguarding partner, else "not_entitled"."""
    if agreement_covers(agency_a=sharer, agency_b=recipient, purpose=purpose):
        return str(Recipient.AGREEMENT)
    if recipient.is_statutory_partner:
        return str(Recipient.STATUTORY_PARTNER)
    return str(Recipient.NOT_ENTITLED)
