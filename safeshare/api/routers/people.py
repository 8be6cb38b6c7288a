"""People held by the caller's agency: search, record a new person, read one person; add and
end their addresses (protected ones withheld from anyone who may not see them) and contact
details."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from safeshare.access.capabilities import Capability
from safeshare.access.casework import (
    access_contact,
    access_person_address,
    shown_addresses,
    shown_contacts,
)
from safeshare.access.decorators import declares
from safeshare.access.fetch import access_person, record_person_list_read
from safeshare.access.scopes import people_visible_to
from safeshare.agencies.models import Practitioner
from safeshare.api.auth import authorised
from safeshare.api.errors import responses
from safeshare.api.schemas.common import Text100
from safeshare.api.schemas.people import (
    AddressEndIn,
    AddressIn,
    AddressOut,
    ContactIn,
    ContactOut,
    PersonIn,
    PersonOut,
    PersonPageOut,
)
from safeshare.people.models import Address, ContactDetail, Person
from safeshare.people.selectors import person_search
from safeshare.people.services import (
    address_add,
    address_end,
    contact_add,
    contact_end,
    person_create,
)

router = Router(tags=["people"])


def _as_seen_by(actor: Practitioner, person: Person) -> Person:
    """The person with the addresses and contact details ``actor`` may see (``PersonOut``)."""
    person.shown_addresses = shown_addresses(actor, person)  # type: ignore[attr-defined]
    person.shown_contacts = shown_contacts(actor, person)  # type: ignore[attr-defined]
    return person


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
    return Status(201, _as_seen_by(actor, person))


@router.get("/people/{person_id}", response=responses(200, PersonOut), summary="Read a person")
@declares(Capability.PERSON_VIEW)
def person_get(request: HttpRequest, person_id: uuid.UUID) -> Person:
    """Names, date of birth, addresses (protected ones flagged) and contacts (PERSON_VIEW).

    404 if the person is missing or not visible to the caller; the read is recorded.
    """
    actor = authorised(request, Capability.PERSON_VIEW)
    return _as_seen_by(actor, access_person(actor, person_id, need=Capability.PERSON_VIEW))


@router.post(
    "/people/{person_id}/addresses",
    response=responses(201, AddressOut),
    summary="Add an address",
)
@declares(Capability.PERSON_EDIT)
def person_address_create_post(
    request: HttpRequest, person_id: uuid.UUID, payload: AddressIn
) -> Status[Address]:
    """Add an address of a person the caller may see (PERSON_EDIT; 404 if not visible).

    ``is_protected`` marks a refuge or similar. A new current address ends the person's current
    one on ``lived_from`` (or today). Dates after today, or an end before the start, are 422.
    """
    actor = authorised(request, Capability.PERSON_EDIT)
    person = access_person(actor, person_id, need=Capability.PERSON_EDIT)
    address = address_add(
        actor=actor,
        person=person,
        lines=payload.lines,
        postcode=payload.postcode,
        lived_from=payload.lived_from,
        lived_to=payload.lived_to,
        is_protected=payload.is_protected,
    )
    return Status(201, address)


@router.post(
    "/addresses/{address_id}/end",
    response=responses(200, AddressOut),
    summary="Record a move out",
)
@declares(Capability.PERSON_EDIT)
def address_end_post(request: HttpRequest, address_id: uuid.UUID, payload: AddressEndIn) -> Address:
    """Record the date the person moved out (PERSON_EDIT); the address is kept as a previous one.

    404 for an address of a person the caller may not see, and for a protected address withheld
    from them; 409 if it already has an end date; 422 for a date after today or before the start.
    """
    actor = authorised(request, Capability.PERSON_EDIT)
    address = access_person_address(actor, address_id, need=Capability.PERSON_EDIT)
    return address_end(actor=actor, address=address, lived_to=payload.lived_to)


@router.post(
    "/people/{person_id}/contacts",
    response=responses(201, ContactOut),
    summary="Add contact details",
)
@declares(Capability.PERSON_EDIT)
def person_contact_create_post(
    request: HttpRequest, person_id: uuid.UUID, payload: ContactIn
) -> Status[ContactDetail]:
    """Add a telephone number or email address of a person the caller may see (PERSON_EDIT)."""
    actor = authorised(request, Capability.PERSON_EDIT)
    person = access_person(actor, person_id, need=Capability.PERSON_EDIT)
    contact = contact_add(
        actor=actor,
        person=person,
        kind=payload.kind,
        value=payload.value,
        is_protected=payload.is_protected,
    )
    return Status(201, contact)


@router.post(
    "/contacts/{contact_id}/end",
    response=responses(200, ContactOut),
    summary="Mark contact details no longer used",
)
@declares(Capability.PERSON_EDIT)
def contact_end_post(request: HttpRequest, contact_id: uuid.UUID) -> ContactDetail:
    """Record that contact details are no longer used, from today (PERSON_EDIT). They are kept.

    404 if not visible to the caller; 409 if already recorded as no longer used.
    """
    actor = authorised(request, Capability.PERSON_EDIT)
    contact = access_contact(actor, contact_id, need=Capability.PERSON_EDIT)
    return contact_end(actor=actor, contact=contact)
