"""The two ways the demo area is written: the interface both share, and the services writer.

The generator walks each planned family and tells a writer what to record. ``ServicesWriter``
calls the real services (validation, ledger entry per row); ``bulk.BulkWriter`` builds the same
rows and ledger entries in batches for large areas.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from safeshare.agencies.models import Agency, Practitioner
from safeshare.cases.models import Case, CaseStatus
from safeshare.cases.services import (
    allocation_add,
    case_create,
    case_set_status,
    involvement_add,
    item_create,
)
from safeshare.people.models import Person
from safeshare.people.services import address_add, contact_add, person_create, person_name_add


@dataclass(frozen=True)
class PersonRecord:
    agency: Agency
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    dob_precision: str
    is_unborn: bool
    expected_date: dt.date | None
    sex: str
    nhs_number: str
    agency_reference: str


@dataclass(frozen=True)
class ItemRecord:
    case: Case
    about: Person
    category: str
    summary: str
    content: str
    fact_or_opinion: str
    source: str
    how_known: str
    event_date: dt.date
    special_category: str
    criminal_offence_data: bool
    is_confidential: bool
    third_party_protected: bool


class Writer(Protocol):
    counts: Counter[str]

    def person(self, *, actor: Practitioner, record: PersonRecord) -> Person: ...

    def person_name(
        self, *, actor: Practitioner, person: Person, kind: str, given_name: str, family_name: str
    ) -> None: ...

    def address(
        self,
        *,
        actor: Practitioner,
        person: Person,
        lines: str,
        postcode: str,
        lived_from: dt.date | None,
        lived_to: dt.date | None,
        is_protected: bool,
    ) -> None: ...

    def contact(
        self, *, actor: Practitioner, person: Person, kind: str, value: str, is_protected: bool
    ) -> None: ...

    def case(
        self,
        *,
        actor: Practitioner,
        agency: Agency,
        subject: Person,
        status: str,
        opened_on: dt.date,
        reference: str,
    ) -> Case: ...

    def allocation(
        self, *, actor: Practitioner, case: Case, practitioner: Practitioner, role: str
    ) -> None: ...

    def involvement(
        self,
        *,
        actor: Practitioner,
        case: Case,
        person: Person,
        relationship: str,
        has_parental_responsibility: bool,
    ) -> None: ...

    def item(self, *, actor: Practitioner, record: ItemRecord) -> None: ...

    def close_case(self, *, actor: Practitioner, case: Case) -> None: ...

    def flush(self) -> None: ...


class ServicesWriter:
    """Writes through the real services: every rule checked, one ledger entry per row."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def person(self, *, actor: Practitioner, record: PersonRecord) -> Person:
        self.counts["people"] += 1
        return person_create(
            actor=actor,
            agency=record.agency,
            family_name=record.family_name,
            given_name=record.given_name,
            date_of_birth=record.date_of_birth,
            dob_precision=record.dob_precision,
            is_unborn=record.is_unborn,
            expected_date=record.expected_date,
            sex=record.sex,
            nhs_number=record.nhs_number,
            agency_reference=record.agency_reference,
        )

    def person_name(
        self, *, actor: Practitioner, person: Person, kind: str, given_name: str, family_name: str
    ) -> None:
        self.counts["other_names"] += 1
        person_name_add(
            actor=actor, person=person, kind=kind, given_name=given_name, family_name=family_name
        )

    def address(
        self,
        *,
        actor: Practitioner,
        person: Person,
        lines: str,
        postcode: str,
        lived_from: dt.date | None,
        lived_to: dt.date | None,
        is_protected: bool,
    ) -> None:
        self.counts["addresses"] += 1
        address_add(
            actor=actor,
            person=person,
            lines=lines,
            postcode=postcode,
            lived_from=lived_from,
            lived_to=lived_to,
            is_protected=is_protected,
        )

    def contact(
        self, *, actor: Practitioner, person: Person, kind: str, value: str, is_protected: bool
    ) -> None:
        self.counts["contacts"] += 1
        contact_add(actor=actor, person=person, kind=kind, value=value, is_protected=is_protected)

    def case(
        self,
        *,
        actor: Practitioner,
        agency: Agency,
        subject: Person,
        status: str,
        opened_on: dt.date,
        reference: str,
    ) -> Case:
        self.counts["cases"] += 1
        return case_create(
            actor=actor,
            agency=agency,
            subject=subject,
            status=status,
            opened_on=opened_on,
            reference=reference,
        )

    def allocation(
        self, *, actor: Practitioner, case: Case, practitioner: Practitioner, role: str
    ) -> None:
        self.counts["allocations"] += 1
        allocation_add(actor=actor, case=case, practitioner=practitioner, role=role)

    def involvement(
        self,
        *,
        actor: Practitioner,
        case: Case,
        person: Person,
        relationship: str,
        has_parental_responsibility: bool,
    ) -> None:
        self.counts["involvements"] += 1
        involvement_add(
            actor=actor,
            case=case,
            person=person,
            relationship=relationship,
            has_parental_responsibility=has_parental_responsibility,
        )

    def item(self, *, actor: Practitioner, record: ItemRecord) -> None:
        self.counts["items"] += 1
        item_create(
            actor=actor,
            case=record.case,
            about=record.about,
            category=record.category,
            summary=record.summary,
            content=record.content,
            fact_or_opinion=record.fact_or_opinion,
            source=record.source,
            how_known=record.how_known,
            event_date=record.event_date,
            special_category=record.special_category,
            criminal_offence_data=record.criminal_offence_data,
            is_confidential=record.is_confidential,
            third_party_protected=record.third_party_protected,
        )

    def close_case(self, *, actor: Practitioner, case: Case) -> None:
        self.counts["closed_cases"] += 1
        case_set_status(actor=actor, case=case, status=CaseStatus.CLOSED)

    def flush(self) -> None:
        """Nothing is buffered: each service has already written its rows."""
