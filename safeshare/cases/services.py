"""Writes for cases, allocations, involvements and information items."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction

from safeshare.agencies.models import Agency, Practitioner
from safeshare.cases.exceptions import (
    AllocationEnded,
    AllocationInvalid,
    CaseClosed,
    CaseInvalid,
    InvolvementEnded,
    InvolvementInvalid,
    ItemInvalid,
)
from safeshare.cases.models import (
    AllocationEndReason,
    AllocationRole,
    Case,
    CaseAllocation,
    CaseStatus,
    FactOrOpinion,
    HowKnown,
    InformationItem,
    InformationItemRevision,
    Involvement,
    InvolvementEndReason,
    Relationship,
)
from safeshare.core import clock
from safeshare.core.vocabulary import InformationCategory, SpecialCategory
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append
from safeshare.people.models import DobPrecision, Person, Sex
from safeshare.people.services import person_create

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _new_reference() -> str:
    return "CS-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(7))


def _subject(case: Case) -> Subject:
    return Subject(person_id=case.subject_id, case_id=case.pk)


@transaction.atomic
def case_create(
    *,
    actor: Practitioner | None,
    agency: Agency,
    subject: Person,
    status: str,
    opened_on: dt.date | None = None,
    allocate: Practitioner | None = None,
    reference: str = "",
) -> Case:
    if subject.agency_id != agency.pk:
        raise CaseInvalid("The child must be a person held by your agency", field="subject")
    if status not in CaseStatus.values or status == CaseStatus.CLOSED:
        raise CaseInvalid("Select the case status", field="status")
    opened = opened_on or clock.today()
    if opened > clock.today():
        raise CaseInvalid("The case cannot open in the future", field="opened_on")
    case: Case | None = None
    for _ in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    agency=agency,
                    subject=subject,
                    status=status,
                    opened_on=opened,
                    reference=reference.strip() or _new_reference(),
                )
            break
        except IntegrityError as exc:
            if reference:
                raise CaseInvalid(
                    f"Reference {reference} is already used", field="reference"
                ) from exc
    if case is None:  # pragma: no cover - five collisions in a 32^7 space
        raise CaseInvalid("Could not allocate a case reference; try again")
    ledger_append(
        event=Event.CASE_CREATED,
        actor=actor,
        subject=_subject(case),
        obj=case,
        details={"status": status},
    )
    if allocate is not None:
        allocation_add(actor=actor, case=case, practitioner=allocate)
    return case


@transaction.atomic
def case_set_status(*, actor: Practitioner, case: Case, status: str) -> Case:
    if status not in CaseStatus.values:
        raise CaseInvalid("Select the case status", field="status")
    previous = case.status
    if previous == status:
        return case
    case.status = status
    case.closed_on = clock.today() if status == CaseStatus.CLOSED else None
    case.touch()
    case.save(update_fields=["status", "closed_on", "updated_at"])
    ledger_append(
        event=Event.CASE_STATUS_CHANGED,
        actor=actor,
        subject=_subject(case),
        obj=case,
        details={"from": previous, "to": status},
    )
    return case


def _check_allocatable(*, case: Case, practitioner: Practitioner, role: str) -> None:
    if practitioner.agency_id != case.agency_id:
        raise AllocationInvalid(
            "Only a practitioner of the case's agency can be allocated", field="practitioner"
        )
    if not practitioner.is_active:
        raise AllocationInvalid("That practitioner's account is not active", field="practitioner")
    if role not in AllocationRole.values:
        raise AllocationInvalid("Select the allocation role", field="role")


@transaction.atomic
def allocation_add(
    *,
    actor: Practitioner | None,
    case: Case,
    practitioner: Practitioner,
    role: str = AllocationRole.ALLOCATED_WORKER,
) -> CaseAllocation:
    _check_allocatable(case=case, practitioner=practitioner, role=role)
    existing = case.allocations.filter(practitioner=practitioner, ended_on__isnull=True).first()
    if existing is not None:
        return existing
    allocation = CaseAllocation.objects.create(case=case, practitioner=practitioner, role=role)
    ledger_append(
        event=Event.ALLOCATION_ADDED,
        actor=actor,
        subject=_subject(case),
        obj=allocation,
        details={"practitioner": str(practitioner.pk), "role": role},
    )
    return allocation


def _check_end_reason(reason: str) -> None:
    if reason not in AllocationEndReason.values:
        raise AllocationInvalid("Select why the allocation is ending", field="reason")


def _end_today(allocation: CaseAllocation, *, reason: str) -> None:
    """End ``allocation`` today for ``reason``; refused if it has already ended. One conditional
    UPDATE, so two managers ending or reallocating it at once cannot both succeed."""
    today, now = clock.today(), clock.now()
    ended = CaseAllocation.objects.filter(pk=allocation.pk, ended_on__isnull=True).update(
        ended_on=today, end_reason=reason, updated_at=now
    )
    if not ended:
        raise AllocationEnded("This allocation has already ended")
    allocation.ended_on, allocation.end_reason, allocation.updated_at = today, reason, now


@transaction.atomic
def allocation_end(
    *, actor: Practitioner, allocation: CaseAllocation, reason: str
) -> CaseAllocation:
    """End a practitioner's allocation today, for ``reason`` (an ``AllocationEndReason``).

    They no longer have a legitimate relationship to the case (unless their role sees every case
    of the agency); the reason is kept on the allocation and in the ledger entry."""
    _check_end_reason(reason)
    _end_today(allocation, reason=reason)
    ledger_append(
        event=Event.ALLOCATION_ENDED,
        actor=actor,
        subject=_subject(allocation.case),
        obj=allocation,
        details={"practitioner": str(allocation.practitioner_id), "reason": reason},
    )
    return allocation


@transaction.atomic
def case_reallocate(
    *,
    actor: Practitioner,
    allocation: CaseAllocation,
    practitioner: Practitioner,
    reason: str,
) -> CaseAllocation:
    """Hand the case from one practitioner to another in one transaction: the current
    allocation ends today for ``reason`` and ``practitioner`` is allocated in the same role.

    Either both happen or neither does; the new allocation is returned. The ledger records the
    end (with the reason and who took over) and the reallocation (from, to, reason)."""
    _check_end_reason(reason)
    case = allocation.case
    _check_allocatable(case=case, practitioner=practitioner, role=allocation.role)
    if practitioner.pk == allocation.practitioner_id:
        raise AllocationInvalid(
            "Choose a practitioner other than the one allocated now", field="practitioner"
        )
    if case.allocations.filter(practitioner=practitioner, ended_on__isnull=True).exists():
        raise AllocationInvalid(
            "That practitioner is already allocated to the case: end this allocation instead",
            field="practitioner",
        )
    _end_today(allocation, reason=reason)
    ledger_append(
        event=Event.ALLOCATION_ENDED,
        actor=actor,
        subject=_subject(case),
        obj=allocation,
        details={
            "practitioner": str(allocation.practitioner_id),
            "reason": reason,
            "reallocated_to": str(practitioner.pk),
        },
    )
    successor = CaseAllocation.objects.create(
        case=case, practitioner=practitioner, role=allocation.role
    )
    ledger_append(
        event=Event.CASE_REALLOCATED,
        actor=actor,
        subject=_subject(case),
        obj=successor,
        details={
            "from": str(allocation.practitioner_id),
            "to": str(practitioner.pk),
            "role": allocation.role,
            "reason": reason,
            "ended_allocation": str(allocation.pk),
        },
    )
    return successor


@transaction.atomic
def involvement_add(
    *,
    actor: Practitioner | None,
    case: Case,
    person: Person,
    relationship: str,
    has_parental_responsibility: bool = False,
) -> Involvement:
    if person.agency_id != case.agency_id:
        raise InvolvementInvalid("The person must be held by the case's agency", field="person")
    if person.pk == case.subject_id:
        raise InvolvementInvalid("The child is already the subject of the case", field="person")
    if relationship not in Relationship.values:
        raise InvolvementInvalid("Select the relationship to the child", field="relationship")
    if Involvement.objects.filter(case=case, person=person, relationship=relationship).exists():
        raise InvolvementInvalid(
            "That person is already recorded with that relationship", field="relationship"
        )
    involvement = Involvement.objects.create(
        case=case,
        person=person,
        relationship=relationship,
        has_parental_responsibility=has_parental_responsibility,
    )
    ledger_append(
        event=Event.INVOLVEMENT_ADDED,
        actor=actor,
        subject=_subject(case),
        obj=involvement,
        details={"person": str(person.pk), "relationship": relationship},
    )
    return involvement


@transaction.atomic
def involvement_add_new_person(
    *,
    actor: Practitioner,
    case: Case,
    family_name: str,
    relationship: str,
    given_name: str = "",
    date_of_birth: dt.date | None = None,
    sex: str = Sex.NOT_RECORDED,
    has_parental_responsibility: bool = False,
) -> Involvement:
    """Record someone new to the agency (a parent, a partner, an informant...) and add them to
    the case. One transaction: if the involvement is refused, the person is not recorded."""
    person = person_create(
        actor=actor,
        agency=case.agency,
        family_name=family_name,
        given_name=given_name,
        date_of_birth=date_of_birth,
        sex=sex,
    )
    return involvement_add(
        actor=actor,
        case=case,
        person=person,
        relationship=relationship,
        has_parental_responsibility=has_parental_responsibility,
    )


@transaction.atomic
def involvement_end(*, actor: Practitioner, involvement: Involvement, reason: str) -> Involvement:
    """Record that someone is no longer involved, from today, for ``reason`` (an
    ``InvolvementEndReason``). The involvement stays on the case's record, with its dates."""
    if reason not in InvolvementEndReason.values:
        raise InvolvementInvalid("Select why they are no longer involved", field="reason")
    today, now = clock.today(), clock.now()
    ended = Involvement.objects.filter(pk=involvement.pk, ended_on__isnull=True).update(
        ended_on=today, end_reason=reason, updated_at=now
    )
    if not ended:
        raise InvolvementEnded("This involvement has already ended")
    involvement.ended_on, involvement.end_reason, involvement.updated_at = today, reason, now
    ledger_append(
        event=Event.INVOLVEMENT_ENDED,
        actor=actor,
        subject=_subject(involvement.case),
        obj=involvement,
        details={
            "person": str(involvement.person_id),
            "relationship": involvement.relationship,
            "reason": reason,
        },
    )
    return involvement


def _check_item(
    *,
    case: Case,
    about: Person | None,
    category: str,
    summary: str,
    content: str,
    fact_or_opinion: str,
    source: str,
    how_known: str,
    event_date: dt.date | None,
    special_category: str,
) -> None:
    if case.status == CaseStatus.CLOSED:
        raise CaseClosed("The case is closed; reopen it before recording information")
    if category not in InformationCategory.values:
        raise ItemInvalid("Select the category of information", field="category")
    if not summary.strip():
        raise ItemInvalid("Enter a short summary", field="summary")
    if len(summary) > 200:
        raise ItemInvalid("The summary must be 200 characters or fewer", field="summary")
    if not content.strip():
        raise ItemInvalid("Enter the information", field="content")
    if fact_or_opinion not in FactOrOpinion.values:
        raise ItemInvalid("Select whether this is fact or opinion", field="fact_or_opinion")
    if not source.strip():
        raise ItemInvalid("Enter where the information came from", field="source")
    if how_known not in HowKnown.values:
        raise ItemInvalid("Select how the information is known", field="how_known")
    if event_date is None:
        raise ItemInvalid("Enter the date of the event", field="event_date")
    if event_date > clock.today():
        raise ItemInvalid("The date of the event must be today or in the past", field="event_date")
    if special_category not in SpecialCategory.values:
        raise ItemInvalid("Select the special category, or none", field="special_category")
    if (
        about is not None
        and about.pk != case.subject_id
        and not case.involvements.filter(person=about).exists()
    ):
        raise ItemInvalid(
            "The item must be about the child or someone involved in the case", field="about"
        )


@transaction.atomic
def item_create(
    *,
    actor: Practitioner,
    case: Case,
    category: str,
    summary: str,
    content: str,
    fact_or_opinion: str,
    source: str,
    how_known: str,
    event_date: dt.date | None,
    about: Person | None = None,
    special_category: str = SpecialCategory.NONE,
    criminal_offence_data: bool = False,
    is_confidential: bool = False,
    third_party_protected: bool = False,
) -> InformationItem:
    _check_item(
        case=case,
        about=about,
        category=category,
        summary=summary,
        content=content,
        fact_or_opinion=fact_or_opinion,
        source=source,
        how_known=how_known,
        event_date=event_date,
        special_category=special_category,
    )
    item = InformationItem.objects.create(
        case=case,
        about=about or case.subject,
        category=category,
        summary=summary.strip(),
        content=content.strip(),
        fact_or_opinion=fact_or_opinion,
        source=source.strip(),
        how_known=how_known,
        event_date=event_date,  # type: ignore[misc]  # None refused by _check_item
        recorded_by=actor,
        special_category=special_category,
        criminal_offence_data=criminal_offence_data,
        is_confidential=is_confidential,
        third_party_protected=third_party_protected,
    )
    ledger_append(
        event=Event.ITEM_CREATED,
        actor=actor,
        subject=_subject(case),
        obj=item,
        details={
            "category": category,
            "special_category": special_category,
            "criminal_offence_data": criminal_offence_data,
        },
    )
    return item


@transaction.atomic
def item_update(
    *,
    actor: Practitioner,
    item: InformationItem,
    category: str,
    summary: str,
    content: str,
    fact_or_opinion: str,
    source: str,
    how_known: str,
    event_date: dt.date | None,
    special_category: str,
    criminal_offence_data: bool,
    is_confidential: bool,
    third_party_protected: bool,
    reason: str,
    about: Person | None = None,
) -> InformationItem:
    """Correct an item: the previous wording is kept as a revision and the reason recorded."""
    if not reason.strip():
        raise ItemInvalid("Enter why the item is being changed", field="reason")
    _check_item(
        case=item.case,
        about=about,
        category=category,
        summary=summary,
        content=content,
        fact_or_opinion=fact_or_opinion,
        source=source,
        how_known=how_known,
        event_date=event_date,
        special_category=special_category,
    )
    InformationItemRevision.objects.create(
        item=item,
        version=item.version,
        summary=item.summary,
        content=item.content,
        source=item.source,
        edited_by=actor,
        reason=reason.strip(),
    )
    new_values: dict[str, object] = {
        "category": category,
        "summary": summary.strip(),
        "content": content.strip(),
        "fact_or_opinion": fact_or_opinion,
        "source": source.strip(),
        "how_known": how_known,
        "event_date": event_date,
        "special_category": special_category,
        "criminal_offence_data": criminal_offence_data,
        "is_confidential": is_confidential,
        "third_party_protected": third_party_protected,
    }
    if about is not None:
        new_values["about"] = about
    changed = sorted(k for k, v in new_values.items() if getattr(item, k) != v)
    for key, value in new_values.items():
        setattr(item, key, value)
    item.version += 1
    item.touch()
    item.save()
    ledger_append(
        event=Event.ITEM_UPDATED,
        actor=actor,
        subject=_subject(item.case),
        obj=item,
        details={"fields": changed, "version": item.version},
    )
    return item


@transaction.atomic
def case_open_for_new_child(
    *,
    actor: Practitioner,
    agency: Agency,
    family_name: str,
    status: str,
    given_name: str = "",
    date_of_birth: dt.date | None = None,
    dob_precision: str = DobPrecision.EXACT,
    is_unborn: bool = False,
    expected_date: dt.date | None = None,
    sex: str = Sex.NOT_RECORDED,
    nhs_number: str = "",
) -> Case:
    """Record a child new to the agency and open a case about them, allocated to ``actor``.

    One transaction: if the case cannot be opened, the child is not recorded either.
    """
    child = person_create(
        actor=actor,
        agency=agency,
        family_name=family_name,
        given_name=given_name,
        date_of_birth=date_of_birth,
        dob_precision=dob_precision,
        is_unborn=is_unborn,
        expected_date=expected_date,
        sex=sex,
        nhs_number=nhs_number,
    )
    return case_create(actor=actor, agency=agency, subject=child, status=status, allocate=actor)
