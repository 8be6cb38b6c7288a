"""Writes for consent: record given, refused or not sought; withdraw (which raises recalls)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from safeshare.agencies.models import Agency, AgencyType, Practitioner
from safeshare.consent.exceptions import (
    ConsentInvalid,
    ConsentNotWithdrawable,
    ConsentPersonNotHeld,
    ConsentRecallInvalid,
)
from safeshare.consent.models import (
    Consent,
    ConsentMethod,
    ConsentRecall,
    ConsentState,
    GivenBy,
    NotSoughtReason,
    RecallStatus,
)
from safeshare.core import clock
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append
from safeshare.people.models import Person

ADULT_AGE = 18


def _age_on(date_of_birth: dt.date, day: dt.date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def _is_child_on(person: Person, day: dt.date) -> bool | None:
    """True/False when known; None when the date of birth is not recorded."""
    if person.is_unborn:
        return True
    if person.date_of_birth is None:
        return None
    return _age_on(person.date_of_birth, day) < ADULT_AGE


def _check_person(actor: Practitioner, person: Person) -> None:
    if person.agency_id != actor.agency_id:
        raise ConsentPersonNotHeld(
            "Consent can only be recorded for a person held by your agency", field="person"
        )


def _check_scope(
    *,
    purposes: Sequence[str],
    recipient_agency_types: Sequence[str],
    categories: Sequence[str],
) -> None:
    if any(p not in SharingPurpose.values for p in purposes):
        raise ConsentInvalid("Select purposes from the list", field="purposes")
    if any(t not in AgencyType.values for t in recipient_agency_types):
        raise ConsentInvalid("Select types of agency from the list", field="recipient_agency_types")
    if any(c not in InformationCategory.values for c in categories):
        raise ConsentInvalid("Select categories of information from the list", field="categories")


def _check_who(
    *,
    person: Person,
    given_by: str,
    given_by_name: str,
    competence_note: str,
    method: str,
    starts_on: dt.date,
    verb: str,
) -> None:
    if given_by not in GivenBy.values:
        raise ConsentInvalid(f"Select who {verb} consent", field="given_by")
    if not given_by_name.strip():
        raise ConsentInvalid(f"Enter the name of who {verb} consent", field="given_by_name")
    is_child = _is_child_on(person, starts_on)
    if given_by == GivenBy.COMPETENT_CHILD:
        if person.is_unborn:
            raise ConsentInvalid("An unborn baby cannot decide about consent", field="given_by")
        if is_child is None:
            raise ConsentInvalid(
                "Record the child's date of birth before recording their own decision",
                field="given_by",
            )
        if not is_child:
            raise ConsentInvalid(
                "The person is 18 or over: they decide as an adult, not as a competent child",
                field="given_by",
            )
        if not competence_note.strip():
            raise ConsentInvalid(
                "Enter why the child is competent to decide (Gillick or Fraser)",
                field="competence_note",
            )
    if given_by == GivenBy.PARENTAL_RESPONSIBILITY and is_child is False:
        raise ConsentInvalid(
            "The person is 18 or over: nobody has parental responsibility for them",
            field="given_by",
        )
    if method not in ConsentMethod.values:
        raise ConsentInvalid(f"Select how consent was {verb}", field="method")


def _unique_agencies(agencies: Iterable[Agency]) -> list[Agency]:
    seen: dict[Any, Agency] = {}
    for agency in agencies:
        seen.setdefault(agency.pk, agency)
    return list(seen.values())


@dataclass(frozen=True)
class _Scope:
    """What a consent record covers, de-duplicated and sorted (empty means "any" on a refusal or
    a "not sought" record)."""

    purposes: list[str]
    recipients: list[Agency]
    recipient_agency_types: list[str]
    categories: list[str]

    @classmethod
    def of(
        cls,
        *,
        purposes: Sequence[str],
        recipient_agencies: Iterable[Agency],
        recipient_agency_types: Sequence[str],
        categories: Sequence[str],
    ) -> _Scope:
        return cls(
            purposes=sorted(set(purposes)),
            recipients=_unique_agencies(recipient_agencies),
            recipient_agency_types=sorted(set(recipient_agency_types)),
            categories=sorted(set(categories)),
        )

    def check(self) -> None:
        _check_scope(
            purposes=self.purposes,
            recipient_agency_types=self.recipient_agency_types,
            categories=self.categories,
        )

    def fields(self) -> dict[str, Any]:
        """The model fields it fills (recipient agencies are set after the row exists)."""
        return {
            "purposes": self.purposes,
            "recipient_agency_types": self.recipient_agency_types,
            "categories": self.categories,
        }

    def details(self) -> dict[str, Any]:
        """For the ledger: codes and agency ids only."""
        return {
            "purposes": self.purposes,
            "recipient_agencies": sorted(str(a.pk) for a in self.recipients),
            "recipient_agency_types": self.recipient_agency_types,
            "categories": self.categories,
        }


@transaction.atomic
def consent_record_given(
    *,
    actor: Practitioner,
    person: Person,
    given_by: str,
    given_by_name: str,
    method: str,
    evidence: str,
    purposes: Sequence[str],
    categories: Sequence[str],
    expires_on: dt.date | None,
    recipient_agencies: Iterable[Agency] = (),
    recipient_agency_types: Sequence[str] = (),
    starts_on: dt.date | None = None,
    competence_note: str = "",
) -> Consent:
    """Record consent given to share information about ``person``, for a scope and a period."""
    _check_person(actor, person)
    starts = starts_on or clock.today()
    scope = _Scope.of(
        purposes=purposes,
        recipient_agencies=recipient_agencies,
        recipient_agency_types=recipient_agency_types,
        categories=categories,
    )
    _check_who(
        person=person,
        given_by=given_by,
        given_by_name=given_by_name,
        competence_note=competence_note,
        method=method,
        starts_on=starts,
        verb="gave",
    )
    if not evidence.strip():
        raise ConsentInvalid("Enter where the evidence of consent is kept", field="evidence")
    if not scope.purposes:
        raise ConsentInvalid("Select at least one purpose the consent covers", field="purposes")
    if not scope.recipients and not scope.recipient_agency_types:
        raise ConsentInvalid(
            "Select at least one agency, or type of agency, the consent covers",
            field="recipient_agencies",
        )
    if not scope.categories:
        raise ConsentInvalid(
            "Select at least one category of information the consent covers", field="categories"
        )
    scope.check()
    if expires_on is None:
        raise ConsentInvalid("Enter the date the consent expires", field="expires_on")
    if expires_on <= starts:
        raise ConsentInvalid(
            "The expiry date must be after the date the consent starts", field="expires_on"
        )
    if expires_on < clock.today():
        raise ConsentInvalid("The expiry date must not be in the past", field="expires_on")
    consent = Consent.objects.create(
        person=person,
        agency=person.agency,
        state=ConsentState.GIVEN,
        given_by=given_by,
        given_by_name=given_by_name.strip(),
        competence_note=competence_note.strip(),
        method=method,
        evidence=evidence.strip(),
        **scope.fields(),
        starts_on=starts,
        expires_on=expires_on,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    consent.recipient_agencies.set(scope.recipients)
    ledger_append(
        event=Event.CONSENT_RECORDED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=consent,
        details={
            **scope.details(),
            "given_by": given_by,
            "method": method,
            "starts_on": starts.isoformat(),
            "expires_on": expires_on.isoformat(),
        },
    )
    return consent


@transaction.atomic
def consent_record_refused(
    *,
    actor: Practitioner,
    person: Person,
    given_by: str,
    given_by_name: str,
    method: str,
    purposes: Sequence[str] = (),
    categories: Sequence[str] = (),
    recipient_agencies: Iterable[Agency] = (),
    recipient_agency_types: Sequence[str] = (),
    competence_note: str = "",
    evidence: str = "",
    note: str = "",
    refused_on: dt.date | None = None,
) -> Consent:
    """Record that consent was refused. An empty scope field means the refusal covers any."""
    _check_person(actor, person)
    day = refused_on or clock.today()
    if day > clock.today():
        raise ConsentInvalid("The date of the refusal cannot be in the future", field="refused_on")
    scope = _Scope.of(
        purposes=purposes,
        recipient_agencies=recipient_agencies,
        recipient_agency_types=recipient_agency_types,
        categories=categories,
    )
    _check_who(
        person=person,
        given_by=given_by,
        given_by_name=given_by_name,
        competence_note=competence_note,
        method=method,
        starts_on=day,
        verb="refused",
    )
    scope.check()
    consent = Consent.objects.create(
        person=person,
        agency=person.agency,
        state=ConsentState.REFUSED,
        given_by=given_by,
        given_by_name=given_by_name.strip(),
        competence_note=competence_note.strip(),
        method=method,
        evidence=evidence.strip(),
        **scope.fields(),
        starts_on=day,
        note=note.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    consent.recipient_agencies.set(scope.recipients)
    ledger_append(
        event=Event.CONSENT_REFUSED,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=consent,
        details={
            **scope.details(),
            "given_by": given_by,
            "method": method,
        },
    )
    return consent


@transaction.atomic
def consent_record_not_sought(
    *,
    actor: Practitioner,
    person: Person,
    reason: str,
    explanation: str,
    purposes: Sequence[str] = (),
    categories: Sequence[str] = (),
    recipient_agencies: Iterable[Agency] = (),
    recipient_agency_types: Sequence[str] = (),
) -> Consent:
    """Record that consent was not sought, for one of the reasons the guidance allows."""
    _check_person(actor, person)
    if reason not in NotSoughtReason.values:
        raise ConsentInvalid("Select why consent was not sought", field="not_sought_reason")
    if not explanation.strip():
        raise ConsentInvalid(
            "Explain why consent was not sought in this case", field="not_sought_explanation"
        )
    scope = _Scope.of(
        purposes=purposes,
        recipient_agencies=recipient_agencies,
        recipient_agency_types=recipient_agency_types,
        categories=categories,
    )
    scope.check()
    consent = Consent.objects.create(
        person=person,
        agency=person.agency,
        state=ConsentState.NOT_SOUGHT,
        **scope.fields(),
        not_sought_reason=reason,
        not_sought_explanation=explanation.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    consent.recipient_agencies.set(scope.recipients)
    ledger_append(
        event=Event.CONSENT_NOT_SOUGHT,
        actor=actor,
        subject=Subject(person_id=person.pk),
        obj=consent,
        details={
            **scope.details(),
            "reason": reason,
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *,
    actor: Practitioner,
    consent: Consent,
    note: str,
    shared_on_basis: Iterable[tuple[str, str, Agency | None]] = (),
) -> Consent:
    """Withdraw a given consent; raise one recall for each record shared on its basis.

    ``shared_on_basis`` holds ``(object label, object id, recipient agency)`` for each decision or
    disclosure made on this consent; the caller supplies them (consent knows nothing of decisions).
    """
    if consent.agency_id != actor.agency_id:
        raise ConsentPersonNotHeld(
            "Consent can only be withdrawn by the agency that holds it", field="consent"
        )
    current = Consent.objects.select_for_update().get(pk=consent.pk)
    if current.state == ConsentState.WITHDRAWN:
        raise ConsentNotWithdrawable("That consent has already been withdrawn", field="consent")
    if not current.is_withdrawable:
        raise ConsentNotWithdrawable(
            "Only consent that was given can be withdrawn; record a refusal instead",
            field="consent",
        )
    if not note.strip():
        raise ConsentInvalid("Enter how and why consent was withdrawn", field="note")
    shared: dict[tuple[str, str], Agency | None] = {}
    for object_type, object_id, recipient in shared_on_basis:
        if not str(object_type).strip() or not str(object_id).strip():
            raise ConsentRecallInvalid(
                "Each record shared on this consent needs its type and id",
                field="shared_on_basis",
            )
        shared.setdefault((str(object_type).strip(), str(object_id).strip()), recipient)
    consent.state = ConsentState.WITHDRAWN
    consent.withdrawn_at = clock.now()
    consent.withdrawn_by = actor
    consent.withdrawal_note = note.strip()
    consent.touch()
    consent.save(
        update_fields=["state", "withdrawn_at", "withdrawn_by", "withdrawal_note", "updated_at"]
    )
    subject = Subject(person_id=consent.person_id)
    ledger_append(
        event=Event.CONSENT_WITHDRAWN,
        actor=actor,
        subject=subject,
        obj=consent,
        details={"recalls": len(shared)},
    )
    for (object_type, object_id), recipient in shared.items():
        recall = ConsentRecall.objects.create(
            consent=consent,
            shared_object_type=object_type,
            shared_object_id=object_id,
            recipient_agency=recipient,
            status=RecallStatus.OPEN,
        )
        ledger_append(
            event=Event.RECALL_CREATED,
            actor=actor,
            subject=subject,
            obj=recall,
            details={
                "consent": str(consent.pk),
                "shared_object_type": object_type,
                "shared_object_id": object_id,
                "recipient_agency": str(recipient.pk) if recipient is not None else "",
            },
        )
    return consent
