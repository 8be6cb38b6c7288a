"""People held by the actor's agency: input for creating one, output for lists and the detail."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Schema
from pydantic import StrictBool

from safeshare.api.schemas.common import (
    AgencyRefOut,
    InputSchema,
    IsoDate,
    Text12,
    Text50,
    Text100,
)
from safeshare.people.models import ContactKind, DobPrecision, NameKind, Sex


class PersonIn(InputSchema):
    family_name: Text100
    given_name: Text100 = ""
    date_of_birth: IsoDate | None = None
    dob_precision: DobPrecision = DobPrecision.EXACT
    is_unborn: StrictBool = False
    expected_date: IsoDate | None = None
    sex: Sex = Sex.NOT_RECORDED
    nhs_number: Text12 = ""
    agency_reference: Text50 = ""


class PersonSummaryOut(Schema):
    id: uuid.UUID
    display_name: str
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    dob_precision: DobPrecision
    is_unborn: bool
    expected_date: dt.date | None
    sex: Sex
    nhs_number: str
    agency_reference: str


class PersonPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonSummaryOut]


class OtherNameOut(Schema):
    kind: NameKind
    given_name: str
    family_name: str
    used_from: dt.date | None
    used_to: dt.date | None


class AddressOut(Schema):
    """``is_protected``: a refuge or similar, never to be shared outside the holding agency."""

    id: uuid.UUID
    lines: str
    postcode: str
    lived_from: dt.date | None
    lived_to: dt.date | None
    is_current: bool
    is_protected: bool


class ContactOut(Schema):
    id: uuid.UUID
    kind: ContactKind
    value: str
    is_protected: bool


class PersonOut(PersonSummaryOut):
    agency: AgencyRefOut
    other_names: list[OtherNameOut]
    addresses: list[AddressOut]
    contacts: list[ContactOut]
