"""The timers: what is due, and who must be told, worked out from the records themselves.

Each finder looks at one kind of waiting work and returns ``Due`` notices. ``sweep`` (services)
raises each notice once and e-mails it. Nothing here waits for someone to open a page: the worker
runs the sweep every ``SAFESHARE_SWEEP_MINUTES`` (ADR 19).

Who is told, and when (docs/how-to/workday.md):

- a request for information: an immediate-risk one at once; others when due soon (2 hours before
  a 24-hour request, 1 day before a routine one) and again when overdue; to the practitioner it
  is assigned to, or, while unassigned, to the receiving agency's DSLs and MASH officers, who
  route requests;
- a sharing decision awaiting approval past its due time: an urgent share (which may already have
  gone) is escalated to every DSL or manager of the deciding agency but the decider; any other to
  the same people as an overdue approval;
- a MASH contact past its rating or decision timescale: the hub's MASH officers;
- telling the individual: the practitioner the task is assigned to, from a day before it is due;
- an agreement within 30 days of its review date: information governance of each party agency;
- a disclosure that expired in the last 7 days: its recipient (delete any copy);
- a recall not confirmed after 2 working days: the recipient, and whoever sent it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from safeshare.agencies.models import Practitioner, Role
from safeshare.agencies.selectors import agreements_due_for_review
from safeshare.core.workdays import add_working_days
from safeshare.decisions.models import SharingDecision
from safeshare.disclosures.models import (
    Disclosure,
    DisclosureStatus,
    InformationRequest,
    InformTask,
    RecallRequest,
    RequestStatus,
    Urgency,
)
from safeshare.mash.models import MashContact
from safeshare.mash.selectors import overdue_q
from safeshare.workday.models import NoticeKind

OPEN_REQUEST = (RequestStatus.RECEIVED, RequestStatus.ASSIGNED)
DUE_SOON = {
    Urgency.WITHIN_24_HOURS: dt.timedelta(hours=2),
    Urgency.ROUTINE: dt.timedelta(days=1),
}
INFORM_NOTICE_BEFORE = dt.timedelta(days=1)
AGREEMENT_REVIEW_DAYS = 30
EXPIRED_NOTICE_DAYS = 7
RECALL_REMINDER_WORKING_DAYS = 2


@dataclass(frozen=True)
class Due:
    recipient_id: uuid.UUID  # a Practitioner's primary key
    kind: NoticeKind
    key: str  # the thing and the stage: raised once per recipient
    url: str
    due_at: dt.datetime | None = None


def _people(
    agency_ids: Iterable[uuid.UUID], roles: Iterable[Role]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Active practitioners of each agency holding any of ``roles``: {agency id: [ids]}."""
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    rows = (
        Practitioner.objects.filter(
            agency_id__in=set(agency_ids),
            is_active=True,
            role_assignments__role__in=[str(role) for role in roles],
        )
        .values_list("agency_id", "pk")
        .distinct()
        .order_by("agency_id", "pk")
    )
    for agency_id, pk in rows:
        found.setdefault(agency_id, []).append(pk)
    return found


def requests_due(now: dt.datetime) -> Iterator[Due]:
    urgent = Q(urgency=Urgency.IMMEDIATE_RISK)
    soon = Q()
    for urgency, before in DUE_SOON.items():
        soon |= Q(urgency=urgency, due_at__lte=now + before)
    rows = list(
        InformationRequest.objects.filter(status__in=OPEN_REQUEST)
        .filter(urgent | soon)
        .values_list("pk", "urgency", "due_at", "assigned_to_id", "receiving_agency_id")
    )
    routers = _people((row[4] for row in rows if row[3] is None), (Role.DSL, Role.MASH_OFFICER))
    for pk, urgency_code, due_at, assigned, agency in rows:
        urgency = Urgency(urgency_code)
        url = reverse("web:request-detail", kwargs={"request_id": pk})
        people = [assigned] if assigned is not None else routers.get(agency, [])
        if due_at < now:
            kind, stage = NoticeKind.REQUEST_OVERDUE, "overdue"
        elif urgency == Urgency.IMMEDIATE_RISK:
            kind, stage = NoticeKind.URGENT_REQUEST, "urgent"
        else:
            kind, stage = NoticeKind.REQUEST_DUE, "due"
        if urgency == Urgency.IMMEDIATE_RISK and kind is NoticeKind.REQUEST_OVERDUE:
            kind = NoticeKind.URGENT_REQUEST  # an overdue immediate-risk request stays urgent
        for person in people:
            yield Due(person, kind, f"request:{pk}:{stage}", url, due_at)


def approvals_overdue(now: dt.datetime) -> Iterator[Due]:
    rows = list(
        SharingDecision.objects.filter(
            approval_required=True, approval__isnull=True, approval_due_at__lt=now
        ).values_list("pk", "agency_id", "decided_by_id", "is_urgent", "approval_due_at")
    )
    managers = _people((row[1] for row in rows), (Role.DSL,))
    for pk, agency, decider, urgent, due_at in rows:
        url = reverse("web:decision-detail", kwargs={"decision_id": pk})
        kind = NoticeKind.APPROVAL_ESCALATED if urgent else NoticeKind.APPROVAL_OVERDUE
        for person in managers.get(agency, []):
            if person != decider:
                yield Due(person, kind, f"decision:{pk}:approval-overdue", url, due_at)


def mash_timescales(now: dt.datetime) -> Iterator[Due]:
    rows = list(
        MashContact.objects.filter(overdue_q(now=now)).values_list(
            "pk", "hub_agency_id", "rating_due_at", "decision_due_at", "first_rated_at"
        )
    )
    officers = _people((row[1] for row in rows), (Role.MASH_OFFICER,))
    for pk, hub, rating_due, decision_due, rated in rows:
        stage = "rating" if rated is None and rating_due < now else "decision"
        due_at = rating_due if stage == "rating" else decision_due
        url = reverse("web:mash-contact", kwargs={"contact_id": pk})
        for person in officers.get(hub, []):
            yield Due(person, NoticeKind.MASH_TIMESCALE, f"mash:{pk}:{stage}", url, due_at)


def inform_tasks_due(now: dt.datetime) -> Iterator[Due]:
    rows = InformTask.objects.filter(
        done_at__isnull=True, due_at__lte=now + INFORM_NOTICE_BEFORE
    ).values_list("pk", "assigned_to_id", "due_at")
    for pk, assigned, due_at in rows:
        url = reverse("web:inform-task", kwargs={"task_id": pk})
        yield Due(assigned, NoticeKind.INFORM_DUE, f"inform:{pk}:due", url, due_at)


def agreements_for_review(now: dt.datetime) -> Iterator[Due]:
    agreements = list(
        agreements_due_for_review(within_days=AGREEMENT_REVIEW_DAYS).prefetch_related("parties")
    )
    governance = _people(
        (party.pk for agreement in agreements for party in agreement.parties.all()),
        (Role.INFORMATION_GOVERNANCE,),
    )
    for agreement in agreements:
        url = reverse("web:agreement-detail", kwargs={"agreement_id": agreement.pk})
        key = f"agreement:{agreement.pk}:review:{agreement.review_date:%Y-%m-%d}"
        for party in agreement.parties.all():
            for person in governance.get(party.pk, []):
                yield Due(person, NoticeKind.AGREEMENT_REVIEW, key, url)


def disclosures_expired(now: dt.datetime) -> Iterator[Due]:
    rows = (
        Disclosure.objects.filter(
            expires_at__lte=now, expires_at__gt=now - dt.timedelta(days=EXPIRED_NOTICE_DAYS)
        )
        .exclude(status=DisclosureStatus.REVOKED)
        .filter(recalled_at__isnull=True)  # a recall asks for deletion itself
        .values_list("pk", "recipient_id", "expires_at")
    )
    for pk, recipient, expires_at in rows:
        url = reverse("web:disclosure-detail", kwargs={"disclosure_id": pk})
        yield Due(
            recipient, NoticeKind.DISCLOSURE_EXPIRED, f"disclosure:{pk}:expired", url, expires_at
        )


def recalls_unconfirmed(now: dt.datetime) -> Iterator[Due]:
    rows = RecallRequest.objects.filter(deletion_confirmed_at__isnull=True).values_list(
        "pk", "requested_at", "requested_by_id", "disclosure__recipient_id"
    )
    to_delete = reverse("web:recalls-to-delete")
    outstanding = reverse("web:recalls")
    for pk, requested_at, sender, recipient in rows:
        reminder_at = add_working_days(requested_at, RECALL_REMINDER_WORKING_DAYS)
        if reminder_at > now:
            continue
        key = f"recall:{pk}:reminder"
        yield Due(recipient, NoticeKind.RECALL_UNCONFIRMED, key, to_delete, reminder_at)
        yield Due(sender, NoticeKind.RECALL_UNCONFIRMED, key, outstanding, reminder_at)


FINDERS = (
    requests_due,
    approvals_overdue,
    mash_timescales,
    inform_tasks_due,
    agreements_for_review,
    disclosures_expired,
    recalls_unconfirmed,
)


def everything_due(now: dt.datetime) -> list[Due]:
    """Every notice due now, from every finder (each recipient and key once)."""
    seen: dict[tuple[object, str], Due] = {}
    for finder in FINDERS:
        for due in finder(now):
            seen.setdefault((due.recipient_id, due.key), due)
    return list(seen.values())
