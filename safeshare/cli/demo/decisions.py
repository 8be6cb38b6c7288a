"""Sharing decisions and consent records for the demo area, through the real services.

A handful of the council's open cases get a decision each, chosen so that the demo shows every
recommendation, consent given, refused and not sought, decisions awaiting approval (one of them
overdue), an approved referral and a practitioner who departs from the recommendation. The same
function runs after either writer, so the services and bulk paths stay the same shape.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from safeshare.agencies.models import Agency, Practitioner, Role
from safeshare.cases.models import Case, CaseStatus
from safeshare.cli.demo.area import Area
from safeshare.cli.demo.plan import AgencyKey
from safeshare.consent.models import Consent
from safeshare.consent.services import (
    consent_record_given,
    consent_record_not_sought,
    consent_record_refused,
)
from safeshare.core import clock
from safeshare.decisions.engine import (
    AskedBy,
    ConsentState,
    Facts,
    NotSoughtReason,
    Recipient,
    Tristate,
    evaluate,
)
from safeshare.decisions.selectors import recipient_entitlement
from safeshare.decisions.services import decision_approve, decision_record

FICTION = " (Fictional demo record: no real person.)"

_BASE = Facts(
    purpose="child_in_need",
    purpose_clear_and_legitimate=Tristate.YES,
    identifies_living_person=Tristate.YES,
    confidential=Tristate.YES,
    special_category=False,
    criminal_offence_data=False,
    consent=ConsentState.NOT_ASKED,
    consent_not_sought_reason=None,
    significant_harm_concern=False,
    immediate_danger=False,
    consent_would_increase_risk_to_child=False,
    consent_would_put_adult_at_serious_risk=False,
    consent_would_undermine_crime_prevention=False,
    statutory_duty_or_court_order=False,
    recipient=Recipient.NOT_ENTITLED,
    advice_sought=False,
)


@dataclass(frozen=True)
class Scenario:
    recipient: AgencyKey
    facts: dict[str, Any]
    reasons: str
    consent: str = ""  # "given", "refused" or "not_sought": a consent record to make first
    decide: str = ""  # the practitioner's own decision, when it departs from the recommendation
    urgent: bool = False
    days_ago: int = 0
    approve: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        AgencyKey.POLICE,
        {"purpose": "child_protection", "significant_harm_concern": True, "immediate_danger": True},
        "Fakechild said an adult at home hit them last night and they are scared to go back.",
        urgent=True,
        approve=True,
    ),
    Scenario(
        AgencyKey.POLICE,
        {"purpose": "child_protection", "significant_harm_concern": True},
        "Unexplained bruising seen by the school nurse twice in one week.",
        urgent=True,
        days_ago=4,
    ),
    Scenario(
        AgencyKey.GP_NOWHERE,
        {"purpose": "child_in_need", "consent": ConsentState.GIVEN},
        "Mother agreed that the GP should know about the child in need assessment.",
        consent="given",
    ),
    Scenario(
        AgencyKey.HOUSING,
        {"purpose": "early_help", "consent": ConsentState.REFUSED},
        "Father does not want housing told about the family's difficulties; no risk of harm.",
        consent="refused",
    ),
    Scenario(
        AgencyKey.SCHOOL_QUIBBLETON,
        {"purpose": "early_help"},
        "The school could support the family; the parents have not been asked yet.",
    ),
    Scenario(
        AgencyKey.VOLUNTARY,
        {"purpose": "early_help", "purpose_clear_and_legitimate": Tristate.NOT_SURE},
        "Not sure the family support charity needs this for what it does.",
    ),
    Scenario(
        AgencyKey.POLICE,
        {"purpose": "child_in_need", "identifies_living_person": Tristate.NO},
        "Only the anonymised numbers of referrals from the area are to be shared.",
    ),
    Scenario(
        AgencyKey.POLICE,
        {
            "purpose": "child_protection",
            "significant_harm_concern": True,
            "consent": ConsentState.NOT_SOUGHT,
            "consent_not_sought_reason": NotSoughtReason.CHILD_AT_INCREASED_RISK,
            "consent_would_increase_risk_to_child": True,
        },
        "Asking the mother's partner for consent would warn him and put the child at risk.",
        consent="not_sought",
    ),
    Scenario(
        AgencyKey.POLICE,
        {
            "purpose": "child_protection",
            "significant_harm_concern": True,
            "asked_by": AskedBy.STATUTORY_ENQUIRY,
            "recipient_verified": Tristate.NO,
        },
        "A caller said they were a detective on the child's enquiry; the number they gave did "
        "not match the force switchboard.",
    ),
    Scenario(
        AgencyKey.HOSPITAL,
        {"purpose": "child_protection", "significant_harm_concern": True},
        "A fracture in a baby of four months; the paediatrician should see the history.",
        decide="seek_advice",
        extra={"override_reason": "I want the DSL's view first; the hospital already knows."},
    ),
)


def _worker(case: Case) -> Practitioner | None:
    allocation = case.allocations.filter(ended_on__isnull=True).select_related("practitioner")
    first = allocation.first()
    return first.practitioner if first is not None else None


def _approver(area: Area, decider: Practitioner) -> Practitioner:
    for spec, practitioner in area.staff:
        if spec.agency == AgencyKey.CSC and Role.DSL in spec.roles and practitioner != decider:
            return practitioner
    raise LookupError("the demo area has no DSL in children's services")


def _consent(
    kind: str,
    *,
    actor: Practitioner,
    case: Case,
    recipient: Agency,
    purpose: str,
    categories: Collection[str] = ("child", "parenting"),
) -> Consent:
    today = clock.today()
    scope: dict[str, Any] = {
        "purposes": [purpose],
        "categories": sorted(categories),
        "recipient_agencies": [recipient],
    }
    if kind == "given":
        return consent_record_given(
            actor=actor,
            person=case.subject,
            given_by="parental_responsibility",
            given_by_name="Mother" + FICTION,
            method="written",
            evidence="Signed consent form on the case file" + FICTION,
            starts_on=today - dt.timedelta(days=14),
            expires_on=today + dt.timedelta(days=180),
            **scope,
        )
    if kind == "refused":
        return consent_record_refused(
            actor=actor,
            person=case.subject,
            given_by="parental_responsibility",
            given_by_name="Father" + FICTION,
            method="verbal",
            note="Refused at the home visit" + FICTION,
            **scope,
        )
    return consent_record_not_sought(
        actor=actor,
        person=case.subject,
        reason=NotSoughtReason.CHILD_AT_INCREASED_RISK,
        explanation="Seeking consent would alert the alleged perpetrator" + FICTION,
        **scope,
    )


def seed_decisions(area: Area) -> dict[str, int]:
    """Record the scenarios on the council's open cases (in reference order); return counts."""
    council = area.agencies[AgencyKey.CSC]
    cases = list(
        Case.objects.filter(agency=council)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("subject")
        .order_by("reference")[: len(SCENARIOS) * 3]
    )
    counts = {"decisions": 0, "consents": 0, "approvals": 0}
    candidates = iter(cases)
    for scenario in SCENARIOS:
        case, worker = None, None
        for candidate in candidates:
            worker = _worker(candidate)
            if worker is not None and not candidate.subject.is_unborn:
                case = candidate
                break
        if case is None or worker is None:
            break
        recipient = area.agencies[scenario.recipient]
        facts = dataclasses.replace(_BASE, **scenario.facts)
        facts = dataclasses.replace(
            facts,
            recipient=Recipient(
                recipient_entitlement(sharer=council, recipient=recipient, purpose=facts.purpose)
            ),
        )
        with clock.frozen(clock.now() - dt.timedelta(days=scenario.days_ago)):
            consent = None
            if scenario.consent:
                consent = _consent(
                    scenario.consent,
                    actor=worker,
                    case=case,
                    recipient=recipient,
                    purpose=facts.purpose,
                )
                counts["consents"] += 1
            outcome = evaluate(facts)
            decided = scenario.decide or str(outcome.recommendation)
            shares = decided in ("share", "share_without_consent", "refer_now")
            decision = decision_record(
                actor=worker,
                case=case,
                purpose=facts.purpose,
                facts=facts,
                outcome=decided,
                reasons=scenario.reasons + FICTION,
                recipient_agency=recipient,
                lawful_basis=(
                    dataclasses.asdict(outcome.lawful_basis)
                    if shares and outcome.lawful_basis
                    else None
                ),
                what_to_share=(
                    "The concern, the dates it was seen and who saw it" + FICTION if shares else ""
                ),
                consent=consent if facts.consent == ConsentState.GIVEN else None,
                categories=consent.categories if consent is not None and shares else (),
                is_urgent=scenario.urgent,
                **scenario.extra,
            )
            counts["decisions"] += 1
            if scenario.approve and decision.approval_required:
                decision_approve(
                    actor=_approver(area, worker),
                    decision=decision,
                    approved=True,
                    comment="Agreed: refer without delay" + FICTION,
                )
                counts["approvals"] += 1
    return counts
