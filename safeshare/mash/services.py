"""Writes for MASH triage: record a contact, send enquiries to partner agencies, give a RAG
rating, record the outcome (withdrawing the enquiries still open if asked), close. Each moves
the contact along ``CONTACT_TRANSITIONS`` and appends to the ledger in the same transaction.

Enquiries are information requests (``disclosures.services.request_create``) with the MASH
purpose and the 24-hour urgency, so partners answer them through the request workflow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from safeshare.agencies.models import Agency, AgencyType, Practitioner, Role
from safeshare.core import clock
from safeshare.core.vocabulary import SharingPurpose
from safeshare.disclosures.exceptions import RequestInvalid
from safeshare.disclosures.models import RequestKind, Urgency
from safeshare.disclosures.services import request_create, request_withdraw
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append
from safeshare.mash import timescales
from safeshare.mash.exceptions import (
    MashContactInvalid,
    MashContactTransitionInvalid,
    MashEnquiryInvalid,
)
from safeshare.mash.models import (
    CONTACT_TRANSITIONS,
    OPEN_CONTACT_STATUSES,
    ContactCategory,
    ContactOutcome,
    ContactSource,
    ContactStatus,
    MashContact,
    MashEnquiry,
    ParentalAwareness,
    RagRating,
)
from safeshare.mash.selectors import open_enquiries
from safeshare.people.exceptions import NhsNumberInvalid
from safeshare.people.models import Person
from safeshare.people.services import clean_nhs_number

TEXT_MAX_LENGTH = 20000
SHORT_MAX_LENGTH = 200


def _subject(contact: MashContact) -> Subject:
    return Subject(person_id=contact.person_id)


def _lock(contact: MashContact) -> None:
    """Lock the contact's row and reload it (another officer may have moved it on)."""
    list(MashContact.objects.select_for_update().filter(pk=contact.pk).values("pk"))
    contact.refresh_from_db()


def _move(contact: MashContact, to: ContactStatus) -> None:
    if to not in CONTACT_TRANSITIONS[contact.status]:
        raise MashContactTransitionInvalid(
            f"This contact is {contact.get_status_display().lower()}: it cannot move to "
            f"{to.label.lower()}"
        )
    contact.status = to
    contact.touch()


def _text(value: str, *, field: str, missing: str, limit: int = TEXT_MAX_LENGTH) -> str:
    value = value.strip()
    if not value:
        raise MashContactInvalid(missing, field=field)
    if len(value) > limit:
        raise MashContactInvalid(f"Use {limit} characters or fewer", field=field)
    return value


def _optional(value: str, *, field: str, limit: int = SHORT_MAX_LENGTH) -> str:
    value = value.strip()
    if len(value) > limit:
        raise MashContactInvalid(f"Use {limit} characters or fewer", field=field)
    return value


def _check_hub(actor: Practitioner) -> None:
    if actor.agency.agency_type != AgencyType.CHILDRENS_SOCIAL_CARE:
        raise MashContactInvalid(
            "Only a local authority children's social care MASH records contacts"
        )


# --- Contacts ------------------------------------------------------------------------------------


@transaction.atomic
def contact_record(
    *,
    actor: Practitioner,
    received_at: dt.datetime,
    source: str,
    referrer_name: str,
    parental_awareness: str,
    concerns: str,
    category: str,
    referrer_agency: Agency | None = None,
    referrer_role: str = "",
    referrer_contact: str = "",
    awareness_reason: str = "",
    nhs_number: str = "",
    given_name: str = "",
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    postcode: str = "",
    person: Person | None = None,
    assigned_to: Practitioner | None = None,
) -> MashContact:
    """Record a contact or referral received by the actor's hub (their agency). The child is
    identified as the referrer gave them; the timescales start from ``received_at``."""
    _check_hub(actor)
    if received_at.tzinfo is None:
        raise MashContactInvalid("Enter when the contact was received", field="received_at")
    if received_at > clock.now():
        raise MashContactInvalid(
            "The time the contact was received must be in the past", field="received_at"
        )
    if source not in ContactSource.values:
        raise MashContactInvalid("Select how the contact was received", field="source")
    if category not in ContactCategory.values:
        raise MashContactInvalid("Select the main concern", field="category")
    if parental_awareness not in ParentalAwareness.values:
        raise MashContactInvalid(
            "Select whether the parents or carers know about the contact",
            field="parental_awareness",
        )
    reason = _optional(awareness_reason, field="awareness_reason", limit=TEXT_MAX_LENGTH)
    if parental_awareness != ParentalAwareness.AWARE_AND_AGREE and not reason:
        raise MashContactInvalid(
            "Explain why the parents or carers do not know or do not agree",
            field="awareness_reason",
        )
    if referrer_agency is not None and not referrer_agency.is_active:
        raise MashContactInvalid("That agency is not active", field="referrer_agency")
    try:
        nhs = clean_nhs_number(nhs_number)
    except NhsNumberInvalid as exc:
        raise MashContactInvalid(exc.message, field="nhs_number") from exc
    if date_of_birth is not None and date_of_birth > clock.today():
        raise MashContactInvalid("The date of birth must be in the past", field="date_of_birth")
    if not nhs and not family_name.strip() and person is None:
        raise MashContactInvalid("Enter the child's NHS number or family name", field="nhs_number")
    if person is not None and person.agency_id != actor.agency_id:
        raise MashContactInvalid("Choose a child your agency holds", field="person")
    officer = assigned_to or actor
    if officer.agency_id != actor.agency_id or not officer.has_role(Role.MASH_OFFICER):
        raise MashContactInvalid("Assign the contact to a MASH officer", field="assigned_to")
    contact = MashContact.objects.create(
        hub_agency=actor.agency,
        received_at=received_at,
        source=source,
        referrer_agency=referrer_agency,
        referrer_name=_text(
            referrer_name,
            field="referrer_name",
            missing="Enter who made the contact",
            limit=SHORT_MAX_LENGTH,
        ),
        referrer_role=_optional(referrer_role, field="referrer_role"),
        referrer_contact=_optional(referrer_contact, field="referrer_contact"),
        parental_awareness=parental_awareness,
        awareness_reason=reason,
        child_nhs_number=nhs,
        child_given_name=_optional(given_name, field="given_name"),
        child_family_name=_optional(family_name, field="family_name"),
        child_date_of_birth=date_of_birth.isoformat() if date_of_birth else "",
        child_postcode=_optional(postcode, field="postcode", limit=10).upper(),
        person=person,
        concerns=_text(concerns, field="concerns", missing="Describe the concerns"),
        category=category,
        recorded_by=actor,
        assigned_to=officer,
        rating_due_at=timescales.rating_due(received_at),
        decision_due_at=timescales.decision_due(received_at),
    )
    ledger_append(
        event=Event.MASH_CONTACT_RECORDED,
        actor=actor,
        subject=_subject(contact),
        obj=contact,
        purpose=SharingPurpose.MASH_TRIAGE,
        details={
            "source": source,
            "category": category,
            "referrer_agency": str(referrer_agency.pk) if referrer_agency else None,
            "parental_awareness": parental_awareness,
        },
    )
    return contact


def _has_identity_for_enquiry(contact: MashContact) -> bool:
    named = contact.child_family_name and contact.child_date_of_birth and contact.child_postcode
    return bool(contact.child_nhs_number or named)


@transaction.atomic
def enquiries_send(
    *,
    actor: Practitioner,
    contact: MashContact,
    partner_agencies: Sequence[Agency],
    information_sought: str,
    justification: str,
) -> list[MashEnquiry]:
    """Ask each partner agency what it knows about the contact's child: one information request
    per agency (MASH purpose, answer due within 24 hours). Not to the hub itself, and not twice
    to an agency whose earlier enquiry is still open."""
    _lock(contact)
    if contact.status not in OPEN_CONTACT_STATUSES:
        raise MashContactTransitionInvalid(
            f"This contact is {contact.get_status_display().lower()}: enquiries can no longer "
            "be sent"
        )
    if not partner_agencies:
        raise MashEnquiryInvalid("Select at least one partner agency", field="partner_agencies")
    if any(agency.pk == contact.hub_agency_id for agency in partner_agencies):
        raise MashEnquiryInvalid(
            "Send enquiries to partner agencies, not your own", field="partner_agencies"
        )
    if len({agency.pk for agency in partner_agencies}) != len(partner_agencies):
        raise MashEnquiryInvalid("Select each agency once", field="partner_agencies")
    waiting = {
        enquiry.partner_agency_id
        for enquiry in contact.enquiries.select_related("request")
        if enquiry.request.is_open
    }
    for agency in partner_agencies:
        if agency.pk in waiting:
            raise MashEnquiryInvalid(
                f"{agency.name} has not answered the last enquiry yet", field="partner_agencies"
            )
    if not _has_identity_for_enquiry(contact):
        raise MashEnquiryInvalid(
            "The child needs an NHS number, or a family name, date of birth and postcode, "
            "before partners can be asked",
            field="partner_agencies",
        )
    sent = []
    born = contact.child_date_of_birth
    for agency in partner_agencies:
        try:
            request = request_create(
                actor=actor,
                receiving_agency=agency,
                kind=RequestKind.REQUEST,
                purpose=SharingPurpose.MASH_TRIAGE,
                urgency=Urgency.WITHIN_24_HOURS,
                information_sought=information_sought,
                justification=justification,
                nhs_number=contact.child_nhs_number,
                given_name=contact.child_given_name,
                family_name=contact.child_family_name,
                date_of_birth=dt.date.fromisoformat(born) if born else None,
                postcode=contact.child_postcode,
            )
        except RequestInvalid as exc:
            field = exc.field if exc.field in ("information_sought", "justification") else None
            raise MashEnquiryInvalid(exc.message, field=field or "partner_agencies") from exc
        enquiry = MashEnquiry.objects.create(
            contact=contact,
            request=request,
            partner_agency=agency,
            sent_by=actor,
            sent_at=request.requested_at,
        )
        ledger_append(
            event=Event.MASH_ENQUIRY_SENT,
            actor=actor,
            subject=_subject(contact),
            obj=enquiry,
            purpose=SharingPurpose.MASH_TRIAGE,
            details={
                "contact": str(contact.pk),
                "request": str(request.pk),
                "partner_agency": str(agency.pk),
                "due_at": request.due_at.isoformat(),
            },
        )
        sent.append(enquiry)
    if contact.status != ContactStatus.GATHERING:
        _move(contact, ContactStatus.GATHERING)
        contact.save(update_fields=["status", "updated_at"])
    return sent


@transaction.atomic
def contact_rate(
    *, actor: Practitioner, contact: MashContact, rating: str, reasons: str
) -> MashContact:
    """Give the contact a RAG rating with reasons (it may be rated again as information comes
    in). A red rating brings the decision forward to 4 hours after receipt."""
    _lock(contact)
    if contact.status not in OPEN_CONTACT_STATUSES:
        raise MashContactTransitionInvalid(
            f"This contact is {contact.get_status_display().lower()}: it can no longer be rated"
        )
    if rating not in RagRating.values:
        raise MashContactInvalid("Select a RAG rating", field="rating")
    reasons = _text(reasons, field="reasons", missing="Explain the rating")
    previous = contact.rag_rating
    now = clock.now()
    contact.rag_rating = rating
    contact.rag_reasons = reasons
    contact.rated_by = actor
    contact.rated_at = now
    contact.first_rated_at = contact.first_rated_at or now
    contact.decision_due_at = timescales.decision_due(contact.received_at, rating)
    if contact.status == ContactStatus.NEW:
        _move(contact, ContactStatus.AWAITING_DECISION)
    contact.touch()
    contact.save()
    ledger_append(
        event=Event.MASH_RAG_RATED,
        actor=actor,
        subject=_subject(contact),
        obj=contact,
        purpose=SharingPurpose.MASH_TRIAGE,
        details={
            "rating": rating,
            "previous": previous or None,
            "on_time": now <= contact.rating_due_at,
        },
    )
    return contact


def _outcome_rules(*, contact: MashContact, outcome: str, allocated_worker: str) -> str:
    """What each outcome needs (Working Together to Safeguard Children 2018, chapter 1,
    "Decision-making"; 2023, chapter 4); returns the allocated worker to record.

    - immediate protection: the child "requires immediate protection and urgent action is
      required", which is what a red rating says ("may be at risk of significant harm now");
    - information and advice: not for a red contact (reasonable cause to suspect significant
      harm means a strategy discussion and section 47 enquiries, not advice);
    - already open: the contact goes to the worker already allocated to the child, named here
      (a child "already known to local authority children's social care", e.g. supported as a
      child in need or on a child protection plan, Working Together 2018 chapter 1); no other
      outcome names one.
    """
    if outcome not in ContactOutcome.values:
        raise MashContactInvalid("Select the outcome", field="outcome")
    red = contact.rag_rating == RagRating.RED
    if outcome == ContactOutcome.IMMEDIATE_PROTECTION and not red:
        raise MashContactInvalid(
            "Immediate protection is for a child who may be at risk of significant harm now: "
            "rate the contact red first",
            field="outcome",
        )
    if outcome == ContactOutcome.INFORMATION_AND_ADVICE and red:
        raise MashContactInvalid(
            "A contact rated red needs more than information and advice: choose a strategy "
            "discussion or immediate protection, or change the rating",
            field="outcome",
        )
    worker = _optional(allocated_worker, field="allocated_worker")
    if outcome == ContactOutcome.ALREADY_OPEN and not worker:
        raise MashContactInvalid(
            "Enter the allocated worker the contact is passed to", field="allocated_worker"
        )
    if outcome != ContactOutcome.ALREADY_OPEN and worker:
        raise MashContactInvalid(
            "Name an allocated worker only when the child's case is already open",
            field="allocated_worker",
        )
    return worker


def _enquiries_withdraw(
    *, actor: Practitioner, contact: MashContact, enquiries: Sequence[MashEnquiry]
) -> None:
    """Withdraw each request (the request's own ledger entry) and record, against the contact,
    that the hub no longer needs the answer. Call inside the caller's transaction."""
    for enquiry in enquiries:
        request_withdraw(actor=actor, request=enquiry.request)
        ledger_append(
            event=Event.MASH_ENQUIRY_WITHDRAWN,
            actor=actor,
            subject=_subject(contact),
            obj=enquiry,
            purpose=SharingPurpose.MASH_TRIAGE,
            details={
                "contact": str(contact.pk),
                "request": str(enquiry.request_id),
                "partner_agency": str(enquiry.partner_agency_id),
                "because": "outcome recorded",
            },
        )


@transaction.atomic
def contact_decide(
    *,
    actor: Practitioner,
    contact: MashContact,
    outcome: str,
    reasons: str,
    allocated_worker: str = "",
    withdraw_open_enquiries: bool | None = None,
) -> MashContact:
    """Record the decision on the type of response, with reasons. The contact must be rated
    first, and each outcome has its rules (``_outcome_rules``). A strategy discussion or
    immediate protection means child protection procedures start now.

    Enquiries to partner agencies still open are never left open silently: while there are any,
    the caller must say whether to withdraw them (``withdraw_open_enquiries``); withdrawn here,
    in the same transaction, each is ledgered (the request's withdrawal and
    MASH_ENQUIRY_WITHDRAWN), and the partner agency no longer has it to answer."""
    _lock(contact)
    if contact.status not in OPEN_CONTACT_STATUSES:
        raise MashContactTransitionInvalid(
            f"This contact is {contact.get_status_display().lower()}: the outcome has been recorded"
        )
    if not contact.rag_rating:
        raise MashContactInvalid("Give the contact a RAG rating first", field="outcome")
    worker = _outcome_rules(contact=contact, outcome=outcome, allocated_worker=allocated_worker)
    reasons = _text(reasons, field="reasons", missing="Explain the outcome")
    waiting = open_enquiries(contact=contact)
    if waiting and withdraw_open_enquiries is None:
        count = "1 enquiry" if len(waiting) == 1 else f"{len(waiting)} enquiries"
        raise MashContactInvalid(
            f"{count} to partner agencies still open: say whether to withdraw them",
            field="withdraw_open_enquiries",
        )
    withdrawn = list(waiting) if withdraw_open_enquiries else []
    _enquiries_withdraw(actor=actor, contact=contact, enquiries=withdrawn)
    now = clock.now()
    _move(contact, ContactStatus.DECIDED)
    contact.outcome = outcome
    contact.outcome_reasons = reasons
    contact.allocated_worker = worker or None
    contact.decided_by = actor
    contact.decided_at = now
    contact.save()
    ledger_append(
        event=Event.MASH_OUTCOME_RECORDED,
        actor=actor,
        subject=_subject(contact),
        obj=contact,
        purpose=SharingPurpose.MASH_TRIAGE,
        details={
            "outcome": outcome,
            "rating": contact.rag_rating,
            "on_time": now <= contact.decision_due_at,
            "enquiries_withdrawn": len(withdrawn),
            "enquiries_left_open": len(waiting) - len(withdrawn),
        },
    )
    return contact


@transaction.atomic
def contact_close(*, actor: Practitioner, contact: MashContact) -> MashContact:
    """Close a decided contact: the hub's part is done (the outcome is being acted on)."""
    _lock(contact)
    _move(contact, ContactStatus.CLOSED)
    contact.closed_by = actor
    contact.closed_at = clock.now()
    contact.save()
    ledger_append(
        event=Event.MASH_CONTACT_CLOSED,
        actor=actor,
        subject=_subject(contact),
        obj=contact,
        purpose=SharingPurpose.MASH_TRIAGE,
        details={"outcome": contact.outcome},
    )
    return contact
