"""Facts and decisions for tests: sensible defaults, override what the test is about."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from safeshare.agencies.models import Agency
from safeshare.consent.models import Consent
from safeshare.consent.services import consent_record_given
from safeshare.decisions.engine import (
    ConsentState,
    Facts,
    Recipient,
    Tristate,
    evaluate,
)
from safeshare.decisions.models import SharingDecision
from safeshare.decisions.services import decision_record
from tests.conftest import World

BASE_FACTS = Facts(
    purpose="child_protection",
    purpose_clear_and_legitimate=Tristate.YES,
    identifies_living_person=Tristate.YES,
    confidential=Tristate.YES,
    special_category=False,
    criminal_offence_data=False,
    consent=ConsentState.NOT_ASKED,
    consent_not_sought_reason=None,
    significant_harm_concern=True,
    immediate_danger=False,
    consent_would_increase_risk_to_child=False,
    consent_would_put_adult_at_serious_risk=False,
    consent_would_undermine_crime_prevention=False,
    statutory_duty_or_court_order=False,
    recipient=Recipient.STATUTORY_PARTNER,
    advice_sought=False,
)


def facts(**changes: Any) -> Facts:
    return dataclasses.replace(BASE_FACTS, **changes)


def given_consent(world: World, recipient: Agency) -> Consent:
    return consent_record_given(
        actor=world.worker,
        person=world.case.subject,
        given_by="parental_responsibility",
        given_by_name="Fakemum Testington (mother)",
        method="written",
        evidence="Signed form scanned to the case file",
        purposes=["child_protection"],
        recipient_agencies=[recipient],
        recipient_agency_types=[],
        categories=["child"],
        starts_on=dt.date(2026, 11, 1),
        expires_on=dt.date(2027, 5, 1),
    )


def record(world: World, the_facts: Facts | None = None, **changes: Any) -> SharingDecision:
    """Record the engine's own recommendation (with its suggested lawful basis) unless told
    otherwise."""
    the_facts = the_facts or BASE_FACTS
    outcome = evaluate(the_facts)
    basis = dataclasses.asdict(outcome.lawful_basis) if outcome.lawful_basis else None
    arguments: dict[str, Any] = {
        "actor": world.worker,
        "case": world.case,
        "purpose": the_facts.purpose,
        "facts": the_facts,
        "outcome": str(outcome.recommendation),
        "reasons": "Bruising seen twice in a week; the school nurse is worried.",
        "recipient_agency": world.other_agency,
        "lawful_basis": basis,
        "what_to_share": "The two observations of bruising, with dates and who saw them.",
    }
    arguments.update(changes)
    if arguments.get("consent") is not None:
        arguments.setdefault("categories", ["child"])
    return decision_record(**arguments)
