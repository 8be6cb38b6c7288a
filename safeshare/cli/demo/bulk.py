"""The bulk path for large demo areas: the same rows as the services, written in batches.

Rows are built as model instances (their UUID primary keys are set in Python, so each encrypted
field is sealed by ``pre_save`` with the right associated data when ``bulk_create`` inserts it) and
every row gets the same ledger entry its service would have appended, through
``ledger_append_many``, in the same transaction as the batch. The caller commits per chunk.

Only ever used on demo data: the checks the services make are guaranteed here by construction
(the generator only plans valid records), which is what makes skipping them safe.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db import connection, models

from safeshare.agencies.models import Agency, Practitioner
from safeshare.cases.models import (
    Case,
    CaseAllocation,
    CaseStatus,
    InformationItem,
    Involvement,
)
from safeshare.cli.demo.writers import ItemRecord, PersonRecord
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append_many
from safeshare.people.models import Address, ContactDetail, Person, PersonName

# Parents before children, so every foreign key points at a row already inserted.
_MODEL_ORDER: tuple[type[models.Model], ...] = (
    Person,
    PersonName,
    Address,
    ContactDetail,
    Case,
    CaseAllocation,
    Involvement,
    InformationItem,
)


def tune_connection() -> None:
    """A bigger SQLite page cache: millions of random UUID keys otherwise thrash a 2 MiB cache."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # KiB, so 256 MiB


_LedgerKey = tuple[int, Any, tuple[tuple[str, Any], ...]]


class BulkWriter:
    """Collects rows and ledger entries in memory; ``flush()`` writes them, in a transaction."""

    def __init__(self, *, batch_size: int = 500) -> None:
        self.counts: Counter[str] = Counter()
        self.batch_size = batch_size
        self._today = clock.today()
        self._rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self._ledger: dict[
            _LedgerKey,
            tuple[Event, Practitioner, dict[str, Any], list[tuple[Subject, models.Model | None]]],
        ] = {}

    def _add(self, row: models.Model, count: str) -> None:
        self._rows[type(row)].append(row)
        self.counts[count] += 1

    def _log(
        self,
        *,
        event: Event,
        actor: Practitioner,
        subject: Subject,
        obj: models.Model,
        details: dict[str, Any] | None = None,
    ) -> None:
        details = details or {}
        key = (int(event), actor.pk, tuple(sorted(details.items())))
        group = self._ledger.get(key)
        if group is None:
            group = self._ledger[key] = (event, actor, details, [])
        group[3].append((subject, obj))

    def person(self, *, actor: Practitioner, record: PersonRecord) -> Person:
        person = Person(
            agency_id=record.agency.pk,
            given_name=record.given_name,
            family_name=record.family_name,
            date_of_birth=record.date_of_birth,
            dob_precision=record.dob_precision,
            is_unborn=record.is_unborn,
            expected_date=record.expected_date,
            sex=record.sex,
            nhs_number=record.nhs_number,
            agency_reference=record.agency_reference,
            recorded_by_id=actor.pk,
        )
        self._add(person, "people")
        self._log(
            event=Event.PERSON_CREATED,
            actor=actor,
            subject=Subject(person_id=person.pk),
            obj=person,
        )
        return person

    def person_name(
        self, *, actor: Practitioner, person: Person, kind: str, given_name: str, family_name: str
    ) -> None:
        name = PersonName(
            person_id=person.pk, kind=kind, given_name=given_name, family_name=family_name
        )
        self._add(name, "other_names")
        self._log(
            event=Event.PERSON_NAME_ADDED,
            actor=actor,
            subject=Subject(person_id=person.pk),
            obj=name,
            details={"kind": kind},
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
        address = Address(
            person_id=person.pk,
            lines=lines,
            postcode=postcode.upper(),
            lived_from=lived_from,
            lived_to=lived_to,
            is_protected=is_protected,
        )
        self._add(address, "addresses")
        self._log(
            event=Event.ADDRESS_ADDED,
            actor=actor,
            subject=Subject(person_id=person.pk),
            obj=address,
            details={"protected": is_protected},
        )

    def contact(
        self, *, actor: Practitioner, person: Person, kind: str, value: str, is_protected: bool
    ) -> None:
        contact = ContactDetail(
            person_id=person.pk, kind=kind, value=value, is_protected=is_protected
        )
        self._add(contact, "contacts")
        self._log(
            event=Event.CONTACT_ADDED,
            actor=actor,
            subject=Subject(person_id=person.pk),
            obj=contact,
            details={"kind": kind, "protected": is_protected},
        )

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
        case = Case(
            agency_id=agency.pk,
            subject_id=subject.pk,
            status=status,
            opened_on=opened_on,
            reference=reference,
        )
        self._add(case, "cases")
        self._log(
            event=Event.CASE_CREATED,
            actor=actor,
            subject=Subject(person_id=subject.pk, case_id=case.pk),
            obj=case,
            details={"status": status},
        )
        return case

    def allocation(
        self, *, actor: Practitioner, case: Case, practitioner: Practitioner, role: str
    ) -> None:
        allocation = CaseAllocation(case_id=case.pk, practitioner_id=practitioner.pk, role=role)
        self._add(allocation, "allocations")
        self._log(
            event=Event.ALLOCATION_ADDED,
            actor=actor,
            subject=Subject(person_id=case.subject_id, case_id=case.pk),
            obj=allocation,
            details={"practitioner": str(practitioner.pk), "role": role},
        )

    def involvement(
        self,
        *,
        actor: Practitioner,
        case: Case,
        person: Person,
        relationship: str,
        has_parental_responsibility: bool,
    ) -> None:
        involvement = Involvement(
            case_id=case.pk,
            person_id=person.pk,
            relationship=relationship,
            has_parental_responsibility=has_parental_responsibility,
        )
        self._add(involvement, "involvements")
        self._log(
            event=Event.INVOLVEMENT_ADDED,
            actor=actor,
            subject=Subject(person_id=case.subject_id, case_id=case.pk),
            obj=involvement,
            details={"person": str(person.pk), "relationship": relationship},
        )

    def item(self, *, actor: Practitioner, record: ItemRecord) -> None:
        item = InformationItem(
            case_id=record.case.pk,
            about_id=record.about.pk,
            category=record.category,
            summary=record.summary,
            content=record.content,
            fact_or_opinion=record.fact_or_opinion,
            source=record.source,
            how_known=record.how_known,
            event_date=record.event_date,
            recorded_by_id=actor.pk,
            special_category=record.special_category,
            criminal_offence_data=record.criminal_offence_data,
            is_confidential=record.is_confidential,
            third_party_protected=record.third_party_protected,
        )
        self._add(item, "items")
        self._log(
            event=Event.ITEM_CREATED,
            actor=actor,
            subject=Subject(person_id=record.case.subject_id, case_id=record.case.pk),
            obj=item,
            details={
                "category": record.category,
                "special_category": record.special_category,
                "criminal_offence_data": record.criminal_offence_data,
            },
        )

    def close_case(self, *, actor: Practitioner, case: Case) -> None:
        previous = case.status
        case.status = CaseStatus.CLOSED
        case.closed_on = self._today
        self.counts["closed_cases"] += 1
        self._log(
            event=Event.CASE_STATUS_CHANGED,
            actor=actor,
            subject=Subject(person_id=case.subject_id, case_id=case.pk),
            obj=case,
            details={"from": previous, "to": CaseStatus.CLOSED.value},
        )

    def flush(self) -> None:
        """Insert everything collected so far and its ledger entries (call inside a transaction)."""
        for model in _MODEL_ORDER:
            rows = self._rows.pop(model, [])
            if rows:
                model._default_manager.bulk_create(rows, batch_size=self.batch_size)
        for event, actor, details, subjects in self._ledger.values():
            ledger_append_many(event=event, actor=actor, subjects=subjects, details=details)
        self._ledger.clear()
