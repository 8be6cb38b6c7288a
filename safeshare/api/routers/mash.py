"""MASH triage: contacts and referrals into the hub, enquiries to partner agencies, RAG rating,
outcome, closing, and the timescales dashboard figures.

Contacts are the hub's (the actor's agency): MASH officers (MASH_TRIAGE) work them, the hub's
DSLs and managers (MASH_VIEW) read them; for anyone else a contact answers 404 exactly like a
missing one. Every read is recorded in the ledger (MASH_CONTACT_VIEWED, MASH_CONTACT_LISTED,
MASH_DASHBOARD_VIEWED).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime, StrictBool

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import (
    access_agency,
    access_mash_contact,
    access_mash_officer,
    access_mash_partner_agency,
    access_person,
    record_mash_contact_list_read,
    record_mash_dashboard_read,
)
from safeshare.access.scopes import mash_contacts_visible_to, mash_enquiries_visible_to
from safeshare.agencies.models import Agency, Practitioner
from safeshare.api.auth import authorised, referenced
from safeshare.api.errors import responses
from safeshare.api.schemas.common import (
    AgencyRefOut,
    InputSchema,
    IsoDate,
    PractitionerRefOut,
    Text12,
    Text100,
    Text200,
    Text20000,
)
from safeshare.core import clock
from safeshare.mash import services
from safeshare.mash.models import (
    ContactCategory,
    ContactOutcome,
    ContactSource,
    ContactStatus,
    MashContact,
    ParentalAwareness,
    RagRating,
)
from safeshare.mash.selectors import (
    contact_list,
    contact_timescales,
    dashboard,
    enquiry_rows,
)

router = Router(tags=["mash"])


# --- Schemas -------------------------------------------------------------------------------------


class MashContactIn(InputSchema):
    """A contact or referral received by the actor's hub. The child is identified by NHS number
    or family name (and, to ask partner agencies, date of birth and postcode)."""

    received_at: AwareDatetime = Field(description="When the hub received it (with time zone)")
    source: ContactSource
    referrer_agency_id: uuid.UUID | None = Field(None, description="Empty: a member of the public")
    referrer_name: Text200
    referrer_role: Text200 = ""
    referrer_contact: Text200 = ""
    parental_awareness: ParentalAwareness
    awareness_reason: Text20000 = Field("", description="Needed unless they know and agree")
    nhs_number: Text12 = ""
    given_name: Text100 = ""
    family_name: Text100 = ""
    date_of_birth: IsoDate | None = None
    postcode: Text12 = ""
    person_id: uuid.UUID | None = Field(None, description="The child as the hub holds them")
    category: ContactCategory
    concerns: Text20000
    assigned_to_id: uuid.UUID | None = Field(None, description="A MASH officer; default: you")


class MashEnquiriesIn(InputSchema):
    partner_agency_ids: list[uuid.UUID] = Field(min_length=1, max_length=20)
    information_sought: Text20000
    justification: Text20000


class MashRatingIn(InputSchema):
    rating: RagRating
    reasons: Text20000


class MashOutcomeIn(InputSchema):
    outcome: ContactOutcome
    reasons: Text20000
    allocated_worker: Text200 = Field(
        "", description="Only for already_open: the worker the child's case is allocated to"
    )
    withdraw_open_enquiries: StrictBool | None = Field(
        None,
        description="Needed while enquiries to partner agencies are still open: true withdraws "
        "them in the same step, false keeps them open (422 on this field if left out)",
    )


class MashChildOut(Schema):
    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: str
    postcode: str
    person_id: uuid.UUID | None


class MashTimescaleOut(Schema):
    step: str
    due_at: dt.datetime
    done_at: dt.datetime | None
    state: Literal["on_time", "overdue", "met", "met_late"]


class MashEnquiryOut(Schema):
    id: uuid.UUID
    request_id: uuid.UUID
    partner_agency: AgencyRefOut
    sent_at: dt.datetime
    due_at: dt.datetime
    request_status: str
    state: Literal["on_time", "overdue", "met", "met_late"]


class MashContactSummaryOut(Schema):
    id: uuid.UUID
    received_at: dt.datetime
    source: str
    category: str
    status: ContactStatus
    rag_rating: str
    outcome: str
    rating_due_at: dt.datetime
    decision_due_at: dt.datetime
    is_overdue: bool
    referrer_agency: AgencyRefOut | None
    child: MashChildOut


class MashContactOut(MashContactSummaryOut):
    hub_agency: AgencyRefOut
    referrer_name: str
    referrer_role: str
    referrer_contact: str
    parental_awareness: str
    awareness_reason: str
    concerns: str
    assigned_to: PractitionerRefOut | None
    recorded_by: PractitionerRefOut
    rag_reasons: str
    rated_by: PractitionerRefOut | None
    rated_at: dt.datetime | None
    outcome_reasons: str
    allocated_worker: str | None = Field(description="Only for already_open")
    decided_by: PractitionerRefOut | None
    decided_at: dt.datetime | None
    closed_at: dt.datetime | None
    timescales: list[MashTimescaleOut] = []
    enquiries: list[MashEnquiryOut] = []


class MashContactPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[MashContactSummaryOut]


class MashStageOut(Schema):
    status: str
    label: str
    on_time: int
    overdue: int


class MashRatingCountOut(Schema):
    rating: str
    label: str
    open: int


class MashAgencyOverdueOut(Schema):
    agency: str
    overdue: int


class MashDashboardOut(Schema):
    open_total: int
    overdue_total: int
    decided_today: int
    stages: list[MashStageOut]
    ratings: list[MashRatingCountOut]
    overdue_enquiries: list[MashAgencyOverdueOut]


class MashContactFilters(Schema):
    status: ContactStatus | None = None
    rating: Literal["red", "amber", "green", "none"] | None = None
    overdue: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


def _child_of(contact: MashContact, schema: type[Schema]) -> dict[str, Any]:
    """The contact as ``schema``, with the child as the referrer identified them."""
    child = {
        "nhs_number": contact.child_nhs_number,
        "given_name": contact.child_given_name,
        "family_name": contact.child_family_name,
        "date_of_birth": contact.child_date_of_birth,
        "postcode": contact.child_postcode,
        "person_id": contact.person_id,
    }
    names = [
        name for name in schema.model_fields if name not in ("child", "timescales", "enquiries")
    ]
    out: dict[str, Any] = {name: getattr(contact, name) for name in names}
    out["child"] = child
    return out


def _contact_out(contact: MashContact) -> dict[str, Any]:
    """A contact with its timescales and enquiries (the state of each from its request)."""
    now = clock.now()
    out = _child_of(contact, MashContactOut)
    out["timescales"] = [
        {"step": t.label, "due_at": t.due_at, "done_at": t.done_at, "state": str(t.state)}
        for t in contact_timescales(contact=contact, now=now)
    ]
    out["enquiries"] = [
        {
            "id": row.enquiry.pk,
            "request_id": row.enquiry.request_id,
            "partner_agency": {
                "id": row.enquiry.partner_agency_id,
                "name": row.enquiry.partner_agency.name,
            },
            "sent_at": row.enquiry.sent_at,
            "due_at": row.enquiry.request.due_at,
            "request_status": row.enquiry.request.status,
            "state": str(row.state),
        }
        for row in enquiry_rows(contact=contact, now=now)
    ]
    return out


def _partner(actor: Practitioner, agency_id: uuid.UUID) -> Agency:
    return referenced("partner_agency_ids", lambda: access_mash_partner_agency(actor, agency_id))


# --- Operations ----------------------------------------------------------------------------------


@router.get("/mash/contacts", response=responses(200, MashContactPageOut), summary="MASH contacts")
@declares(Capability.MASH_VIEW)
def mash_contact_list_get(
    request: HttpRequest, filters: Query[MashContactFilters]
) -> dict[str, Any]:
    """The hub's contacts, the most urgent first, filtered by stage, RAG rating ("none": not
    rated) and lateness (MASH_VIEW: the hub's MASH officers, DSLs and managers). Each contact
    listed is a recorded read."""
    actor = authorised(request, Capability.MASH_VIEW)
    found = contact_list(
        contacts=mash_contacts_visible_to(actor),
        now=clock.now(),
        status=filters.status or "",
        rating=filters.rating or "",
        overdue=filters.overdue,
    )
    page = list(found[filters.offset : filters.offset + filters.limit])
    with transaction.atomic():
        record_mash_contact_list_read(actor=actor, contacts=page)
    return {
        "count": found.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_child_of(contact, MashContactSummaryOut) for contact in page],
    }


@router.post("/mash/contacts", response=responses(201, MashContactOut), summary="Record a contact")
@declares(Capability.MASH_TRIAGE)
def mash_contact_create_post(
    request: HttpRequest, payload: MashContactIn
) -> Status[dict[str, Any]]:
    """Record a contact or referral received by the actor's hub (MASH_TRIAGE, in a local
    authority children's social care agency). The RAG rating is due 2 hours after receipt, the
    decision one working day after. 422 naming the field at fault."""
    actor = authorised(request, Capability.MASH_TRIAGE)
    with transaction.atomic():
        referrer = None
        if (agency_id := payload.referrer_agency_id) is not None:
            referrer = referenced("referrer_agency_id", lambda: access_agency(actor, agency_id))
        person = None
        if (person_id := payload.person_id) is not None:
            person = referenced("person_id", lambda: access_person(actor, person_id))
        officer = None
        if (officer_id := payload.assigned_to_id) is not None:
            officer = referenced("assigned_to_id", lambda: access_mash_officer(actor, officer_id))
        contact = services.contact_record(
            actor=actor,
            received_at=payload.received_at,
            source=payload.source,
            referrer_agency=referrer,
            referrer_name=payload.referrer_name,
            referrer_role=payload.referrer_role,
            referrer_contact=payload.referrer_contact,
            parental_awareness=payload.parental_awareness,
            awareness_reason=payload.awareness_reason,
            nhs_number=payload.nhs_number,
            given_name=payload.given_name,
            family_name=payload.family_name,
            date_of_birth=payload.date_of_birth,
            postcode=payload.postcode,
            person=person,
            category=payload.category,
            concerns=payload.concerns,
            assigned_to=officer,
        )
        return Status(201, _contact_out(contact))


@router.get(
    "/mash/contacts/{contact_id}", response=responses(200, MashContactOut), summary="A MASH contact"
)
@declares(Capability.MASH_VIEW)
def mash_contact_get(request: HttpRequest, contact_id: uuid.UUID) -> dict[str, Any]:
    """A contact of the actor's hub with its timescales and enquiries (MASH_VIEW; 404 for
    another agency's contact, as for a missing one). The read is recorded."""
    actor = authorised(request, Capability.MASH_VIEW)
    contact = access_mash_contact(actor, contact_id)
    return _contact_out(contact)


@router.post(
    "/mash/contacts/{contact_id}/enquiries",
    response=responses(201, MashContactOut),
    summary="Send enquiries to partner agencies",
)
@declares(Capability.MASH_TRIAGE)
def mash_enquiries_post(
    request: HttpRequest, contact_id: uuid.UUID, payload: MashEnquiriesIn
) -> Status[dict[str, Any]]:
    """Ask partner agencies what they know about the child: one information request each, for
    MASH triage, answer due within 24 hours (MASH_TRIAGE; 409 once the contact is decided; 422
    naming the field, e.g. an agency still answering an earlier enquiry)."""
    actor = authorised(request, Capability.MASH_TRIAGE)
    with transaction.atomic():
        contact = access_mash_contact(actor, contact_id, need=Capability.MASH_TRIAGE)
        partners = [_partner(actor, agency_id) for agency_id in payload.partner_agency_ids]
        services.enquiries_send(
            actor=actor,
            contact=contact,
            partner_agencies=partners,
            information_sought=payload.information_sought,
            justification=payload.justification,
        )
        return Status(201, _contact_out(contact))


@router.post(
    "/mash/contacts/{contact_id}/rating",
    response=responses(200, MashContactOut),
    summary="Give a RAG rating",
)
@declares(Capability.MASH_TRIAGE)
def mash_rating_post(
    request: HttpRequest, contact_id: uuid.UUID, payload: MashRatingIn
) -> dict[str, Any]:
    """Rate the contact red, amber or green with reasons; red brings the decision forward to
    4 hours after receipt (MASH_TRIAGE; 409 once decided; 422 without reasons)."""
    actor = authorised(request, Capability.MASH_TRIAGE)
    with transaction.atomic():
        contact = access_mash_contact(actor, contact_id, need=Capability.MASH_TRIAGE)
        services.contact_rate(
            actor=actor, contact=contact, rating=payload.rating, reasons=payload.reasons
        )
        return _contact_out(contact)


@router.post(
    "/mash/contacts/{contact_id}/outcome",
    response=responses(200, MashContactOut),
    summary="Record the outcome",
)
@declares(Capability.MASH_TRIAGE)
def mash_outcome_post(
    request: HttpRequest, contact_id: uuid.UUID, payload: MashOutcomeIn
) -> dict[str, Any]:
    """Record the decision on the type of response, with reasons: no further action,
    information and advice, early help, already open (pass to the allocated worker, named in
    ``allocated_worker``), child in need assessment (section 17), strategy discussion (section
    47) or immediate protection (only when rated red; information and advice never when red).
    While enquiries to partner agencies are still open, ``withdraw_open_enquiries`` says whether
    to withdraw them in the same step (MASH_TRIAGE; 409 if already decided; 422 naming the field:
    not rated yet, no reasons, an outcome the rating does not allow, the allocated worker
    missing, or the open enquiries left unanswered)."""
    actor = authorised(request, Capability.MASH_TRIAGE)
    with transaction.atomic():
        contact = access_mash_contact(actor, contact_id, need=Capability.MASH_TRIAGE)
        services.contact_decide(
            actor=actor,
            contact=contact,
            outcome=payload.outcome,
            reasons=payload.reasons,
            allocated_worker=payload.allocated_worker,
            withdraw_open_enquiries=payload.withdraw_open_enquiries,
        )
        return _contact_out(contact)


@router.post(
    "/mash/contacts/{contact_id}/closure",
    response=responses(200, MashContactOut),
    summary="Close a decided contact",
)
@declares(Capability.MASH_TRIAGE)
def mash_close_post(request: HttpRequest, contact_id: uuid.UUID) -> dict[str, Any]:
    """Close a contact whose outcome is recorded (MASH_TRIAGE; 409 while it is still open)."""
    actor = authorised(request, Capability.MASH_TRIAGE)
    with transaction.atomic():
        contact = access_mash_contact(actor, contact_id, need=Capability.MASH_TRIAGE)
        services.contact_close(actor=actor, contact=contact)
        return _contact_out(contact)


@router.get("/mash/dashboard", response=responses(200, MashDashboardOut), summary="MASH timescales")
@declares(Capability.MASH_VIEW)
def mash_dashboard_get(request: HttpRequest) -> dict[str, Any]:
    """Open contacts by stage (on time and overdue) and by RAG rating, contacts decided today,
    and partner enquiries not answered within 24 hours by agency, for the actor's hub
    (MASH_VIEW). Counts only; the look is recorded."""
    actor = authorised(request, Capability.MASH_VIEW)
    figures = dashboard(
        contacts=mash_contacts_visible_to(actor),
        enquiries=mash_enquiries_visible_to(actor),
        now=clock.now(),
    )
    with transaction.atomic():
        record_mash_dashboard_read(actor=actor)
    return {
        "open_total": figures.open_total,
        "overdue_total": figures.overdue_total,
        "decided_today": figures.decided_today,
        "stages": figures.stages,
        "ratings": [
            {"rating": value, "label": label, "open": count}
            for value, label, count in figures.ratings
        ],
        "overdue_enquiries": figures.overdue_enquiries,
    }
