"""Sharing decisions: the facts (as the engine asks them), the engine's outcome, a recorded
decision and its approval.

``FactsIn`` mirrors the engine's ``Facts`` field for field (a test checks it against
``FACT_FIELDS``), with every answer an enumeration, so the OpenAPI document lists what may be sent.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field, StrictBool

from safeshare.api.schemas.common import (
    AgencyRefOut,
    InputSchema,
    PractitionerRefOut,
    Text200,
    Text1000,
    Text20000,
)
from safeshare.core.exceptions import ValidationFailed
from safeshare.core.vocabulary import SharingPurpose
from safeshare.decisions.engine import (
    ConsentState,
    Facts,
    InvalidFacts,
    Notify,
    NotSoughtReason,
    Recipient,
    Recommendation,
    Tristate,
    facts_from_mapping,
)
from safeshare.decisions.models import DecisionApproval, DecisionOutcome, SharingDecision


class FactsIn(InputSchema):
    """The facts of the situation, in the order the wizard asks them."""

    purpose: SharingPurpose
    purpose_clear_and_legitimate: Tristate
    identifies_living_person: Tristate
    confidential: Tristate
    special_category: StrictBool
    criminal_offence_data: StrictBool
    consent: ConsentState
    consent_not_sought_reason: NotSoughtReason | None = Field(
        None, description='Only when consent is "not_sought"'
    )
    significant_harm_concern: StrictBool
    immediate_danger: StrictBool
    consent_would_increase_risk_to_child: StrictBool
    consent_would_put_adult_at_serious_risk: StrictBool
    consent_would_undermine_crime_prevention: StrictBool
    statutory_duty_or_court_order: StrictBool
    recipient: Recipient = Field(
        description="Whether the recipient is entitled. When recording a decision with a "
        "recipient agency, the server works this out from the agreements and overrides it."
    )
    advice_sought: StrictBool


def facts_of(facts: FactsIn) -> Facts:
    """The engine's ``Facts``; a combination the engine refuses is 422 naming the field."""
    try:
        return facts_from_mapping(facts.model_dump(mode="json"))
    except InvalidFacts as exc:
        raise ValidationFailed(exc.message, field=exc.field) from exc


class EvaluateIn(InputSchema):
    facts: FactsIn


class LawfulBasisIn(InputSchema):
    """Catalogue codes (see the lawful basis catalogue), e.g. "art6_1_e"."""

    article_6: Text200
    article_9: Text200 | None = None
    schedule_1: Text200 | None = None
    article_10: Text200 | None = None


class DecisionIn(InputSchema):
    facts: FactsIn
    outcome: DecisionOutcome
    reasons: Text20000
    recipient_agency_id: uuid.UUID | None = None
    lawful_basis: LawfulBasisIn | None = None
    what_to_share: Text20000 = ""
    consent_id: uuid.UUID | None = None
    advice_sought_from: Text200 = ""
    advice_given: Text20000 = ""
    override_reason: Text20000 = ""
    is_urgent: StrictBool = False
    individual_not_told_reason: Text1000 = ""
    supersedes_id: uuid.UUID | None = None
    reconsideration_reason: Text20000 = ""


class ApprovalIn(InputSchema):
    approved: StrictBool
    comment: Text20000 = ""


# --- Outputs -------------------------------------------------------------------------------------


class RuleOut(Schema):
    id: str
    text: str


class LawfulBasisOut(Schema):
    article_6: str
    article_9: str | None
    schedule_1: str | None
    article_10: str | None


class OutcomeOut(Schema):
    """What the engine recommends, under which rule version, and why."""

    recommendation: Recommendation
    rule_version: str
    rules_applied: list[RuleOut]
    reasons: list[str]
    lawful_basis: LawfulBasisOut | None
    must_record: list[str]
    must_tell: list[Notify]
    individual_not_told_reason: str | None


class ApprovalOut(Schema):
    id: uuid.UUID
    decision_id: uuid.UUID
    approver: PractitionerRefOut
    approved: bool
    comment: str
    decided_at: dt.datetime


class DecisionSummaryOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    purpose: SharingPurpose
    recipient_agency: AgencyRefOut | None
    recommendation: DecisionOutcome
    outcome: DecisionOutcome
    differs_from_recommendation: bool
    consent_state: str
    is_urgent: bool
    approval_required: bool
    approval_due_at: dt.datetime | None
    supersedes_id: uuid.UUID | None
    decided_by: PractitionerRefOut
    decided_at: dt.datetime


class DecisionOut(DecisionSummaryOut):
    """A recorded decision: the facts, what the engine said, what was decided and why."""

    agency: AgencyRefOut
    facts: dict[str, Any]
    rule_version: str
    engine_outcome: OutcomeOut
    override_reason: str
    lawful_basis: LawfulBasisOut | None
    consent_id: uuid.UUID | None
    what_to_share: str
    reasons: str
    advice_sought_from: str
    advice_given: str
    individual_to_be_told: bool
    individual_not_told_reason: str
    reconsideration_reason: str
    approval: ApprovalOut | None

    @staticmethod
    def resolve_approval(obj: SharingDecision) -> DecisionApproval | None:
        return obj.approval_or_none


class AwaitingApprovalOut(DecisionSummaryOut):
    """A share without consent that nobody has approved yet; ``overdue`` once past its due
    time (urgent shares are due within one working day)."""

    overdue: bool

    @staticmethod
    def resolve_overdue(obj: SharingDecision) -> bool:
        return obj.approval_overdue
