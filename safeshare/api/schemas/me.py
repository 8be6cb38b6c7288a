"""The signed-in practitioner, as the API sees them."""

from __future__ import annotations

import uuid

from ninja import Schema

from safeshare.api.schemas.agencies import AgencyOut


class PractitionerOut(Schema):
    id: uuid.UUID
    username: str
    given_name: str
    family_name: str
    full_name: str
    job_title: str
    email: str


class MeOut(Schema):
    practitioner: PractitionerOut
    agency: AgencyOut
    roles: list[str]
    capabilities: list[str]
