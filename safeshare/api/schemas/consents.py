"""Consent to share: record given, refused or not sought; withdraw; read the position for a share.

A new record's body names its ``state`` and carries only the fields that state needs (a tagged
union), so a refusal cannot arrive with an expiry date and a "not sought" record with a method.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from safeshare.agencies.models import AgencyType
from safeshare.api.schemas.common import (
    AgencyRefOut,
    InputSchema,
    IsoDate,
    PractitionerRefOut,
    Text200,
    Text1000,
)
from safeshare.consent.models import (
    ConsentMethod,
    ConsentState,
    EffectiveConsent,
    GivenBy,
    NotSoughtReason,
)
from safeshare.core.vocabulary import InformationCategory, SharingPurpose

MAX_SCOPE = 50


class _ScopeIn(InputSchema):
    """What the record covers: purposes, recipients (agencies or types of agency), categories."""

    purposes: list[SharingPurpose] = Field(default_factory=list, max_length=MAX_SCOPE)
    categories: list[InformationCategory] = Field(default_factory=list, max_length=MAX_SCOPE)
    recipient_agency_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_SCOPE)
    recipient_agency_types: list[AgencyType] = Field(default_factory=list, max_length=MAX_SCOPE)


class ConsentGivenIn(_ScopeIn):
    """Consent given: who gave it and how, the evidence, the scope (all three parts) and expiry."""

    state: Literal["given"]
    given_by: GivenBy
    given_by_name: Text200
    method: ConsentMethod
    evidence: Text1000
    expires_on: IsoDate
    starts_on: IsoDate | None = None
    competence_note: Text1000 = ""


class ConsentRefusedIn(_ScopeIn):
    """Consent refused. An empty scope field means the refusal covers anything in that field."""

    state: Literal["refused"]
    given_by: GivenBy
    given_by_name: Text200
    method: ConsentMethod
    competence_note: Text1000 = ""
    evidence: Text1000 = ""
    note: Text1000 = ""
    refused_on: IsoDate | None = None


class ConsentNotSoughtIn(_ScopeIn):
    """Consent not sought, for one of the reasons the guidance allows, and why in this case."""

    state: Literal["not_sought"]
    not_sought_reason: NotSoughtReason
    not_sought_explanation: Text1000


ConsentIn = Annotated[
    ConsentGivenIn | ConsentRefusedIn | ConsentNotSoughtIn, Field(discriminator="state")
]


class ConsentWithdrawIn(InputSchema):
    note: Text1000 = Field(description="How and why consent was withdrawn")


class ConsentStateFilters(Schema):
    purpose: SharingPurpose
    recipient_agency_id: uuid.UUID
    category: InformationCategory


class ConsentOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    agency: AgencyRefOut
    state: ConsentState
    given_by: GivenBy | Literal[""]
    given_by_name: str
    competence_note: str
    method: ConsentMethod | Literal[""]
    evidence: str
    purposes: list[str]
    recipient_agencies: list[AgencyRefOut]
    recipient_agency_types: list[str]
    categories: list[str]
    starts_on: dt.date
    expires_on: dt.date | None
    note: str
    not_sought_reason: NotSoughtReason | Literal[""]
    not_sought_explanation: str
    recorded_by: PractitionerRefOut
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None
    withdrawal_note: str


class ConsentStateOut(Schema):
    """The consent position for one purpose, recipient and category today, and its record."""

    state: EffectiveConsent
    consent: ConsentOut | None
