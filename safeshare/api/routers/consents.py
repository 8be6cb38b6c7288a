"""Consent: a person's consent records, record given/refused/not sought, withdraw, and the consent
position for one purpose, recipient and category."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import access_agency, access_consent, access_person
from safeshare.access.scopes import consents_visible_to
from safeshare.agencies.models import Agency, Practitioner
from safeshare.api.auth import authorised, referenced
from safeshare.api.errors import responses
from safeshare.api.schemas.consents import (
    ConsentGivenIn,
    ConsentIn,
    ConsentOut,
    ConsentRefusedIn,
    ConsentStateFilters,
    ConsentStateOut,
    ConsentWithdrawIn,
)
from safeshare.consent.models import Consent
from safeshare.consent.selectors import consent_state_for, consents_for_person
from safeshare.consent.services import (
    consent_record_given,
    consent_record_not_sought,
    consent_record_refused,
)
from safeshare.decisions.services import consent_withdraw_with_recall

router = Router(tags=["consent"])


def _agencies(actor: Practitioner, ids: list[uuid.UUID]) -> list[Agency]:
    """The recipient agencies named by id (404 naming ``recipient_agency_ids`` if one is not)."""

    def fetch(agency_id: uuid.UUID) -> Agency:
        return referenced("recipient_agency_ids", lambda: access_agency(actor, agency_id))

    return [fetch(agency_id) for agency_id in ids]


@router.get(
    "/people/{person_id}/consents",
    response=responses(200, list[ConsentOut]),
    summary="List a person's consent records",
)
@declares(Capability.CONSENT_VIEW)
def person_consents_get(request: HttpRequest, person_id: uuid.UUID) -> QuerySet[Consent]:
    """Every consent, refusal, withdrawal and "not sought" record about the person, newest
    first (CONSENT_VIEW; 404 if the person is not visible)."""
    actor = authorised(request, Capability.CONSENT_VIEW)
    person = access_person(actor, person_id, need=Capability.CONSENT_VIEW)
    return consents_for_person(consents=consents_visible_to(actor), person=person)


@router.post(
    "/people/{person_id}/consents",
    response=responses(201, ConsentOut),
    summary="Record consent given, refused or not sought",
)
@declares(Capability.CONSENT_RECORD)
def person_consent_create_post(
    request: HttpRequest, person_id: uuid.UUID, payload: ConsentIn
) -> Status[Consent]:
    """Record consent (``state`` "given"), a refusal ("refused") or that consent was not sought
    ("not_sought") for a person held by the caller's agency (CONSENT_RECORD).

    A recipient agency that does not exist is 404 with ``field`` "recipient_agency_ids"; a broken
    rule (no expiry, a competent child of 18, no scope...) is 422 naming the field.
    """
    actor = authorised(request, Capability.CONSENT_RECORD)
    person = access_person(actor, person_id, need=Capability.CONSENT_RECORD)
    recipients = _agencies(actor, payload.recipient_agency_ids)
    scope: dict[str, Any] = {
        "purposes": [str(p) for p in payload.purposes],
        "categories": [str(c) for c in payload.categories],
        "recipient_agencies": recipients,
        "recipient_agency_types": [str(t) for t in payload.recipient_agency_types],
    }
    if isinstance(payload, ConsentGivenIn):
        consent = consent_record_given(
            actor=actor,
            person=person,
            given_by=payload.given_by,
            given_by_name=payload.given_by_name,
            method=payload.method,
            evidence=payload.evidence,
            expires_on=payload.expires_on,
            starts_on=payload.starts_on,
            competence_note=payload.competence_note,
            **scope,
        )
    elif isinstance(payload, ConsentRefusedIn):
        consent = consent_record_refused(
            actor=actor,
            person=person,
            given_by=payload.given_by,
            given_by_name=payload.given_by_name,
            method=payload.method,
            competence_note=payload.competence_note,
            evidence=payload.evidence,
            note=payload.note,
            refused_on=payload.refused_on,
            **scope,
        )
    else:
        consent = consent_record_not_sought(
            actor=actor,
            person=person,
            reason=payload.not_sought_reason,
            explanation=payload.not_sought_explanation,
            **scope,
        )
    return Status(201, consent)


@router.post(
    "/consents/{consent_id}/withdraw",
    response=responses(200, ConsentOut),
    summary="Withdraw consent",
)
@declares(Capability.CONSENT_RECORD)
def consent_withdraw_post(
    request: HttpRequest, consent_id: uuid.UUID, payload: ConsentWithdrawIn
) -> Consent:
    """Withdraw a given consent (CONSENT_RECORD; 404 if not visible, 409 if it was not given or
    is already withdrawn). Every share decided on this consent gets a recall record."""
    actor = authorised(request, Capability.CONSENT_RECORD)
    consent = access_consent(actor, consent_id, need=Capability.CONSENT_RECORD)
    return consent_withdraw_with_recall(actor=actor, consent=consent, note=payload.note)


@router.get(
    "/people/{person_id}/consent-state",
    response=responses(200, ConsentStateOut),
    summary="Consent position for one share",
)
@declares(Capability.CONSENT_VIEW)
def person_consent_state_get(
    request: HttpRequest, person_id: uuid.UUID, filters: Query[ConsentStateFilters]
) -> dict[str, Any]:
    """Consent to share ``category`` about the person with the recipient agency for ``purpose``,
    today: given, refused, withdrawn, expired, not sought or not asked, and the record it rests
    on (CONSENT_VIEW). Expired consent, or consent that does not cover all three, is no consent.
    """
    actor = authorised(request, Capability.CONSENT_VIEW)
    person = access_person(actor, person_id, need=Capability.CONSENT_VIEW)
    recipient_id = filters.recipient_agency_id
    recipient = referenced("recipient_agency_id", lambda: access_agency(actor, recipient_id))
    state, consent = consent_state_for(
        person=person,
        purpose=filters.purpose,
        recipient_agency=recipient,
        category=filters.category,
    )
    return {"state": state, "consent": consent}
