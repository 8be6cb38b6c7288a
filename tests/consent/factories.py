"""Helpers that record consent through the real services (workflow state, not plain rows)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeshare.agencies.models import Practitioner
from safeshare.consent.models import Consent
from safeshare.consent.services import consent_record_given
from safeshare.people.models import Person

TODAY = dt.date(2026, 11, 20)
NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def given_kwargs(**overrides: Any) -> dict[str, Any]:
    """A valid consent given by a parent, for child protection, to any police force."""
    values: dict[str, Any] = {
        "given_by": "parental_responsibility",
        "given_by_name": "Mother, Fakemum Testington",
        "method": "written",
        "evidence": "Signed form scanned to the fake case file",
        "purposes": ["child_protection"],
        "categories": ["child"],
        "recipient_agency_types": ["police"],
        "expires_on": TODAY + dt.timedelta(days=180),
    }
    values.update(overrides)
    return values


def give(actor: Practitioner, person: Person, **overrides: Any) -> Consent:
    return consent_record_given(actor=actor, person=person, **given_kwargs(**overrides))
