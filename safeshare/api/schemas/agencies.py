"""Agencies and information sharing agreements (governance records, no personal data)."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema

from safeshare.agencies.models import AgencyType, AgreementStatus
from safeshare.api.schemas.common import AgencyRefOut, PractitionerRefOut


class AgencyOut(Schema):
    id: uuid.UUID
    name: str
    agency_type: AgencyType
    local_authority_area: str
    ods_code: str
    is_active: bool


class SignatureOut(Schema):
    agency: AgencyRefOut
    signatory: PractitionerRefOut
    signed_at: dt.datetime


class AgreementOut(Schema):
    id: uuid.UUID
    reference: str
    title: str
    status: AgreementStatus
    owner: AgencyRefOut
    parties: list[AgencyRefOut]
    purposes: list[str]
    data_categories: list[str]
    lawful_bases: list[str]
    retention_days: int
    start_date: dt.date
    review_date: dt.date
    end_date: dt.date | None
    dpia_reference: str
    signatures: list[SignatureOut]
