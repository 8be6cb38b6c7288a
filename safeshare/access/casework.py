"""``access_*`` for the records of casework basics: a case's allocations and involvements, a
person's addresses and contact details, and who may be allocated to a case.

As everywhere in ``safeshare.access``: the same ``NotFound`` for a record that is missing, a
malformed id, and a record the actor may not see (another agency's, a case they are not allocated
to, a protected address withheld from them); one query through the row rule, so a denied fetch
costs the same whether or not the row exists; each fetch of a child's or a person's record is a
read recorded in the ledger in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import Q

from safeshare.access import rules, scopes
from safeshare.access.capabilities import Capability, has_capability
from safeshare.access.fetch import _parse_id
from safeshare.agencies.models import Practitioner
from safeshare.cases.models import Case, CaseAllocation, Involvement
from safeshare.core.exceptions import NotFound
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append
from safeshare.people.models import Address, ContactDetail, Person

M = TypeVar("M", bound=models.Model)


def _fetch(
    queryset: models.QuerySet[M],
    raw_id: Any,
    actor: Any,
    need: Capability,
    rule: Callable[[Practitioner], Q],
) -> M:
    pk = _parse_id(raw_id)
    if not has_capability(actor, need):
        raise NotFound()
    found = next(iter(queryset.filter(rule(actor), pk=pk).order_by()[:1]), None)
    if found is None:
        raise NotFound()
    return found


def _case_read(actor: Practitioner, case: Case, obj: models.Model, need: Capability) -> None:
    ledger_append(
        event=Event.CASE_VIEWED,
        actor=actor,
        subject=Subject(person_id=case.subject_id, case_id=case.pk),
        obj=obj,
        details={"need": str(need)},
    )


def _person_read(actor: Practitioner, person_id: Any, obj: models.Model, need: Capability) -> None:
    ledger_append(
        event=Event.PERSON_VIEWED,
        actor=actor,
        subject=Subject(person_id=person_id),
        obj=obj,
        details={"need": str(need)},
    )


@transaction.atomic
def access_allocation(
    actor: Practitioner, allocation_id: Any, *, need: Capability = Capability.CASE_ALLOCATE
) -> CaseAllocation:
    """An allocation of a case the actor may see, to end or reallocate it (CASE_ALLOCATE)."""
    queryset = CaseAllocation.objects.select_related(
        "case", "case__subject", "case__agency", "practitioner"
    )
    allocation = _fetch(queryset, allocation_id, actor, need, rules.allocation_rule)
    _case_read(actor, allocation.case, allocation, need)
    return allocation


@transaction.atomic
def access_involvement(
    actor: Practitioner, involvement_id: Any, *, need: Capability = Capability.CASE_EDIT
) -> Involvement:
    """Someone's involvement in a case the actor may see, to end it (CASE_EDIT)."""
    queryset = Involvement.objects.select_related("case", "case__subject", "person")
    involvement = _fetch(queryset, involvement_id, actor, need, rules.involvement_rule)
    _case_read(actor, involvement.case, involvement, need)
    return involvement


@transaction.atomic
def access_person_address(
    actor: Practitioner, address_id: Any, *, need: Capability = Capability.PERSON_EDIT
) -> Address:
    """An address of a person the actor may see, unless it is protected and withheld from them
    (``rules.address_rule``), to record that the person moved out (PERSON_EDIT)."""
    queryset = Address.objects.select_related("person")
    address = _fetch(queryset, address_id, actor, need, rules.address_rule)
    _person_read(actor, address.person_id, address, need)
    return address


@transaction.atomic
def access_contact(
    actor: Practitioner, contact_id: Any, *, need: Capability = Capability.PERSON_EDIT
) -> ContactDetail:
    """A contact detail of a person the actor may see, unless protected and withheld from them,
    to record that it is no longer used (PERSON_EDIT)."""
    queryset = ContactDetail.objects.select_related("person")
    contact = _fetch(queryset, contact_id, actor, need, rules.contact_rule)
    _person_read(actor, contact.person_id, contact, need)
    return contact


def access_allocatable_practitioner(
    actor: Practitioner, case: Case, practitioner_id: Any
) -> Practitioner:
    """A practitioner the actor may allocate to ``case`` (``scopes.allocatable_practitioners_for``:
    CASE_ALLOCATE, the case's own agency, active, a role that holds cases). Staff names are not a
    child's record: not a recorded read."""
    pk = _parse_id(practitioner_id)
    found = scopes.allocatable_practitioners_for(actor, case).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def shown_addresses(actor: Practitioner, person: Person) -> list[Address]:
    """The person's addresses as the actor may see them, current first then newest. Reading them
    is part of the read of the person (``access_person`` records it)."""
    return list(
        scopes.addresses_visible_to(actor)
        .filter(person=person)
        .order_by(models.F("lived_to").desc(nulls_first=True), "-lived_from", "pk")
    )


def shown_contacts(actor: Practitioner, person: Person) -> list[ContactDetail]:
    """The person's contact details as the actor may see them, current ones first."""
    return list(
        scopes.contacts_visible_to(actor)
        .filter(person=person)
        .order_by(models.F("ended_on").desc(nulls_first=True), "kind", "created_at")
    )
