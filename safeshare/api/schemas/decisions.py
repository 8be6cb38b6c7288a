"""Sharing decisions: the facts (as the engine asks them), the engine's outcome, a recorded
decision and its approval.

``FactsIn`` mirrors the engine's ``Facts`` field for field (a test checks it against
``FACT_FIELDS``), with every answer an enumeration, so the OpenAPI document lists what may be sent.
The engine's own validator (``facts_from_mapping``) reads the facts first, so the API refuses
what the web wizard and ``safeshare decide evaluate`` refuse, with the same message.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import Field, StrictBool, StrictInt, model_validator
from pydantic_core import PydanticCustomError

from safeshare.api.schemas.common import (
    AgencyRefOut,
    InputSchema,
    PractitionerRefOut,
    Text200,
    Text1000,
    Text20000,
)
from safeshare.core.exceptions import ValidationFailed
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from safeshare.decisions.engine import (
    About,
    AskedBy,
    ConsentState,
    Facts,
    Harm,
    InvalidFacts,
    Notify,
    NotSoughtReason,
    Recipient,
    Recommendation,
    Tristate,
    facts_from_mapping,
)
from safeshare.decisions.engine.facts import CHILD_AGE_MAX
from safeshare.decisions.models import DecisionApproval, DecisionOutcome, SharingDecision


class FactsIn(InputSchema):
    """The facts of the situation (rule version 2024.2).

    Cross-field rules (422 naming the field, the same message as the web and the command line):
    ``consent_not_sought_reason`` is required when ``consent`` is "not_sought" and refused
    otherwise; ``harm`` is required unless the older ``significant_harm_concern`` is given, and
    the two must agree; ``recipient_verified`` is required when ``asked_by`` is not "nobody";
    ``bears_on_child_safety`` may be true only when ``about`` is "adult". Answers that can be read
    but contradict each other are answered ``check_answers`` (and cannot be recorded).
    """

    purpose: SharingPurpose
    purpose_clear_and_legitimate: Tristate
    identifies_living_person: Tristate
    confidential: Tristate
    special_category: StrictBool
    criminal_offence_data: StrictBool
    consent: ConsentState
    consent_not_sought_reason: NotSoughtReason | None = Field(
        None, description='Required when consent is "not_sought"; refused otherwise'
    )
    harm: Harm | None = Field(
        None,
        description="How serious the worry about the child is; required unless "
        "significant_harm_concern is given",
    )
    significant_harm_concern: StrictBool | None = Field(
        None, description="Rule version 2024.1's yes/no form of harm (harm == significant_harm)"
    )
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
    about: About = Field(About.CHILD, description="Whom the information is about")
    bears_on_child_safety: StrictBool = Field(
        False,
        description='About an adult: whether it bears on the child\'s safety (only with "adult")',
    )
    asked_by: AskedBy = Field(AskedBy.NOBODY, description="Whether somebody asked, and who")
    recipient_verified: Tristate | None = Field(
        None, description='Whoever asked is verified; required when asked_by is not "nobody"'
    )
    young_person_confidentiality: StrictBool = Field(
        False, description="The young person asked for this to be kept confidential"
    )
    child_age: StrictInt | None = Field(None, ge=0, le=CHILD_AGE_MAX, description="In years")
    child_competent: Tristate = Field(
        Tristate.NOT_SURE, description="Competent to decide (Gillick); presumed from 16"
    )
    risk_indicators: StrictBool = Field(
        False, description="Indicators of exploitation, abuse or a much older partner"
    )

    @model_validator(mode="before")
    @classmethod
    def _read_by_the_engine(cls, data: Any) -> Any:
        """The engine's validator reads the facts first: one set of messages everywhere. The
        error's context carries the field, which the API's error handler puts in ``loc``."""
        raw = data._obj if isinstance(data, DjangoGetter) else data
        try:
            facts_from_mapping(raw)
        except InvalidFacts as exc:
            raise PydanticCustomError(
                "invalid_facts", "{message}", {"message": exc.message, "fact": exc.field or ""}
            ) from exc
        return data


def facts_of(facts: FactsIn) -> Facts:
    """The engine's ``Facts``; a combination the engine refuses is 422 naming the field."""
    try:
        return facts_from_mapping(facts.model_dump(mode="json", exclude_unset=True))
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
    categories: list[InformationCategory] = Field(
        default_factory=list,
        description="The kinds of information to be shared; required when relying on consent, "
        "which must cover each of them",
    )
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


class ContradictionOut(Schema):
    id: str
    text: str
    fields: list[str]


class OutcomeOut(Schema):
    """What the engine recommends, under which rule version, and why. ``contradictions`` name
    answers that cannot all be true (recommendation ``check_answers``); ``manager_approval``
    says a DSL or manager must approve the share (2024.2)."""

    recommendation: Recommendation
    rule_version: str
    rules_applied: list[RuleOut]
    reasons: list[str]
    lawful_basis: LawfulBasisOut | None
    must_record: list[str]
    must_tell: list[Notify]
    individual_not_told_reason: str | None
    contradictions: list[ContradictionOut] = []
    manager_approval: bool = False


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
    categories: list[str]
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
