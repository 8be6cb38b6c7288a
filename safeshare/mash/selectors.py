"""Reads for MASH triage: the contact queue (filtered by stage, rating and lateness), a contact's
enquiries with the state of each request (and those still open), and the figures for the
timescales dashboard.

Callers pass querysets already narrowed by ``safeshare.access.scopes``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from safeshare.core.workdays import UK
from safeshare.disclosures.models import OPEN_REQUEST_STATUSES
from safeshare.mash.models import (
    OPEN_CONTACT_STATUSES,
    ContactStatus,
    MashContact,
    MashEnquiry,
    RagRating,
)
from safeshare.mash.timescales import TimescaleState, timescale_state

OPEN_STAGES = (ContactStatus.NEW, ContactStatus.GATHERING, ContactStatus.AWAITING_DECISION)


def overdue_q(*, now: dt.datetime) -> Q:
    """Open contacts not rated in time, or whose decision is past due."""
    open_ = Q(status__in=list(OPEN_CONTACT_STATUSES))
    rating_late = Q(first_rated_at__isnull=True, rating_due_at__lt=now)
    decision_late = Q(decision_due_at__lt=now)
    return open_ & (rating_late | decision_late)


def contact_detail_queryset() -> QuerySet[MashContact]:
    return MashContact.objects.select_related(
        "hub_agency",
        "referrer_agency",
        "person",
        "recorded_by",
        "assigned_to",
        "rated_by",
        "decided_by",
        "closed_by",
    )


def contact_list(
    *,
    contacts: QuerySet[MashContact],
    now: dt.datetime,
    status: str = "",
    rating: str = "",
    overdue: bool = False,
) -> QuerySet[MashContact]:
    """Contacts, the most urgent first: open ones by when their decision is due, then the rest
    newest first. ``rating="none"`` means not rated yet."""
    found = contacts.select_related("referrer_agency", "assigned_to")
    if status:
        found = found.filter(status=status)
    if rating == "none":
        found = found.filter(rag_rating="")
    elif rating:
        found = found.filter(rag_rating=rating)
    if overdue:
        found = found.filter(overdue_q(now=now))
    return found.order_by(
        F("closed_at").asc(nulls_first=True),
        F("decided_at").asc(nulls_first=True),
        "decision_due_at",
        "-received_at",
        "pk",
    )


@dataclass(frozen=True)
class EnquiryRow:
    enquiry: MashEnquiry
    state: TimescaleState

    @property
    def is_overdue(self) -> bool:
        return self.state == TimescaleState.OVERDUE


def enquiry_rows(*, contact: MashContact, now: dt.datetime) -> list[EnquiryRow]:
    """The contact's enquiries, with where each stands against its 24-hour clock."""
    enquiries = (
        MashEnquiry.objects.filter(contact=contact)
        .select_related("request", "partner_agency", "sent_by")
        .order_by("sent_at", "partner_agency__name", "pk")
    )
    rows = []
    for enquiry in enquiries:
        request = enquiry.request
        done_at = None if request.is_open else (request.closed_at or request.updated_at)
        rows.append(
            EnquiryRow(
                enquiry=enquiry,
                state=timescale_state(request.due_at, done_at=done_at, now=now),
            )
        )
    return rows


def open_enquiries(*, contact: MashContact) -> list[MashEnquiry]:
    """The contact's enquiries that the partner agency has neither answered nor refused yet
    (nor the hub withdrawn), oldest first."""
    return list(
        contact.enquiries.select_related("request", "partner_agency")
        .filter(request__status__in=list(OPEN_REQUEST_STATUSES))
        .order_by("sent_at", "partner_agency__name", "pk")
    )


@dataclass(frozen=True)
class Timescale:
    label: str
    due_at: dt.datetime
    done_at: dt.datetime | None
    state: TimescaleState

    @property
    def is_overdue(self) -> bool:
        return self.state == TimescaleState.OVERDUE


def contact_timescales(*, contact: MashContact, now: dt.datetime) -> list[Timescale]:
    """The RAG rating and the decision, each against its time."""
    return [
        Timescale(
            "RAG rating",
            contact.rating_due_at,
            contact.first_rated_at,
            timescale_state(contact.rating_due_at, done_at=contact.first_rated_at, now=now),
        ),
        Timescale(
            "Decision on the type of response",
            contact.decision_due_at,
            contact.decided_at,
            timescale_state(contact.decision_due_at, done_at=contact.decided_at, now=now),
        ),
    ]


@dataclass(frozen=True)
class StageCount:
    status: str
    label: str
    on_time: int
    overdue: int

    @property
    def total(self) -> int:
        return self.on_time + self.overdue


@dataclass(frozen=True)
class AgencyCount:
    agency: str
    overdue: int


@dataclass(frozen=True)
class Dashboard:
    stages: list[StageCount]
    ratings: list[tuple[str, str, int]]  # (value, label, open contacts)
    overdue_enquiries: list[AgencyCount]
    open_total: int
    overdue_total: int
    decided_today: int


def dashboard(
    *, contacts: QuerySet[MashContact], enquiries: QuerySet[MashEnquiry], now: dt.datetime
) -> Dashboard:
    """Counts of open contacts by stage (on time and overdue), by RAG rating, and of overdue
    partner enquiries by agency. Counts only: nothing here identifies a child."""
    late = overdue_q(now=now)
    by_stage = {
        row["status"]: row
        for row in contacts.filter(status__in=list(OPEN_STAGES))
        .values("status")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=late))
    }
    stages = []
    for stage in OPEN_STAGES:
        row = by_stage.get(stage, {})
        total, overdue = row.get("total", 0), row.get("overdue", 0)
        stages.append(
            StageCount(
                status=str(stage), label=stage.label, on_time=total - overdue, overdue=overdue
            )
        )
    rated = dict(
        contacts.filter(status__in=list(OPEN_STAGES))
        .values_list("rag_rating")
        .annotate(total=Count("pk"))
        .values_list("rag_rating", "total")
    )
    ratings = [(str(r), r.label.split(":")[0], rated.get(r, 0)) for r in RagRating]
    ratings.append(("none", "Not rated yet", rated.get("", 0)))
    late_enquiries = (
        enquiries.filter(request__status__in=list(OPEN_REQUEST_STATUSES), request__due_at__lt=now)
        .values("partner_agency__name")
        .annotate(total=Count("pk"))
        .order_by("-total", "partner_agency__name")
    )
    start_of_day = now.astimezone(UK).replace(hour=0, minute=0, second=0, microsecond=0)
    return Dashboard(
        stages=stages,
        ratings=ratings,
        overdue_enquiries=[
            AgencyCount(agency=row["partner_agency__name"], overdue=row["total"])
            for row in late_enquiries
        ],
        open_total=sum(stage.total for stage in stages),
        overdue_total=sum(stage.overdue for stage in stages),
        decided_today=contacts.filter(decided_at__gte=start_of_day).count(),
    )
