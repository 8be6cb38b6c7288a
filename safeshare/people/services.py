"""Writes for people, their names, addresses and contact details."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append
from safeshare.people.exceptions import AlreadyEnded, NhsNumberInvalid, PersonInvalid
from safeshare.people.models import (
    Address,
    ContactDetail,
    ContactKind,
    DobPrecision,
    NameKind,
    Person,
    PersonName,
    Sex,
)
from safeshare.people.nhs import InvalidNhsNumber, normalise_nhs_number

if TYPE_CHECKING:
    from safeshare.agencies.models import Agency, Practitioner


def clean_nhs_number(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return normalise_nhs_number(raw)
    except InvalidNhsNumber as exc:
        raise NhsNumberInvalid(str(exc), field="nhs_number") from exc


def _check_person(
    *,
    family_name: str,
    date_of_birth: dt.date | None,
    dob_precision: str,
    is_unborn: bool,
    expected_date: dt.date | None,
    sex: str,
) -> None:
    if not family_name.strip():
        raise PersonInvalid("Enter the family name", field="family_name")
    if sex not in Sex.values:
        raise PersonInvalid("Select the person's sex, or 'Not recorded'", field="sex")
    if dob_precision not in DobPrecision.values:
        raise PersonInvalid("Select how precise the date of birth is", field="dob_precision")
    if is_unborn:
        if expected_date is None:
            raise PersonInvalid("Enter the expected date of delivery", field="expected_date")
        if date_of_birth is not None:
            raise PersonInvalid(
                "An unborn child has an expected date, not a date of birth", field="date_of_birth"
            )
        return
    if date_of_birth is not None and date_of_birth > clock.today():
        raise PersonInvalid("Date of birth must be in the past", field="date_of_birth")
    if date_of_birth is None and dob_precision not in (DobPrecision.UNKNOWN,):
        raise PersonInvalid(
            "Enter the date of birth, or say it is not known", field="date_of_birth"
        )


@transaction.atomic
def person_create(
    *,
    actor: Practitioner | None,
    agency: Agency,
    family_name: str,
    given_name: str = "",
    date_of_birth: dt.date | None = None,
    dob_precision: str = DobPrecision.EXACT,
    is_unborn: bool = False,
    expected_date: dt.date | None = None,
    sex: str = Sex.NOT_RECORDED,
    nhs_number: str = "",
    agency_reference: str = "",
) -> Person:
    if date_of_birth is None and not is_unborn and dob_precision == DobPrecision.EXACT:
        dob_precision = DobPrecision.UNKNOWN
    _check_person(
        family_name=family_name,
        date_of_birth=date_of_birth,
        dob_precision=dob_precision,
        is_unborn=is_unborn,
        expected_date=expected_date,
        sex=sex,
    )
    person = Person.objects.create(
        agency=agency,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
        dob_precision=dob_precision,
        is_unborn=is_unborn,
        expected_date=expected_date if is_unborn else None,
        sex=sex,
        nhs_number=clean_nhs_number(nhs_number),
        agency_reference=agency_reference.strip(),
        recorded_by=actor,
    )
    ledger_append(
        event=Event.PERSON_CREATED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=person,
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: Practitioner,
    person: Person,
    family_name: str,
    given_name: str,
    date_of_birth: dt.date | None,
    dob_precision: str,
    is_unborn: bool,
    expected_date: dt.date | None,
    sex: str,
    nhs_number: str,
    agency_reference: str,
) -> Person:
    _check_person(
        family_name=family_name,
        date_of_birth=date_of_birth,
        dob_precision=dob_precision,
        is_unborn=is_unborn,
        expected_date=expected_date,
        sex=sex,
    )
    new_values = {
        "family_name": family_name.strip(),
        "given_name": given_name.strip(),
        "date_of_birth": date_of_birth,
        "dob_precision": dob_precision,
        "is_unborn": is_unborn,
        "expected_date": expected_date if is_unborn else None,
        "sex": sex,
        "nhs_number": clean_nhs_number(nhs_number),
        "agency_reference": agency_reference.strip(),
    }
    changed = sorted(k for k, v in new_values.items() if getattr(person, k) != v)
    for key, value in new_values.items():
        setattr(person, key, value)
    person.touch()
    person.save()
    ledger_append(
        event=Event.PERSON_UPDATED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=person,
        details={"fields": changed},
    )
    return person


@transaction.atomic
def person_name_add(
    *,
    actor: Practitioner | None,
    person: Person,
    kind: str,
    given_name: str,
    family_name: str,
    used_from: dt.date | None = None,
    used_to: dt.date | None = None,
) -> PersonName:
    if kind not in NameKind.values:
        raise PersonInvalid("Select what kind of name this is", field="kind")
    if not (given_name.strip() or family_name.strip()):
        raise PersonInvalid("Enter a given name or a family name", field="family_name")
    name = PersonName.objects.create(
        person=person,
        kind=kind,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        used_from=used_from,
        used_to=used_to,
    )
    ledger_append(
        event=Event.PERSON_NAME_ADDED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=name,
        details={"kind": kind},
    )
    return name


@transaction.atomic
def address_add(
    *,
    actor: Practitioner | None,
    person: Person,
    lines: str,
    postcode: str,
    lived_from: dt.date | None = None,
    lived_to: dt.date | None = None,
    is_protected: bool = False,
    end_current: bool = True,
) -> Address:
    """Add an address. A new current address ends the previous current one on its start date."""
    if not lines.strip():
        raise PersonInvalid("Enter the address", field="lines")
    if not postcode.strip():
        raise PersonInvalid("Enter the postcode", field="postcode")
    today = clock.today()
    if lived_from and lived_from > today:
        raise PersonInvalid(
            "The date they moved in must be today or in the past", field="lived_from"
        )
    if lived_to and lived_to > today:
        raise PersonInvalid(
            "The date they moved out must be today or in the past", field="lived_to"
        )
    if lived_from and lived_to and lived_to < lived_from:
        raise PersonInvalid("The end date must be after the start date", field="lived_to")
    ended: list[str] = []
    if lived_to is None and end_current:
        for previous in person.addresses.filter(lived_to__isnull=True):
            previous.lived_to = lived_from or today
            previous.touch()
            previous.save(update_fields=["lived_to", "updated_at"])
            ended.append(str(previous.pk))
    address = Address.objects.create(
        person=person,
        lines=lines.strip(),
        postcode=postcode.strip().upper(),
        lived_from=lived_from,
        lived_to=lived_to,
        is_protected=is_protected,
    )
    ledger_append(
        event=Event.ADDRESS_ADDED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=address,
        details={"protected": is_protected, "ended": ended}
        if ended
        else {"protected": is_protected},
    )
    return address


@transaction.atomic
def address_end(*, actor: Practitioner, address: Address, lived_to: dt.date | None) -> Address:
    """Record the date someone stopped living at an address (the address is kept, as a previous
    one: records stay accurate and up to date without losing what was known)."""
    if lived_to is None:
        raise PersonInvalid("Enter the date they moved out", field="lived_to")
    if lived_to > clock.today():
        raise PersonInvalid(
            "The date they moved out must be today or in the past", field="lived_to"
        )
    if address.lived_from and lived_to < address.lived_from:
        raise PersonInvalid(
            "The date they moved out must be on or after the date they moved in", field="lived_to"
        )
    now = clock.now()
    ended = Address.objects.filter(pk=address.pk, lived_to__isnull=True).update(
        lived_to=lived_to, updated_at=now
    )
    if not ended:
        raise AlreadyEnded("This address already has a date they moved out")
    address.lived_to, address.updated_at = lived_to, now
    ledger_append(
        event=Event.ADDRESS_ENDED,
        actor=actor,
        subject=Subject(person_id=address.person_id),
        obj=address,
        details={"protected": address.is_protected},
    )
    return address


@transaction.atomic
def contact_add(
    *,
    actor: Practitioner | None,
    person: Person,
    kind: str,
    value: str,
    is_protected: bool = False,
) -> ContactDetail:
    if kind not in ContactKind.values:
        raise PersonInvalid("Select telephone or email", field="kind")
    if not value.strip():
        raise PersonInvalid("Enter the contact detail", field="value")
    contact = ContactDetail.objects.create(
        person=person, kind=kind, value=value.strip(), is_protected=is_protected
    )
    ledger_append(
        event=Event.CONTACT_ADDED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=contact,
        details={"kind": kind, "protected": is_protected},
    )
    return contact


@transaction.atomic
def contact_end(*, actor: Practitioner, contact: ContactDetail) -> ContactDetail:
    """Record that a telephone number or email address is no longer used, from today. It is
    kept (not deleted), shown as no longer used."""
    today, now = clock.today(), clock.now()
    ended = ContactDetail.objects.filter(pk=contact.pk, ended_on__isnull=True).update(
        ended_on=today, updated_at=now
    )
    if not ended:
        raise AlreadyEnded("These contact details are already recorded as no longer used")
    contact.ended_on, contact.updated_at = today, now
    ledger_append(
        event=Event.CONTACT_ENDED,
        actor=actor,
        subject=Subject(person_id=contact.person_id),
        obj=contact,
        details={"kind": contact.kind, "protected": contact.is_protected},
    )
    return contact
