"""Writes for information requests and disclosures.

Requests: create (routed at once), route, refuse, reconsider, withdraw. Disclosures: issue (every
rule checked by ``assembly.disclosure_assemble``), then the recipient acknowledges, accepts the
undertaking and says what they understood, which the sharer confirms or corrects; the sharer may
revoke. Each moves along the transitions in ``models`` and appends to the ledger.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.db import transaction

from safeshare.agencies.models import Agency, Practitioner
from safeshare.cases.models import Case, CaseStatus, InformationItem
from safeshare.consent.models import Consent, ConsentRecall, RecallStatus
from safeshare.core import clock
from safeshare.core.vocabulary import SharingPurpose
from safeshare.core.workdays import add_working_days
from safeshare.decisions.models import DecisionOutcome, SharingDecision
from safeshare.disclosures.assembly import (
    AddressSelection,
    ItemSelection,
    disclosure_assemble,
)
from safeshare.disclosures.chronology import same_child
from safeshare.disclosures.exceptions import (
    AfterSharingInvalid,
    DisclosureInvalid,
    DisclosureTransitionInvalid,
    RequestInvalid,
    RequestTransitionInvalid,
)
from safeshare.disclosures.models import (
    DISCLOSURE_TRANSITIONS,
    REQUEST_TRANSITIONS,
    CorrectionKind,
    CorrectionNotice,
    DisclosedAddress,
    DisclosedItem,
    Disclosure,
    DisclosureStatus,
    InformationRequest,
    InformTask,
    ItemCorrection,
    OutsideAgreement,
    RecallRequest,
    ReceivedItemLink,
    RequestKind,
    RequestStatus,
    Urgency,
)
from safeshare.disclosures.selectors import request_routing
from safeshare.ledger.events import Event
from safeshare.ledger.services import Subject, ledger_append
from safeshare.people.exceptions import NhsNumberInvalid
from safeshare.people.services import clean_nhs_number


def _request_subject(request: InformationRequest) -> Subject:
    case = request.matched_case
    if case is None:
        return Subject()
    return Subject(person_id=case.subject_id, case_id=case.pk)


def _disclosure_subject(disclosure: Disclosure) -> Subject:
    return Subject(person_id=disclosure.case.subject_id, case_id=disclosure.case_id)


def _lock_request(request: InformationRequest) -> None:
    """Lock the request's row and reload it, so that a copy loaded earlier (another tab, another
    person answering at the same time) is never moved on from a state it has since left."""
    list(InformationRequest.objects.select_for_update().filter(pk=request.pk).values("pk"))
    request.refresh_from_db()


def _move_request(request: InformationRequest, to: RequestStatus) -> None:
    if to not in REQUEST_TRANSITIONS[request.status]:
        raise RequestTransitionInvalid(
            f"This request is {request.get_status_display().lower()}: it cannot be "
            f"{to.label.lower()}"
        )
    request.status = to
    request.touch()


def _move_disclosure(disclosure: Disclosure, to: DisclosureStatus) -> None:
    if to not in DISCLOSURE_TRANSITIONS[disclosure.status]:
        raise DisclosureTransitionInvalid(
            f"This disclosure is {disclosure.get_status_display().lower()}: that step is not "
            "possible now"
        )
    disclosure.status = to
    disclosure.touch()


def _due_at_for(urgency: str, *, at: dt.datetime) -> dt.datetime:
    """When an answer is due: within an hour, within 24 hours, or within 10 working days."""
    if urgency == Urgency.IMMEDIATE_RISK:
        return at + dt.timedelta(hours=1)
    if urgency == Urgency.WITHIN_24_HOURS:
        return at + dt.timedelta(hours=24)
    return add_working_days(at, 10)


# --- Requests ------------------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    actor: Practitioner,
    receiving_agency: Agency,
    kind: str,
    purpose: str,
    urgency: str,
    information_sought: str,
    justification: str,
    nhs_number: str = "",
    given_name: str = "",
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    postcode: str = "",
    reconsideration_of: InformationRequest | None = None,
    new_information: str = "",
) -> InformationRequest:
    """A request (or proactive share or referral) from the actor's agency to another agency
    about a child identified by NHS number, or by name, date of birth and postcode. Routed at
    once to whoever holds the child's case there, else their DSL."""
    if kind not in RequestKind.values:
        raise RequestInvalid("Select what kind of request this is", field="kind")
    if purpose not in SharingPurpose.values:
        raise RequestInvalid("Select the purpose", field="purpose")
    if urgency not in Urgency.values:
        raise RequestInvalid("Select how urgent this is", field="urgency")
    if receiving_agency.pk == actor.agency_id:
        raise RequestInvalid("Send the request to another agency", field="receiving_agency")
    if not receiving_agency.is_active:
        raise RequestInvalid("That agency is not active", field="receiving_agency")
    try:
        nhs = clean_nhs_number(nhs_number)
    except NhsNumberInvalid as exc:
        raise RequestInvalid(exc.message, field="nhs_number") from exc
    if not nhs and not (family_name.strip() and date_of_birth and postcode.strip()):
        raise RequestInvalid(
            "Identify the child by NHS number, or by name, date of birth and postcode",
            field="nhs_number",
        )
    if date_of_birth is not None and date_of_birth > clock.today():
        raise RequestInvalid("The date of birth must be in the past", field="date_of_birth")
    if not information_sought.strip():
        raise RequestInvalid("Describe the information you need", field="information_sought")
    if not justification.strip():
        raise RequestInvalid("Explain why you need it", field="justification")
    now = clock.now()
    request = InformationRequest.objects.create(
        kind=kind,
        requesting_agency=actor.agency,
        requested_by=actor,
        receiving_agency=receiving_agency,
        child_nhs_number=nhs,
        child_given_name=given_name.strip(),
        child_family_name=family_name.strip(),
        child_date_of_birth=date_of_birth.isoformat() if date_of_birth else "",
        child_postcode=postcode.strip().upper(),
        purpose=purpose,
        information_sought=information_sought.strip(),
        justification=justification.strip(),
        new_information=new_information.strip(),
        urgency=urgency,
        due_at=_due_at_for(urgency, at=now),
        reconsideration_of=reconsideration_of,
        requested_at=now,
    )
    ledger_append(
        event=Event.REQUEST_CREATED,
        actor=actor,
        obj=request,
        purpose=purpose,
        details={
            "kind": kind,
            "urgency": urgency,
            "receiving_agency": str(receiving_agency.pk),
            "reconsideration_of": str(reconsideration_of.pk) if reconsideration_of else None,
        },
    )
    return request_route(actor=actor, request=request)


@transaction.atomic
def request_route(*, actor: Practitioner, request: InformationRequest) -> InformationRequest:
    """Match the child to a case of the receiving agency and assign the request to whoever holds
    it, else the agency's DSL (``selectors.request_routing`` is the rule)."""
    if not request.is_open:
        raise RequestTransitionInvalid("Only an open request can be routed")
    dob = request.child_date_of_birth
    case, assignee = request_routing(
        receiving_agency=request.receiving_agency,
        nhs_number=request.child_nhs_number,
        given_name=request.child_given_name,
        family_name=request.child_family_name,
        date_of_birth=dt.date.fromisoformat(dob) if dob else None,
        postcode=request.child_postcode,
    )
    request.matched_case = case
    request.assigned_to = assignee
    if assignee is not None and request.status == RequestStatus.RECEIVED:
        _move_request(request, RequestStatus.ASSIGNED)
    request.touch()
    request.save(update_fields=["matched_case", "assigned_to", "status", "updated_at"])
    ledger_append(
        event=Event.REQUEST_ROUTED,
        actor=actor,
        subject=_request_subject(request),
        obj=request,
        purpose=request.purpose,
        details={
            "matched": case is not None,
            "assigned_to": str(assignee.pk) if assignee is not None else None,
        },
    )
    return request


@transaction.atomic
def request_refuse(
    *,
    actor: Practitioner,
    request: InformationRequest,
    message: str,
    reasons: str = "",
    decision: SharingDecision | None = None,
) -> InformationRequest:
    """Refuse a request: through a recorded decision not to share, or with reasons. The requester
    is told ``message`` (as much as is safe to say)."""
    _lock_request(request)
    if request.receiving_agency_id != actor.agency_id:
        raise RequestInvalid("Only the agency asked can refuse a request", field="request")
    if not message.strip():
        raise RequestInvalid("Enter what the requester will be told", field="message")
    if decision is None and not reasons.strip():
        raise RequestInvalid(
            "Enter the reasons, or refuse through a recorded decision", field="reasons"
        )
    if decision is not None:
        if decision.outcome != DecisionOutcome.DO_NOT_SHARE:
            raise RequestInvalid("That decision was not a decision not to share", field="decision")
        if decision.agency_id != actor.agency_id or (
            request.matched_case_id is not None and decision.case_id != request.matched_case_id
        ):
            raise RequestInvalid("That decision is about another case", field="decision")
        if (
            decision.recipient_agency_id != request.requesting_agency_id
            or decision.purpose != request.purpose
        ):
            raise RequestInvalid(
                "That decision was about sharing with another agency or for another purpose",
                field="decision",
            )
    _move_request(request, RequestStatus.REFUSED)
    request.refusal_message = message.strip()
    request.refusal_reasons = reasons.strip()
    request.answering_decision = decision
    request.closed_at = clock.now()
    request.save()
    ledger_append(
        event=Event.REQUEST_REFUSED,
        actor=actor,
        subject=_request_subject(request),
        obj=request,
        purpose=request.purpose,
        details={"decision": str(decision.pk) if decision is not None else None},
    )
    return request


@transaction.atomic
def request_reconsider(
    *,
    actor: Practitioner,
    request: InformationRequest,
    new_information: str,
    justification: str = "",
    urgency: str = "",
) -> InformationRequest:
    """Come back on a refused request with new information: a new request linked to the old."""
    if request.requesting_agency_id != actor.agency_id:
        raise RequestInvalid("Only the agency that asked can ask again", field="request")
    if request.status != RequestStatus.REFUSED:
        raise RequestTransitionInvalid("Only a refused request can be reconsidered")
    if not new_information.strip():
        raise RequestInvalid("Enter what is new since the refusal", field="new_information")
    dob = request.child_date_of_birth
    again = request_create(
        actor=actor,
        receiving_agency=request.receiving_agency,
        kind=request.kind,
        purpose=request.purpose,
        urgency=urgency or request.urgency,
        information_sought=request.information_sought,
        justification=justification.strip() or request.justification,
        nhs_number=request.child_nhs_number,
        given_name=request.child_given_name,
        family_name=request.child_family_name,
        date_of_birth=dt.date.fromisoformat(dob) if dob else None,
        postcode=request.child_postcode,
        reconsideration_of=request,
        new_information=new_information,
    )
    ledger_append(
        event=Event.REQUEST_RECONSIDERED,
        actor=actor,
        subject=_request_subject(again),
        obj=again,
        purpose=again.purpose,
        details={"reconsideration_of": str(request.pk)},
    )
    return again


@transaction.atomic
def request_withdraw(*, actor: Practitioner, request: InformationRequest) -> InformationRequest:
    """The requesting agency no longer needs an answer."""
    _lock_request(request)
    if request.requesting_agency_id != actor.agency_id:
        raise RequestInvalid("Only the agency that asked can withdraw a request", field="request")
    _move_request(request, RequestStatus.WITHDRAWN)
    request.closed_at = clock.now()
    request.save(update_fields=["status", "closed_at", "updated_at"])
    ledger_append(
        event=Event.REQUEST_WITHDRAWN,
        actor=actor,
        subject=_request_subject(request),
        obj=request,
        purpose=request.purpose,
    )
    return request


# --- Disclosures ---------------------------------------------------------------------------------


@transaction.atomic
def disclosure_issue(
    *,
    actor: Practitioner,
    decision: SharingDecision,
    recipient: object,
    items: Sequence[ItemSelection],
    addresses: Sequence[AddressSelection] = (),
    expires_at: dt.datetime | None = None,
    urgent_reason: str = "",
    request: InformationRequest | None = None,
) -> Disclosure:
    """Share the selected items and addresses of the decision's case with a named practitioner.
    Every rule is in ``assembly.disclosure_assemble``; answering a request closes it."""
    if request is not None:
        _lock_request(request)
    assembled = disclosure_assemble(
        actor=actor,
        decision=decision,
        recipient=recipient,
        items=items,
        addresses=addresses,
        expires_at=expires_at,
        urgent_reason=urgent_reason,
        request=request,
    )
    disclosure = assembled.disclosure
    disclosure.save()
    DisclosedItem.objects.bulk_create(assembled.items)
    DisclosedAddress.objects.bulk_create(assembled.addresses)
    ledger_append(
        event=Event.DISCLOSURE_ISSUED,
        actor=actor,
        subject=_disclosure_subject(disclosure),
        obj=disclosure,
        purpose=disclosure.purpose,
        details={
            "decision": str(decision.pk),
            "recipient": str(disclosure.recipient_id),
            "recipient_agency": str(disclosure.recipient_agency_id),
            "agreement": str(disclosure.agreement_id) if disclosure.agreement_id else None,
            "urgent_path": disclosure.outside_agreement_basis == OutsideAgreement.URGENT,
            "outside_agreement": disclosure.outside_agreement_basis or None,
            "items": [str(i.item_id) for i in assembled.items],
            "addresses": len(assembled.addresses),
            "protected_addresses": sum(1 for a in assembled.addresses if a.is_protected),
            "third_party_items": sum(1 for i in assembled.items if i.third_party_protected),
            "redactions": sum(i.redaction_count for i in assembled.items),
            "request": str(request.pk) if request is not None else None,
            "expires_at": disclosure.expires_at.isoformat(),
        },
    )
    _inform_task_for(actor=actor, disclosure=disclosure)
    if request is not None:
        _move_request(request, RequestStatus.ANSWERED)
        request.answering_decision = decision
        request.matched_case = disclosure.case
        request.closed_at = clock.now()
        request.save(
            update_fields=[
                "status",
                "answering_decision",
                "matched_case",
                "closed_at",
                "updated_at",
            ]
        )
        ledger_append(
            event=Event.REQUEST_ANSWERED,
            actor=actor,
            subject=_disclosure_subject(disclosure),
            obj=request,
            purpose=request.purpose,
            details={"disclosure": str(disclosure.pk)},
        )
    return disclosure


def _lock_disclosure(disclosure: Disclosure) -> None:
    """Lock the disclosure's row and reload it, so that a copy loaded earlier (another tab) is
    never moved on from a state it has since left."""
    list(Disclosure.objects.select_for_update().filter(pk=disclosure.pk).values("pk"))
    disclosure.refresh_from_db()


def _recipient_step(*, actor: Practitioner, disclosure: Disclosure, to: DisclosureStatus) -> None:
    _lock_disclosure(disclosure)
    if disclosure.recipient_id != actor.pk:
        raise DisclosureTransitionInvalid("Only the named recipient can do this")
    if disclosure.status != DisclosureStatus.REVOKED and disclosure.is_expired:
        raise DisclosureTransitionInvalid("This disclosure has expired")
    if disclosure.is_recalled:
        raise DisclosureTransitionInvalid(
            "This disclosure was recalled: the consent it was shared on was withdrawn"
        )
    _move_disclosure(disclosure, to)


def _sharer_step(*, actor: Practitioner, disclosure: Disclosure, to: DisclosureStatus) -> None:
    _lock_disclosure(disclosure)
    if disclosure.sharing_agency_id != actor.agency_id:
        raise DisclosureTransitionInvalid("Only the sharing agency can do this")
    _move_disclosure(disclosure, to)


def _record(
    *, event: Event, actor: Practitioner, disclosure: Disclosure, fields: list[str]
) -> Disclosure:
    disclosure.save(update_fields=[*fields, "status", "updated_at"])
    ledger_append(
        event=event,
        actor=actor,
        subject=_disclosure_subject(disclosure),
        obj=disclosure,
        purpose=disclosure.purpose,
        details={"status": str(disclosure.status)},
    )
    return disclosure


@transaction.atomic
def disclosure_acknowledge(*, actor: Practitioner, disclosure: Disclosure) -> Disclosure:
    """The named recipient confirms receipt."""
    _recipient_step(actor=actor, disclosure=disclosure, to=DisclosureStatus.ACKNOWLEDGED)
    disclosure.acknowledged_at = clock.now()
    return _record(
        event=Event.DISCLOSURE_ACKNOWLEDGED,
        actor=actor,
        disclosure=disclosure,
        fields=["acknowledged_at"],
    )


@transaction.atomic
def disclosure_accept_undertaking(*, actor: Practitioner, disclosure: Disclosure) -> Disclosure:
    """The recipient undertakes to use it only for the stated purpose, not to share it onwards
    without a decision of their own, and to delete it at expiry."""
    _recipient_step(actor=actor, disclosure=disclosure, to=DisclosureStatus.UNDERTAKING_ACCEPTED)
    disclosure.undertaking_accepted_at = clock.now()
    return _record(
        event=Event.DISCLOSURE_UNDERTAKING_ACCEPTED,
        actor=actor,
        disclosure=disclosure,
        fields=["undertaking_accepted_at"],
    )


@transaction.atomic
def disclosure_read_back(
    *, actor: Practitioner, disclosure: Disclosure, understanding: str
) -> Disclosure:
    """The recipient says, in their own words, what they understood."""
    if not understanding.strip():
        raise DisclosureInvalid("Say what you understood, in your own words", field="understanding")
    _recipient_step(actor=actor, disclosure=disclosure, to=DisclosureStatus.READ_BACK)
    disclosure.read_back = understanding.strip()
    disclosure.read_back_at = clock.now()
    disclosure.read_back_response = ""
    disclosure.read_back_responded_at = None
    return _record(
        event=Event.DISCLOSURE_READ_BACK,
        actor=actor,
        disclosure=disclosure,
        fields=["read_back", "read_back_at", "read_back_response", "read_back_responded_at"],
    )


@transaction.atomic
def disclosure_read_back_confirm(
    *, actor: Practitioner, disclosure: Disclosure, comment: str = ""
) -> Disclosure:
    """The sharer confirms the recipient understood what was meant."""
    _sharer_step(actor=actor, disclosure=disclosure, to=DisclosureStatus.READ_BACK_CONFIRMED)
    disclosure.read_back_response = comment.strip()
    disclosure.read_back_responded_at = clock.now()
    return _record(
        event=Event.DISCLOSURE_READ_BACK_CONFIRMED,
        actor=actor,
        disclosure=disclosure,
        fields=["read_back_response", "read_back_responded_at"],
    )


@transaction.atomic
def disclosure_read_back_correct(
    *, actor: Practitioner, disclosure: Disclosure, correction: str
) -> Disclosure:
    """The sharer corrects what the recipient understood (over- or under-emphasis); the
    recipient then says again what they understood."""
    if not correction.strip():
        raise DisclosureInvalid("Enter the correction", field="correction")
    _sharer_step(actor=actor, disclosure=disclosure, to=DisclosureStatus.READ_BACK_CORRECTED)
    disclosure.read_back_response = correction.strip()
    disclosure.read_back_responded_at = clock.now()
    return _record(
        event=Event.DISCLOSURE_READ_BACK_CORRECTED,
        actor=actor,
        disclosure=disclosure,
        fields=["read_back_response", "read_back_responded_at"],
    )


@transaction.atomic
def disclosure_revoke(*, actor: Practitioner, disclosure: Disclosure, reason: str) -> Disclosure:
    """The sharing agency withdraws the disclosure: its content is no longer readable by the
    recipient; the record stays."""
    if not reason.strip():
        raise DisclosureInvalid("Enter why you are revoking it", field="reason")
    _sharer_step(actor=actor, disclosure=disclosure, to=DisclosureStatus.REVOKED)
    disclosure.revoked_at = clock.now()
    disclosure.revoked_by = actor
    disclosure.revocation_reason = reason.strip()
    return _record(
        event=Event.DISCLOSURE_REVOKED,
        actor=actor,
        disclosure=disclosure,
        fields=["revoked_at", "revoked_by", "revocation_reason"],
    )


# --- After sharing -------------------------------------------------------------------------------

# How long the sharer has to tell the individual (the guidance says "as soon as is safe").
INFORM_WITHIN_WORKING_DAYS = 5


def _inform_task_for(*, actor: Practitioner, disclosure: Disclosure) -> None:
    """The first disclosure under a decision that says the individual is to be told creates the
    task of telling them, for the sharer, due in INFORM_WITHIN_WORKING_DAYS working days."""
    decision = disclosure.decision
    if not decision.individual_to_be_told:
        return
    if InformTask.objects.filter(decision=decision).exists():
        return
    task = InformTask.objects.create(
        decision=decision,
        case=disclosure.case,
        agency=disclosure.sharing_agency,
        assigned_to=actor,
        due_at=add_working_days(clock.now(), INFORM_WITHIN_WORKING_DAYS),
    )
    ledger_append(
        event=Event.INFORM_TASK_CREATED,
        actor=actor,
        subject=_disclosure_subject(disclosure),
        obj=task,
        purpose=disclosure.purpose,
        details={"decision": str(decision.pk), "due_at": task.due_at.isoformat()},
    )


@transaction.atomic
def inform_task_complete(*, actor: Practitioner, task: InformTask, how_told: str) -> InformTask:
    """Record that (and how) the individual was told."""
    if task.agency_id != actor.agency_id:
        raise AfterSharingInvalid("Only the sharing agency can record this", field="task")
    if task.is_done:
        raise AfterSharingInvalid("This has already been recorded", field="task")
    if not how_told.strip():
        raise AfterSharingInvalid("Say how and when they were told", field="how_told")
    task.done_at = clock.now()
    task.done_by = actor
    task.how_told = how_told.strip()
    task.touch()
    task.save(update_fields=["done_at", "done_by", "how_told", "updated_at"])
    ledger_append(
        event=Event.INFORM_TASK_DONE,
        actor=actor,
        subject=Subject(person_id=task.case.subject_id, case_id=task.case_id),
        obj=task,
        details={"overdue": task.done_at > task.due_at},
    )
    return task


@transaction.atomic
def item_correction_issue(
    *, actor: Practitioner, item: InformationItem, kind: str, explanation: str
) -> ItemCorrection:
    """Correct or retract a shared item: a notice goes to the recipient of every disclosure of
    the item that has neither been revoked nor expired (they can no longer see those, so could
    never acknowledge), each tracked until acknowledged."""
    if item.case.agency_id != actor.agency_id:
        raise AfterSharingInvalid("Only the agency holding the item can correct it", field="item")
    if kind not in CorrectionKind.values:
        raise AfterSharingInvalid("Select a correction or a retraction", field="kind")
    if not explanation.strip():
        raise AfterSharingInvalid(
            "Enter the corrected information, or why it is retracted", field="explanation"
        )
    correction = ItemCorrection.objects.create(
        item=item, kind=kind, explanation=explanation.strip(), issued_by=actor
    )
    disclosures = (
        Disclosure.objects.filter(items__item=item)
        .exclude(status=DisclosureStatus.REVOKED)
        .filter(expires_at__gt=clock.now())
        .distinct()
    )
    notices = CorrectionNotice.objects.bulk_create(
        [CorrectionNotice(correction=correction, disclosure=d) for d in disclosures]
    )
    ledger_append(
        event=Event.ITEM_CORRECTION_ISSUED,
        actor=actor,
        subject=Subject(person_id=item.case.subject_id, case_id=item.case_id),
        obj=correction,
        details={
            "item": str(item.pk),
            "kind": kind,
            "disclosures": sorted(str(n.disclosure_id) for n in notices),
        },
    )
    return correction


@transaction.atomic
def correction_notice_acknowledge(
    *, actor: Practitioner, notice: CorrectionNotice
) -> CorrectionNotice:
    """The recipient acknowledges a correction or retraction of something shared with them."""
    disclosure = notice.disclosure
    if disclosure.recipient_id != actor.pk:
        raise AfterSharingInvalid("Only the recipient can acknowledge this", field="notice")
    if notice.acknowledged_at is not None:
        raise AfterSharingInvalid("Already acknowledged", field="notice")
    notice.acknowledged_at = clock.now()
    notice.touch()
    notice.save(update_fields=["acknowledged_at", "updated_at"])
    ledger_append(
        event=Event.CORRECTION_ACKNOWLEDGED,
        actor=actor,
        subject=_disclosure_subject(disclosure),
        obj=notice,
        purpose=disclosure.purpose,
        details={"correction": str(notice.correction_id), "disclosure": str(disclosure.pk)},
    )
    return notice


def _complete_recall(*, actor: Practitioner, recall: ConsentRecall) -> None:
    recall.status = RecallStatus.COMPLETE
    recall.completed_at = clock.now()
    recall.touch()
    recall.save(update_fields=["status", "completed_at", "updated_at"])
    ledger_append(
        event=Event.RECALL_COMPLETED,
        actor=actor,
        subject=Subject(person_id=recall.consent.person_id),
        obj=recall,
        details={"consent": str(recall.consent_id)},
    )


def _recall_disclosure(disclosure: Disclosure) -> None:
    """The recipient's access ends now; the record of what was shared stays."""
    _lock_disclosure(disclosure)
    if disclosure.recalled_at is None:
        disclosure.recalled_at = clock.now()
        disclosure.touch()
        disclosure.save(update_fields=["recalled_at", "updated_at"])


@transaction.atomic
def consent_recalls_send(*, actor: Practitioner, consent: Consent) -> list[RecallRequest]:
    """Turn the open recalls of a withdrawn consent into requests to every recipient of a
    disclosure made under the decisions recalled, and recall each such disclosure: from this
    moment its recipient can no longer read it (WT 2018 ch1: information shared on consent that
    is withdrawn "would have to be deleted"). A recall with nothing disclosed is complete."""
    if consent.agency_id != actor.agency_id:
        raise AfterSharingInvalid("Only the agency holding the consent can recall", field="consent")
    recalls = ConsentRecall.objects.filter(
        consent=consent,
        status=RecallStatus.OPEN,
        shared_object_type=SharingDecision._meta.label_lower,
    ).select_related("consent")
    sent: list[RecallRequest] = []
    for recall in recalls:
        try:
            decision_id = uuid.UUID(recall.shared_object_id)
        except ValueError:
            continue  # not a decision we made: nothing of ours to recall
        disclosures = Disclosure.objects.filter(decision_id=decision_id).exclude(
            recall_requests__recall=recall
        )
        for disclosure in disclosures.select_related("case"):
            _recall_disclosure(disclosure)
            request = RecallRequest.objects.create(
                recall=recall, disclosure=disclosure, requested_by=actor
            )
            sent.append(request)
            ledger_append(
                event=Event.RECALL_REQUESTED,
                actor=actor,
                subject=_disclosure_subject(disclosure),
                obj=request,
                purpose=disclosure.purpose,
                details={"recall": str(recall.pk), "disclosure": str(disclosure.pk)},
            )
        if not recall.requests.exists():
            _complete_recall(actor=actor, recall=recall)
    return sent


@transaction.atomic
def recall_request_confirm_deletion(
    *, actor: Practitioner, recall_request: RecallRequest
) -> RecallRequest:
    """The recipient confirms they deleted what was recalled; the recall is complete once every
    recipient has."""
    disclosure = recall_request.disclosure
    if disclosure.recipient_id != actor.pk:
        raise AfterSharingInvalid("Only the recipient can confirm deletion", field="recall")
    if not recall_request.is_outstanding:
        raise AfterSharingInvalid("Deletion was already confirmed", field="recall")
    recall_request.deletion_confirmed_at = clock.now()
    recall_request.touch()
    recall_request.save(update_fields=["deletion_confirmed_at", "updated_at"])
    ledger_append(
        event=Event.RECALL_DELETION_CONFIRMED,
        actor=actor,
        subject=_disclosure_subject(disclosure),
        obj=recall_request,
        purpose=disclosure.purpose,
        details={"recall": str(recall_request.recall_id)},
    )
    recall = recall_request.recall
    outstanding = recall.requests.filter(deletion_confirmed_at__isnull=True).exists()
    if not outstanding and recall.status == RecallStatus.OPEN:
        _complete_recall(actor=actor, recall=recall)
    return recall_request


# --- Received items in the recipient's own chronology --------------------------------------------


@transaction.atomic
def received_items_add_to_case(
    *,
    actor: Practitioner,
    disclosure: Disclosure,
    case: Case,
    item_numbers: Sequence[int] = (),
    unlinked_confirmed: bool = False,
) -> list[ReceivedItemLink]:
    """The named recipient adds received items (by their number in the disclosure, 1 for the
    first; all of them when none is named) to one of their own agency's open cases, for its
    chronology with the source shown. Linked, never copied: nothing is written into the sharing
    agency's records, and the content stops showing when the disclosure expires or is revoked.
    Whether the actor may edit ``case`` is the caller's check (``access_case`` with CASE_EDIT).
    ``unlinked_confirmed``: the recipient was warned that identity linkage has not linked the
    case's child to the disclosure's, and confirmed it is the same child (recorded)."""
    if disclosure.recipient_id != actor.pk:
        raise AfterSharingInvalid(
            "Only the named recipient can add what they received to a case", field="disclosure"
        )
    if not disclosure.content_available:
        raise DisclosureTransitionInvalid("This disclosure has expired or been revoked")
    if case.agency_id != actor.agency_id:
        raise AfterSharingInvalid("Choose a case of your own agency", field="case")
    if case.status == CaseStatus.CLOSED:
        raise AfterSharingInvalid("That case is closed", field="case")
    if not same_child(case.subject, disclosure.case.subject):
        raise AfterSharingInvalid(
            "That case is about a different child from the one this information is about",
            field="case",
        )
    received = {item.position + 1: item for item in disclosure.items.all()}
    wanted = sorted(set(item_numbers)) if item_numbers else sorted(received)
    unknown = [number for number in wanted if number not in received]
    if unknown:
        raise AfterSharingInvalid(f"This disclosure has no item {unknown[0]}", field="item_numbers")
    already = set(
        ReceivedItemLink.objects.filter(
            case=case, disclosed_item__in=[received[n] for n in wanted]
        ).values_list("disclosed_item_id", flat=True)
    )
    fresh = [received[n] for n in wanted if received[n].pk not in already]
    if not fresh:
        raise AfterSharingInvalid(
            "These items are already in that case's chronology", field="item_numbers"
        )
    links = ReceivedItemLink.objects.bulk_create(
        [
            ReceivedItemLink(case=case, disclosed_item=item, disclosure=disclosure, added_by=actor)
            for item in fresh
        ]
    )
    ledger_append(
        event=Event.RECEIVED_ITEMS_ADDED_TO_CASE,
        actor=actor,
        subject=Subject(person_id=case.subject_id, case_id=case.pk),
        obj=case,
        purpose=disclosure.purpose,
        details={
            "disclosure": str(disclosure.pk),
            "sharing_agency": str(disclosure.sharing_agency_id),
            "items": [item.position + 1 for item in fresh],
            "unlinked_confirmed": unlinked_confirmed,
        },
    )
    return links
