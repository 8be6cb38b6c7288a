"""People held by the actor's agency: input for creating one, output for lists and the detail,
and input for their addresses and contact details."""

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
    Text200,
    Text500,
)
from safeshare.people.models import (
    Address,
    ContactDetail,
    ContactKind,
    DobPrecision,
    NameKind,
    Person,
    Sex,
)


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
    """``is_protected``: a refuge or similar, never shared without a recorded reason, and never
    shown to anyone recorded as an alleged perpetrator (it is left out, without a trace)."""

    id: uuid.UUID
    lines: str
    postcode: str
    lived_from: dt.date | None
    lived_to: dt.date | None
    is_current: bool
    is_protected: bool


class ContactOut(Schema):
    """``ended_on``: the day it was recorded as no longer used (kept, never deleted)."""

    id: uuid.UUID
    kind: ContactKind
    value: str
    is_protected: bool
    ended_on: dt.date | None
    is_current: bool


class PersonOut(PersonSummaryOut):
    """A person as read through ``access_person``: addresses and contact details as the caller
    may see them (the router sets them; none unless it does)."""

    agency: AgencyRefOut
    other_names: list[OtherNameOut]
    addresses: list[AddressOut]
    contacts: list[ContactOut]

    @staticmethod
    def resolve_addresses(obj: Person) -> list[Address]:
        shown: list[Address] = getattr(obj, "shown_addresses", [])
        return shown

    @staticmethod
    def resolve_contacts(obj: Person) -> list[ContactDetail]:
        shown: list[ContactDetail] = getattr(obj, "shown_contacts", [])
        return shown


class AddressIn(InputSchema):
    """``lived_to`` for a previous address; without it the address is current and the person's
    current address, if any, ends on ``lived_from`` (or today)."""

    lines: Text500
    postcode: Text12
    lived_from: IsoDate | None = None
    lived_to: IsoDate | None = None
    is_protected: StrictBool = False


class AddressEndIn(InputSchema):
    lived_to: IsoDate


class ContactIn(InputSchema):
    kind: ContactKind
    value: Text200
    is_protected: StrictBool = False
