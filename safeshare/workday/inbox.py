""" "Your work": one list per practitioner of everything waiting for them to act on.

Each kind of waiting work is one source: a queryset built from the access scopes
(``safeshare.access.scopes.*_visible_to``) narrowed by the domain selectors that already define
what "waiting" means, and a builder that turns each record into a ``WaitingWork`` row. The same
source answers both ``inbox_for`` (the rows) and ``inbox_count`` (their number, without loading
a row or naming a child), so the header's count and the page can never disagree.

Who sees each kind is said once, in docs/how-to/inbox.md; in short: the person the work is
assigned or addressed to, and, where a team shares a queue, the work nobody (active) holds goes
to the team: requests to DSLs and MASH officers, read-backs and tasks of a practitioner who has
left to the agency's DSLs, contacts to the hub's MASH officers.

Showing a row names a child: ``inbox_for`` records one read per row shown, exactly as the list
page for that kind of work does, in the same transaction as the rows are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse

from safeshare.access import rules
from safeshare.access.capabilities import AGENCY_WIDE_REQUEST_ROLES, Capability, has_capability
from safeshare.access.fetch import (
    record_access_review_read,
    record_case_list_read,
    record_disclosure_list_read,
    record_mash_contact_list_read,
    record_request_list_read,
)
from safeshare.access.scopes import (
    access_reviews_visible_to,
    agreements_visible_to,
    cases_held_by_agency_of,
    cases_visible_to,
    correction_notices_visible_to,
    decisions_visible_to,
    disclosures_visible_to,
    inform_tasks_visible_to,
    mash_contacts_visible_to,
    people_held_by_agency_of,
    reads_reviewable_by,
    recall_requests_visible_to,
    requests_visible_to,
)
from safeshare.agencies.models import InformationSharingAgreement, Practitioner, Role
from safeshare.agencies.selectors import agreements_due_for_review
from safeshare.core.workdays import UK
from safeshare.decisions.models import SharingDecision
from safeshare.decisions.selectors import approvals_awaited
from safeshare.disclosures.models import (
    CorrectionNotice,
    Disclosure,
    DisclosureStatus,
    InformationRequest,
    InformTask,
    RecallRequest,
    Urgency,
)
from safeshare.disclosures.selectors import (
    correction_notices_awaiting,
    disclosures_awaiting_read_back_confirmation,
    disclosures_shared_with,
    inform_tasks_due,
    recall_requests_awaiting_deletion,
    requests_inbox,
)
from safeshare.mash.models import OPEN_CONTACT_STATUSES, MashContact, RagRating
from safeshare.mash.selectors import contact_list
from safeshare.oversight.selectors import access_review_overview, flagged_rows
from safeshare.oversight.unusual import FlaggedRead
from safeshare.people.nhs import format_nhs_number

# Agreements whose review date is this close, or past, are waiting for review (as on the home
# page's list of agreements due for review).
AGREEMENT_REVIEW_WINDOW_DAYS = 30


class WorkKind(StrEnum):
    """Stable codes of the kinds of waiting work (the API's ``kind`` filter). Never renamed."""

    REQUEST = "request"
    MASH_ENQUIRY = "mash_enquiry"
    APPROVAL = "approval"
    ACKNOWLEDGEMENT = "acknowledgement"
    UNDERTAKING = "undertaking"
    READ_BACK = "read_back"
    READ_BACK_CONFIRMATION = "read_back_confirmation"
    CORRECTION = "correction"
    RECALL = "recall"
    INFORM = "inform"
    MASH_CONTACT = "mash_contact"
    AGREEMENT_REVIEW = "agreement_review"
    ACCESS_REVIEW = "access_review"


WORK_KIND_LABELS: dict[WorkKind, str] = {
    WorkKind.REQUEST: "Request to answer",
    WorkKind.MASH_ENQUIRY: "MASH enquiry to answer",
    WorkKind.APPROVAL: "Decision to approve",
    WorkKind.ACKNOWLEDGEMENT: "Information to acknowledge",
    WorkKind.UNDERTAKING: "Undertaking to accept",
    WorkKind.READ_BACK: "Understanding to read back",
    WorkKind.READ_BACK_CONFIRMATION: "Read-back to confirm",
    WorkKind.CORRECTION: "Correction to acknowledge",
    WorkKind.RECALL: "Deletion to confirm",
    WorkKind.INFORM: "Individual to tell",
    WorkKind.MASH_CONTACT: "MASH contact to triage",
    WorkKind.AGREEMENT_REVIEW: "Agreement to review",
    WorkKind.ACCESS_REVIEW: "Access to review",
}
_KIND_ORDER = {kind: index for index, kind in enumerate(WorkKind)}


@dataclass(frozen=True)
class WaitingWork:
    """One thing waiting for the actor: what is asked, about which child, by whom, by when."""

    kind: WorkKind
    title: str  # what is asked
    child_name: str  # as the actor's own agency knows the child; "" when not about a child
    asked_by: str  # "Name, Agency", or ""
    due_at: dt.datetime | None
    urgent: bool
    url: str  # the page where the work is done
    object_id: str
    overdue: bool = False

    @property
    def kind_label(self) -> str:
        return WORK_KIND_LABELS[self.kind]


# A row, and the read that showing it records: ("request", r), ("disclosure", d), ("case", c),
# ("mash_contact", c), ("access_review", (person_id, case_id)) or None (no personal data).
_Read = tuple[str, Any] | None
_Found = tuple[WaitingWork, _Read]


def _by(name: str, agency: str) -> str:
    return ", ".join(part for part in (name, agency) if part)


def _work(
    kind: WorkKind,
    *,
    now: dt.datetime,
    title: str,
    child_name: str,
    asked_by: str,
    due_at: dt.datetime | None,
    url: str,
    object_id: object,
    urgent: bool = False,
    overdue: bool | None = None,
) -> WaitingWork:
    return WaitingWork(
        kind=kind,
        title=title,
        child_name=child_name,
        asked_by=asked_by,
        due_at=due_at,
        urgent=urgent,
        url=url,
        object_id=str(object_id),
        overdue=(due_at is not None and due_at < now) if overdue is None else overdue,
    )


# --- Information requests and MASH enquiries (the receiving agency) -------------------------------


def _open_requests(actor: Practitioner) -> QuerySet[InformationRequest]:
    """Open requests to the actor's agency assigned to them; for DSLs and MASH officers (who see
    every request to the agency) also those nobody active holds: the team's queue."""
    if not has_capability(actor, Capability.REQUEST_VIEW):
        return InformationRequest.objects.none()
    held = Q(assigned_to=actor)
    if any(actor.has_role(role) for role in AGENCY_WIDE_REQUEST_ROLES):
        held |= Q(assigned_to__isnull=True) | Q(assigned_to__is_active=False)
    return requests_inbox(requests=requests_visible_to(actor), agency=actor.agency).filter(held)


def _requests(actor: Practitioner, now: dt.datetime) -> QuerySet[InformationRequest]:
    return _open_requests(actor).filter(mash_enquiry__isnull=True)


def _enquiries(actor: Practitioner, now: dt.datetime) -> QuerySet[InformationRequest]:
    return _open_requests(actor).filter(mash_enquiry__isnull=False)


def _request_child(asked: InformationRequest, seen_cases: set[Any]) -> str:
    """The child as the actor's agency holds them (the matched case's subject, when the actor
    may see that case), else as the requester named them."""
    case = asked.matched_case
    if case is not None and case.pk in seen_cases:
        return case.subject.display_name
    named = f"{asked.child_given_name} {asked.child_family_name}".strip()
    return f"{named} (not matched to a case)" if named else "Not matched to a case"


def _waiting_because(holder: Practitioner | None, actor: Practitioner, *, left: str) -> str:
    """Why work the actor does not hold is in their queue, put before its title."""
    if holder is None:
        return "Not assigned: "
    if holder.pk == actor.pk:
        return ""
    return f"{left}: "


def _request_builder(kind: WorkKind) -> Callable[..., list[_Found]]:
    def build(
        actor: Practitioner, found: QuerySet[InformationRequest], now: dt.datetime
    ) -> list[_Found]:
        asked = list(found.select_related("matched_case__subject"))
        matched = {r.matched_case_id for r in asked if r.matched_case_id is not None}
        seen = set(cases_visible_to(actor).filter(pk__in=matched).values_list("pk", flat=True))
        rows: list[_Found] = []
        for request in asked:
            what = (
                "Answer the MASH enquiry"
                if kind == WorkKind.MASH_ENQUIRY
                else f"Answer: {request.get_kind_display()}"
            )
            waiting = _waiting_because(request.assigned_to, actor, left="Assignee has left")
            work = _work(
                kind,
                now=now,
                title=f"{waiting}{what}, for {request.get_purpose_display().lower()}",
                child_name=_request_child(request, seen),
                asked_by=_by(request.requested_by.full_name, request.requesting_agency.name),
                due_at=request.due_at,
                urgent=request.urgency == Urgency.IMMEDIATE_RISK,
                url=reverse("web:request-detail", kwargs={"request_id": request.pk}),
                object_id=request.pk,
            )
            rows.append((work, ("request", request)))
        return rows

    return build


# --- Approvals of sharing decisions (DSLs of the deciding agency) ---------------------------------


def _approvals(actor: Practitioner, now: dt.datetime) -> QuerySet[SharingDecision]:
    if not has_capability(actor, Capability.DECISION_APPROVE):
        return SharingDecision.objects.none()
    return (
        approvals_awaited(decisions=decisions_visible_to(actor))
        .filter(agency_id=actor.agency_id)
        .exclude(decided_by=actor)
    )


def _approval_rows(
    actor: Practitioner, found: QuerySet[SharingDecision], now: dt.datetime
) -> list[_Found]:
    rows: list[_Found] = []
    for decision in found.select_related("agency"):
        work = _work(
            WorkKind.APPROVAL,
            now=now,
            title=f"Approve or decline: {decision.get_outcome_display()}",
            child_name=decision.case.subject.display_name,
            asked_by=_by(decision.decided_by.full_name, decision.agency.name),
            due_at=decision.approval_due_at,
            urgent=decision.is_urgent,  # an urgent share may already have gone
            url=reverse("web:decision-detail", kwargs={"decision_id": decision.pk}),
            object_id=decision.pk,
        )
        rows.append((work, ("case", decision.case)))
    return rows


# --- Disclosures: the recipient's steps, and the sharer's confirmation of the read-back ----------

_RECIPIENT_STEPS: dict[str, tuple[WorkKind, str, str]] = {
    DisclosureStatus.ISSUED: (
        WorkKind.ACKNOWLEDGEMENT,
        "Acknowledge that you received it",
        "web:disclosure-detail",
    ),
    DisclosureStatus.ACKNOWLEDGED: (
        WorkKind.UNDERTAKING,
        "Accept the undertaking",
        "web:disclosure-undertaking",
    ),
    DisclosureStatus.UNDERTAKING_ACCEPTED: (
        WorkKind.READ_BACK,
        "Say what you understood",
        "web:disclosure-read-back",
    ),
    DisclosureStatus.READ_BACK_CORRECTED: (
        WorkKind.READ_BACK,
        "Say again what you understood: the sharer corrected it",
        "web:disclosure-read-back",
    ),
}


def _received(actor: Practitioner, now: dt.datetime) -> QuerySet[Disclosure]:
    """Live disclosures to the actor waiting for their next step (the service refuses every
    recipient step once a disclosure has expired, been recalled or revoked)."""
    if not has_capability(actor, Capability.DISCLOSURE_VIEW):
        return Disclosure.objects.none()
    return disclosures_shared_with(
        disclosures=disclosures_visible_to(actor), recipient=actor
    ).filter(rules.disclosure_live(at=now), status__in=list(_RECIPIENT_STEPS))


def _received_rows(
    actor: Practitioner, found: QuerySet[Disclosure], now: dt.datetime
) -> list[_Found]:
    rows: list[_Found] = []
    for disclosure in found:
        kind, title, page = _RECIPIENT_STEPS[disclosure.status]
        work = _work(
            kind,
            now=now,
            title=title,
            child_name=disclosure.case.subject.display_name,
            asked_by=_by(disclosure.shared_by.full_name, disclosure.sharing_agency.name),
            due_at=disclosure.expires_at,
            url=reverse(page, kwargs={"disclosure_id": disclosure.pk}),
            object_id=disclosure.pk,
        )
        rows.append((work, ("disclosure", disclosure)))
    return rows


def _read_backs(actor: Practitioner, now: dt.datetime) -> QuerySet[Disclosure]:
    """Read-backs of what the actor shared; for DSLs also those whose sharer has left."""
    if not has_capability(actor, Capability.DISCLOSURE_ISSUE):
        return Disclosure.objects.none()
    mine = Q(shared_by=actor)
    if actor.has_role(Role.DSL):
        mine |= Q(shared_by__is_active=False)
    return disclosures_awaiting_read_back_confirmation(
        disclosures=disclosures_visible_to(actor), agency=actor.agency
    ).filter(mine)


def _read_back_rows(
    actor: Practitioner, found: QuerySet[Disclosure], now: dt.datetime
) -> list[_Found]:
    rows: list[_Found] = []
    for disclosure in found:
        work = _work(
            WorkKind.READ_BACK_CONFIRMATION,
            now=now,
            title=_waiting_because(disclosure.shared_by, actor, left="Sharer has left")
            + "Confirm or correct what the recipient understood",
            child_name=disclosure.case.subject.display_name,
            asked_by=_by(disclosure.recipient.full_name, disclosure.recipient_agency.name),
            due_at=None,
            url=reverse("web:disclosure-confirm", kwargs={"disclosure_id": disclosure.pk}),
            object_id=disclosure.pk,
        )
        rows.append((work, ("disclosure", disclosure)))
    return rows


# --- After sharing: corrections, recalls, telling the individual ----------------------------------


def _corrections(actor: Practitioner, now: dt.datetime) -> QuerySet[CorrectionNotice]:
    if not has_capability(actor, Capability.DISCLOSURE_VIEW):
        return CorrectionNotice.objects.none()
    return correction_notices_awaiting(
        notices=correction_notices_visible_to(actor), recipient=actor
    )


def _correction_rows(
    actor: Practitioner, found: QuerySet[CorrectionNotice], now: dt.datetime
) -> list[_Found]:
    rows: list[_Found] = []
    notices = found.select_related("correction__issued_by", "disclosure__sharing_agency")
    for notice in notices:
        disclosure = notice.disclosure
        work = _work(
            WorkKind.CORRECTION,
            now=now,
            title=f"Acknowledge the {notice.correction.get_kind_display().lower()}",
            child_name=disclosure.case.subject.display_name,
            asked_by=_by(notice.correction.issued_by.full_name, disclosure.sharing_agency.name),
            due_at=None,
            url=reverse("web:corrections"),
            object_id=notice.pk,
        )
        rows.append((work, ("disclosure", disclosure)))
    return rows


def _recalls(actor: Practitioner, now: dt.datetime) -> QuerySet[RecallRequest]:
    if not has_capability(actor, Capability.DISCLOSURE_VIEW):
        return RecallRequest.objects.none()
    return recall_requests_awaiting_deletion(
        requests=recall_requests_visible_to(actor), recipient=actor
    )


def _recall_rows(
    actor: Practitioner, found: QuerySet[RecallRequest], now: dt.datetime
) -> list[_Found]:
    rows: list[_Found] = []
    for recall in found.select_related("requested_by", "disclosure__case__subject"):
        disclosure = recall.disclosure
        work = _work(
            WorkKind.RECALL,
            now=now,
            title="Consent was withdrawn: delete what was shared and confirm",
            child_name=disclosure.case.subject.display_name,
            asked_by=_by(recall.requested_by.full_name, disclosure.sharing_agency.name),
            due_at=None,
            url=reverse("web:recalls-to-delete"),
            object_id=recall.pk,
        )
        rows.append((work, ("disclosure", disclosure)))
    return rows


def _inform_tasks(actor: Practitioner, now: dt.datetime) -> QuerySet[InformTask]:
    """Tasks assigned to the actor; for DSLs also those whose assignee has left."""
    if not has_capability(actor, Capability.DISCLOSURE_ISSUE):
        return InformTask.objects.none()
    mine = Q(assigned_to=actor)
    if actor.has_role(Role.DSL):
        mine |= Q(assigned_to__is_active=False)
    return inform_tasks_due(tasks=inform_tasks_visible_to(actor), agency=actor.agency).filter(mine)


def _inform_rows(
    actor: Practitioner, found: QuerySet[InformTask], now: dt.datetime
) -> list[_Found]:
    rows: list[_Found] = []
    for task in found:
        work = _work(
            WorkKind.INFORM,
            now=now,
            title=_waiting_because(task.assigned_to, actor, left="Assignee has left")
            + "Tell the individual what was shared, or record why not",
            child_name=task.case.subject.display_name,
            asked_by="",
            due_at=task.due_at,
            url=reverse("web:inform-task", kwargs={"task_id": task.pk}),
            object_id=task.pk,
        )
        rows.append((work, ("case", task.case)))
    return rows


# --- MASH contacts (the hub's MASH officers) ------------------------------------------------------


def _contacts(actor: Practitioner, now: dt.datetime) -> QuerySet[MashContact]:
    """Open contacts of the actor's hub assigned to them, and those nobody active holds."""
    if not has_capability(actor, Capability.MASH_TRIAGE):
        return MashContact.objects.none()
    held = Q(assigned_to=actor) | Q(assigned_to__isnull=True) | Q(assigned_to__is_active=False)
    open_ = mash_contacts_visible_to(actor).filter(held, status__in=list(OPEN_CONTACT_STATUSES))
    return contact_list(contacts=open_, now=now)


def _contact_child(contact: MashContact) -> str:
    """The hub's own record of the child when linked, else as the contacts page names them."""
    if contact.person is not None:
        return contact.person.display_name
    named = f"{contact.child_given_name} {contact.child_family_name}".strip()
    if contact.child_family_name:
        return named
    if contact.child_nhs_number:
        return f"NHS number {format_nhs_number(contact.child_nhs_number)}"
    return named


def _contact_rows(
    actor: Practitioner, found: QuerySet[MashContact], now: dt.datetime
) -> list[_Found]:
    rows: list[_Found] = []
    for contact in found.select_related("person"):
        rated = contact.first_rated_at is not None
        waiting = _waiting_because(contact.assigned_to, actor, left="Assignee has left")
        step = "Decide the response" if rated else "Give a RAG rating"
        work = _work(
            WorkKind.MASH_CONTACT,
            now=now,
            title=f"{waiting}{step} ({contact.get_category_display().lower()})",
            child_name=_contact_child(contact),
            asked_by=(
                contact.referrer_agency.name if contact.referrer_agency else "Member of the public"
            ),
            due_at=contact.decision_due_at if rated else contact.rating_due_at,
            urgent=contact.rag_rating == RagRating.RED,
            url=reverse("web:mash-contact", kwargs={"contact_id": contact.pk}),
            object_id=contact.pk,
        )
        rows.append((work, ("mash_contact", contact)))
    return rows


# --- Information governance: agreements and the access review queue ------------------------------


def _agreements(actor: Practitioner, now: dt.datetime) -> QuerySet[InformationSharingAgreement]:
    """Active agreements the actor's agency is party to, due for review (information governance
    only: agreements are theirs to keep)."""
    if not actor.has_role(Role.INFORMATION_GOVERNANCE):
        return InformationSharingAgreement.objects.none()
    if not has_capability(actor, Capability.AGREEMENT_MANAGE):
        return InformationSharingAgreement.objects.none()
    return agreements_due_for_review(within_days=AGREEMENT_REVIEW_WINDOW_DAYS).filter(
        parties=actor.agency_id, pk__in=agreements_visible_to(actor).values("pk")
    )


def _agreement_rows(
    actor: Practitioner, found: QuerySet[InformationSharingAgreement], now: dt.datetime
) -> list[_Found]:
    today = now.astimezone(UK).date()
    rows: list[_Found] = []
    for agreement in found:
        work = _work(
            WorkKind.AGREEMENT_REVIEW,
            now=now,
            title=f"Review the agreement {agreement.reference}: {agreement.title}",
            child_name="",
            asked_by="",
            due_at=dt.datetime.combine(agreement.review_date, dt.time(0, 0), tzinfo=UK),
            url=reverse("web:agreement-detail", kwargs={"agreement_id": agreement.pk}),
            object_id=agreement.pk,
            overdue=agreement.review_date < today,
        )
        rows.append((work, None))
    return rows


def _flagged(actor: Practitioner, now: dt.datetime) -> list[FlaggedRead]:
    """Reads flagged as unusual that the actor's agency has not reviewed yet (the queue)."""
    if not has_capability(actor, Capability.ACCESS_REVIEW):
        return []
    overview = access_review_overview(
        reads=reads_reviewable_by(actor),
        reviews=access_reviews_visible_to(actor),
        agency_id=actor.agency_id,
    )
    return overview.queue


def _access_review_rows(
    actor: Practitioner, found: list[FlaggedRead], now: dt.datetime
) -> list[_Found]:
    shown = flagged_rows(
        flagged=found, cases=cases_held_by_agency_of(actor), people=people_held_by_agency_of(actor)
    )
    rows: list[_Found] = []
    for row in shown:
        child = row.case.subject if row.case is not None else row.person
        work = _work(
            WorkKind.ACCESS_REVIEW,
            now=now,
            title=f"Review unusual access: {row.event.lower()} by {_by(row.actor, row.agency)}",
            child_name=child.display_name if child is not None else "",
            asked_by="",
            due_at=None,
            url=reverse("web:access-review-entry", kwargs={"entry_id": row.read.entry_id}),
            object_id=row.read.entry_id,
        )
        rows.append((work, ("access_review", (row.read.person_id, row.read.case_id))))
    return rows


# --- The inbox ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    kinds: frozenset[WorkKind]
    find: Callable[[Practitioner, dt.datetime], Any]  # a queryset (a list for access reviews)
    rows: Callable[[Practitioner, Any, dt.datetime], list[_Found]]


_SOURCES: tuple[_Source, ...] = (
    _Source(frozenset({WorkKind.REQUEST}), _requests, _request_builder(WorkKind.REQUEST)),
    _Source(
        frozenset({WorkKind.MASH_ENQUIRY}), _enquiries, _request_builder(WorkKind.MASH_ENQUIRY)
    ),
    _Source(frozenset({WorkKind.APPROVAL}), _approvals, _approval_rows),
    _Source(
        frozenset({WorkKind.ACKNOWLEDGEMENT, WorkKind.UNDERTAKING, WorkKind.READ_BACK}),
        _received,
        _received_rows,
    ),
    _Source(frozenset({WorkKind.READ_BACK_CONFIRMATION}), _read_backs, _read_back_rows),
    _Source(frozenset({WorkKind.CORRECTION}), _corrections, _correction_rows),
    _Source(frozenset({WorkKind.RECALL}), _recalls, _recall_rows),
    _Source(frozenset({WorkKind.INFORM}), _inform_tasks, _inform_rows),
    _Source(frozenset({WorkKind.MASH_CONTACT}), _contacts, _contact_rows),
    _Source(frozenset({WorkKind.AGREEMENT_REVIEW}), _agreements, _agreement_rows),
    _Source(frozenset({WorkKind.ACCESS_REVIEW}), _flagged, _access_review_rows),
)

_NO_DUE = dt.datetime.max.replace(tzinfo=dt.UTC)


def _urgency(work: WaitingWork) -> tuple[int, int, dt.datetime, int, str]:
    """Most urgent first: urgent, then overdue, then due soonest, then no due date."""
    if work.overdue:
        bucket = 0
    elif work.due_at is not None:
        bucket = 1
    else:
        bucket = 2
    return (
        0 if work.urgent else 1,
        bucket,
        work.due_at or _NO_DUE,
        _KIND_ORDER[work.kind],
        work.object_id,
    )


def _record(actor: Practitioner, reads: Iterable[_Read]) -> None:
    """Record the reads of the rows shown, as each kind's own list page does."""
    requests: list[InformationRequest] = []
    disclosures: list[Disclosure] = []
    cases: list[Any] = []
    contacts: list[MashContact] = []
    reviewed: list[tuple[Any, Any]] = []
    lists: dict[str, list[Any]] = {
        "request": requests,
        "disclosure": disclosures,
        "case": cases,
        "mash_contact": contacts,
        "access_review": reviewed,
    }
    for read in reads:
        if read is not None:
            lists[read[0]].append(read[1])
    if requests:
        record_request_list_read(actor=actor, requests=requests)
    if disclosures:
        record_disclosure_list_read(actor=actor, disclosures=disclosures)
    if cases:
        record_case_list_read(actor=actor, cases=cases)
    if contacts:
        record_mash_contact_list_read(actor=actor, contacts=contacts)
    if reviewed:
        record_access_review_read(actor=actor, records=reviewed)


def _wanted(kinds: Sequence[WorkKind] | None) -> list[_Source]:
    if not kinds:
        return list(_SOURCES)
    chosen = set(kinds)
    return [source for source in _SOURCES if source.kinds & chosen]


@transaction.atomic
def inbox_for(
    actor: Practitioner,
    *,
    now: dt.datetime,
    kinds: Sequence[WorkKind] | None = None,
    due_before: dt.datetime | None = None,
    limit: int | None = None,
) -> list[WaitingWork]:
    """Everything waiting for ``actor``, most urgent first (urgent, then overdue, then due
    soonest, then no due date); only ``kinds`` when given, only work due before ``due_before``
    when given, at most ``limit`` rows. Each row shown is a recorded read, in this transaction."""
    if not isinstance(actor, Practitioner) or not actor.is_active:
        return []
    found: list[_Found] = []
    for source in _wanted(kinds):
        found.extend(source.rows(actor, source.find(actor, now), now))
    if kinds:
        found = [pair for pair in found if pair[0].kind in set(kinds)]
    if due_before is not None:
        found = [pair for pair in found if pair[0].due_at and pair[0].due_at < due_before]
    found.sort(key=lambda pair: _urgency(pair[0]))
    if limit is not None:
        found = found[:limit]
    _record(actor, (read for _work_row, read in found))
    return [work for work, _read in found]


def _count(found: Any) -> int:
    return len(found) if isinstance(found, list) else int(found.count())


def inbox_count(actor: Practitioner, *, now: dt.datetime) -> int:
    """How many rows ``inbox_for`` would show: one COUNT query per kind the actor's roles can
    hold (the access review queue is the scan its own page runs). Names nobody: not a read."""
    if not isinstance(actor, Practitioner) or not actor.is_active:
        return 0
    return sum(_count(source.find(actor, now)) for source in _SOURCES)


__all__ = ["WORK_KIND_LABELS", "WaitingWork", "WorkKind", "inbox_count", "inbox_for"]
