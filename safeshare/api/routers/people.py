"""People held by the caller's agency: search, record a new person, read one person."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import access_person, record_person_list_read
from safeshare.access.scopes import people_visible_to
from safeshare.api.auth import authorised
from safeshare.api.errors import responses
from safeshare.api.schemas.common import Text100
from safeshare.api.schemas.people import PersonIn, PersonOut, PersonPageOut
from safeshare.people.models import Person
from safeshare.people.selectors import person_search
from safeshare.people.services import person_create

router = Router(tags=["people"])


class PersonFilters(Schema):
    q: Text100 = Field("", description="NHS number, or words of a current or other name")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


@router.get("/people", response=responses(200, PersonPageOut), summary="Search people")
@declares(Capability.PERSON_VIEW)
def person_list_get(request: HttpRequest, filters: Query[PersonFilters]) -> dict[str, Any]:
    """People the caller may see matching ``q`` (PERSON_VIEW); nobody for an empty ``q``.

    Each person on the returned page is recorded in the ledger as read (PERSON_LISTED).
    """
    actor = authorised(request, Capability.PERSON_VIEW)
    people = person_search(people=people_visible_to(actor), query=filters.q)
    page = list(people[filters.offset : filters.offset + filters.limit])
    record_person_list_read(actor=actor, people=page)
    return {
        "count": people.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": page,
    }


@router.post("/people", response=responses(201, PersonOut), summary="Record a person")
@declares(Capability.PERSON_CREATE)
def person_create_post(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    """Record a person held by the caller's agency (PERSON_CREATE).

    A bad NHS number (length or check digit) is 422 with ``field`` "nhs_number"; nothing saved.
    """
    actor = authorised(request, Capability.PERSON_CREATE)
    person = person_create(
        actor=actor,
        agency=actor.agency,
        family_name=payload.family_name,
        given_name=payload.given_name,
        date_of_birth=payload.date_of_birth,
        dob_precision=payload.dob_precision,
        is_unborn=payload.is_unborn,
        expected_date=payload.expected_date,
        sex=payload.sex,
        nhs_number=payload.nhs_number,
        agency_reference=payload.agency_reference,
    )
    return Status(201, person)


@router.get("/people/{person_id}", response=responses(200, PersonOut), summary="Read a person")
@declares(Capability.PERSON_VIEW)
def person_get(request: HttpRequest, person_id: uuid.UUID) -> Person:
    """Names, date of birth, addresses (protected ones flagged) and contacts (PERSON_VIEW).

    404 if the person is missing or not visible to the caller; the read is recorded.
    """
    actor = authorised(request, Capability.PERSON_VIEW)
    return access_person(actor, person_id, need=Capability.PERSON_VIEW)
