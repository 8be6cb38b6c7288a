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


class EmailPreferencesOut(Schema):
    """The kinds of work-arrived notice e-mailed to the caller; ``always`` cannot be turned off."""

    emailed: list[str]
    always: list[str]
    available: list[str]


class EmailPreferencesIn(Schema):
    """The kinds to e-mail (the codes in ``available``); the ``always`` kinds are added."""

    emailed: list[str]
