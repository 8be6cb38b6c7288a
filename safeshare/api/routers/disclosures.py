"""Information requests and disclosures: ask, answer or refuse, reconsider; share with a named
practitioner (preview first), and the recipient's and sharer's steps after; the list views."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from safeshare.access.capabilities import Capability
from safeshare.access.decorators import declares
from safeshare.access.fetch import (
    access_address,
    access_agency,
    access_case,
    access_consent,
    access_correction_notice,
    access_decision,
    access_disclosure,
    access_disclosure_content,
    access_disclosure_pdf,
    access_inform_task,
    access_item,
    access_item_correction,
    access_recall_request,
    access_recipient,
    access_request,
    record_case_list_read,
    record_chronology_received_read,
    record_disclosure_list_read,
    record_disclosure_preview,
    record_request_list_read,
)
from safeshare.access.scopes import (
    correction_notices_visible_to,
    disclosures_visible_to,
    inform_tasks_visible_to,
    recall_requests_visible_to,
    requests_visible_to,
)
from safeshare.agencies.models import Practitioner
from safeshare.api.auth import authorised, referenced
from safeshare.api.errors import ERROR_RESPONSES, responses
from safeshare.api.schemas.disclosures import (
    ChronologyAddIn,
    ChronologyEntryOut,
    ConfirmIn,
    CorrectIn,
    CorrectionNoticeOut,
    DisclosureIn,
    DisclosureOut,
    DisclosureSummaryOut,
    InformTaskCompleteIn,
    InformTaskOut,
    ItemCorrectionIn,
    ItemCorrectionOut,
    ReadBackIn,
    RecallRequestOut,
    ReceivedItemLinkOut,
    ReconsiderationIn,
    RefusalIn,
    RenderedOut,
    RequestIn,
    RequestOut,
    RequestSummaryOut,
    RevokeIn,
)
from safeshare.core import clock
from safeshare.core.vocabulary import InformationCategory
from safeshare.disclosures import services
from safeshare.disclosures.assembly import AddressSelection, ItemSelection
from safeshare.disclosures.chronology import (
    ChronologyEntry,
    case_chronology,
    chronology_filtered,
    chronology_filters_described,
    chronology_print_view,
)
from safeshare.disclosures.models import (
    CorrectionNotice,
    Disclosure,
    InformationRequest,
    InformTask,
    ItemCorrection,
    RecallRequest,
)
from safeshare.disclosures.pdf import chronology_pdf, disclosure_pdf
from safeshare.disclosures.redaction import Redaction
from safeshare.disclosures.render import render_disclosure
from safeshare.disclosures.selectors import (
    correction_notices_awaiting,
    disclosure_content_view,
    disclosure_preview,
    disclosures_awaiting_acknowledgement,
    disclosures_awaiting_read_back_confirmation,
    disclosures_outside_agreement,
    disclosures_shared_by,
    disclosures_shared_with,
    inform_tasks_due,
    recall_requests_awaiting_deletion,
    recalls_outstanding,
    requests_inbox,
    requests_sent,
)

router = Router(tags=["requests and disclosures"])


# --- Requests ------------------------------------------------------------------------------------


@router.post("/requests", response=responses(201, RequestOut), summary="Send a request")
@declares(Capability.REQUEST_CREATE)
def request_create_post(request: HttpRequest, payload: RequestIn) -> Status[InformationRequest]:
    """Ask another agency for information about a child, or share proactively, or refer
    (REQUEST_CREATE). Routed at once to whoever holds the child's case there, else their DSL.
    422 naming the field when the child cannot be identified or a text is missing."""
    actor = authorised(request, Capability.REQUEST_CREATE)
    with transaction.atomic():
        agency_id = payload.receiving_agency_id
        receiving = referenced("receiving_agency_id", lambda: access_agency(actor, agency_id))
        made = services.request_create(
            actor=actor,
            receiving_agency=receiving,
            kind=payload.kind,
            purpose=payload.purpose,
            urgency=payload.urgency,
            information_sought=payload.information_sought,
            justification=payload.justification,
            nhs_number=payload.nhs_number,
            given_name=payload.given_name,
            family_name=payload.family_name,
            date_of_birth=payload.date_of_birth,
            postcode=payload.postcode,
        )
        return Status(201, made)


def _listed_requests(actor: Practitioner, requests: Any) -> list[InformationRequest]:
    shown = list(requests)
    record_request_list_read(actor=actor, requests=shown)
    return shown


@router.get(
    "/requests/inbox", response=responses(200, list[RequestSummaryOut]), summary="Requests inbox"
)
@declares(Capability.REQUEST_VIEW)
def requests_inbox_get(request: HttpRequest) -> list[InformationRequest]:
    """Open requests to the caller's agency that the caller may see, soonest due first
    (REQUEST_VIEW; each shown request is a recorded read)."""
    actor = authorised(request, Capability.REQUEST_VIEW)
    return _listed_requests(
        actor, requests_inbox(requests=requests_visible_to(actor), agency=actor.agency)
    )


@router.get(
    "/requests/sent", response=responses(200, list[RequestSummaryOut]), summary="Requests sent"
)
@declares(Capability.REQUEST_VIEW)
def requests_sent_get(request: HttpRequest) -> list[InformationRequest]:
    """Requests made by the caller's agency that the caller may see, newest first."""
    actor = authorised(request, Capability.REQUEST_VIEW)
    return _listed_requests(
        actor, requests_sent(requests=requests_visible_to(actor), agency=actor.agency)
    )


@router.get("/requests/{request_id}", response=responses(200, RequestOut), summary="A request")
@declares(Capability.REQUEST_VIEW)
def request_get(request: HttpRequest, request_id: uuid.UUID) -> InformationRequest:
    """One request (REQUEST_VIEW; 404 if missing or not visible; the read is recorded)."""
    actor = authorised(request, Capability.REQUEST_VIEW)
    return access_request(actor, request_id)


@router.post(
    "/requests/{request_id}/refusal", response=responses(200, RequestOut), summary="Refuse"
)
@declares(Capability.DISCLOSURE_ISSUE)
def request_refusal_post(
    request: HttpRequest, request_id: uuid.UUID, payload: RefusalIn
) -> InformationRequest:
    """Refuse a request with a message to the requester, through a recorded decision not to
    share or with reasons (DISCLOSURE_ISSUE; 409 if already closed; 422 naming the field)."""
    actor = authorised(request, Capability.DISCLOSURE_ISSUE)
    with transaction.atomic():
        asked = access_request(actor, request_id, need=Capability.DISCLOSURE_ISSUE)
        decision = None
        if (decision_id := payload.decision_id) is not None:
            decision = referenced("decision_id", lambda: access_decision(actor, decision_id))
        return services.request_refuse(
            actor=actor,
            request=asked,
            message=payload.message,
            reasons=payload.reasons,
            decision=decision,
        )


@router.post(
    "/requests/{request_id}/reconsideration",
    response=responses(201, RequestOut),
    summary="Ask again with new information",
)
@declares(Capability.REQUEST_CREATE)
def request_reconsideration_post(
    request: HttpRequest, request_id: uuid.UUID, payload: ReconsiderationIn
) -> Status[InformationRequest]:
    """Come back on a refused request with new information: a new request linked to the old
    (REQUEST_CREATE; 409 unless the request was refused)."""
    actor = authorised(request, Capability.REQUEST_CREATE)
    with transaction.atomic():
        refused = access_request(actor, request_id, need=Capability.REQUEST_CREATE)
        again = services.request_reconsider(
            actor=actor,
            request=refused,
            new_information=payload.new_information,
            justification=payload.justification,
            urgency=payload.urgency or "",
        )
        return Status(201, again)


# --- Issuing -------------------------------------------------------------------------------------


def _issue_arguments(actor: Practitioner, payload: DisclosureIn) -> dict[str, Any]:
    """The records the body names, each fetched through access_* (404 naming the field)."""
    decision_id = payload.decision_id
    recipient_id = payload.recipient_id
    arguments: dict[str, Any] = {
        "actor": actor,
        "decision": referenced(
            "decision_id",
            lambda: access_decision(actor, decision_id, need=Capability.DISCLOSURE_ISSUE),
        ),
        "recipient": referenced("recipient_id", lambda: access_recipient(actor, recipient_id)),
        "expires_at": payload.expires_at,
        "urgent_reason": payload.urgent_reason,
        "request": None,
    }
    items = []
    for chosen in payload.items:
        items.append(
            ItemSelection(
                item=referenced("items", partial(access_item, actor, chosen.item_id)),
                summary_redactions=tuple(
                    Redaction(r.start, r.end, r.reason) for r in chosen.summary_redactions
                ),
                content_redactions=tuple(
                    Redaction(r.start, r.end, r.reason) for r in chosen.content_redactions
                ),
                inclusion_reason=chosen.inclusion_reason,
                source_redactions=tuple(
                    Redaction(r.start, r.end, r.reason) for r in chosen.source_redactions
                ),
                source_withheld_reason=chosen.source_withheld_reason,
            )
        )
    addresses = []
    for address in payload.addresses:
        addresses.append(
            AddressSelection(
                address=referenced("addresses", partial(access_address, actor, address.address_id)),
                inclusion_reason=address.inclusion_reason,
            )
        )
    arguments["items"] = items
    arguments["addresses"] = addresses
    if (request_id := payload.request_id) is not None:
        arguments["request"] = referenced(
            "request_id",
            lambda: access_request(actor, request_id, need=Capability.DISCLOSURE_ISSUE),
        )
    return arguments


@router.post(
    "/disclosures/preview",
    response=responses(200, RenderedOut),
    summary="Preview as recipient",
)
@declares(Capability.DISCLOSURE_ISSUE)
def disclosure_preview_post(request: HttpRequest, payload: DisclosureIn) -> dict[str, str]:
    """Exactly what the recipient would see if this body were sent to ``POST /disclosures``:
    every rule is checked (the same 404/422 answers) and nothing is shared (DISCLOSURE_ISSUE;
    the preview is a recorded read)."""
    actor = authorised(request, Capability.DISCLOSURE_ISSUE)
    with transaction.atomic():
        arguments = _issue_arguments(actor, payload)
        view = disclosure_preview(**arguments)
        decision = arguments["decision"]
        record_disclosure_preview(actor=actor, case=decision.case, purpose=decision.purpose)
        return {"html": render_disclosure(view)}


@router.post("/disclosures", response=responses(201, DisclosureOut), summary="Share")
@declares(Capability.DISCLOSURE_ISSUE)
def disclosure_create_post(request: HttpRequest, payload: DisclosureIn) -> Status[Disclosure]:
    """Share selected items (with redactions) and addresses of the decision's case with a named
    practitioner (DISCLOSURE_ISSUE). Refused with 422 naming the field: a decision that does not
    allow sharing, a recipient not entitled, an item of another case, third-party content
    neither redacted (its source withheld or redacted) nor included with a reason, a protected
    address without a reason, a protected address to an alleged perpetrator."""
    actor = authorised(request, Capability.DISCLOSURE_ISSUE)
    with transaction.atomic():
        return Status(201, services.disclosure_issue(**_issue_arguments(actor, payload)))


# --- Lists ---------------------------------------------------------------------------------------


def _listed(actor: Practitioner, disclosures: Any) -> list[Disclosure]:
    shown = list(disclosures)
    record_disclosure_list_read(actor=actor, disclosures=shown)
    return shown


@router.get(
    "/disclosures/shared-by-us",
    response=responses(200, list[DisclosureSummaryOut]),
    summary="Shared by us",
)
@declares(Capability.DISCLOSURE_VIEW)
def disclosures_shared_by_get(request: HttpRequest) -> list[Disclosure]:
    """Disclosures by the caller's agency that the caller may see, newest first."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    scoped = disclosures_visible_to(actor)
    return _listed(actor, disclosures_shared_by(disclosures=scoped, agency=actor.agency))


@router.get(
    "/disclosures/outside-agreement",
    response=responses(200, list[DisclosureSummaryOut]),
    summary="Shared outside any agreement",
)
@declares(Capability.DISCLOSURE_VIEW)
def disclosures_outside_agreement_get(request: HttpRequest) -> list[Disclosure]:
    """One-off shares on consent and urgent shares that the caller's agency made with no
    agreement covering them (``outside_agreement_basis`` says which), newest first: for
    information governance (who sees every one of the agency's) to review, and to ask for an
    agreement with a recipient that keeps appearing (ICO 10 step guide, step 6)."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    scoped = disclosures_visible_to(actor)
    return _listed(actor, disclosures_outside_agreement(disclosures=scoped, agency=actor.agency))


@router.get(
    "/disclosures/shared-with-me",
    response=responses(200, list[DisclosureSummaryOut]),
    summary="Shared with me",
)
@declares(Capability.DISCLOSURE_VIEW)
def disclosures_shared_with_get(request: HttpRequest) -> list[Disclosure]:
    """Disclosures naming the caller as recipient, newest first (expired and revoked ones stay
    listed, with ``content_available`` false)."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    scoped = disclosures_visible_to(actor)
    return _listed(actor, disclosures_shared_with(disclosures=scoped, recipient=actor))


@router.get(
    "/disclosures/awaiting-acknowledgement",
    response=responses(200, list[DisclosureSummaryOut]),
    summary="Awaiting my acknowledgement",
)
@declares(Capability.DISCLOSURE_VIEW)
def disclosures_awaiting_acknowledgement_get(request: HttpRequest) -> list[Disclosure]:
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    scoped = disclosures_visible_to(actor)
    return _listed(actor, disclosures_awaiting_acknowledgement(disclosures=scoped, recipient=actor))


@router.get(
    "/disclosures/awaiting-read-back-confirmation",
    response=responses(200, list[DisclosureSummaryOut]),
    summary="Awaiting read-back confirmation",
)
@declares(Capability.DISCLOSURE_VIEW)
def disclosures_awaiting_confirmation_get(request: HttpRequest) -> list[Disclosure]:
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    scoped = disclosures_visible_to(actor)
    return _listed(
        actor,
        disclosures_awaiting_read_back_confirmation(disclosures=scoped, agency=actor.agency),
    )


# --- One disclosure ------------------------------------------------------------------------------


@router.get(
    "/disclosures/{disclosure_id}", response=responses(200, DisclosureOut), summary="A disclosure"
)
@declares(Capability.DISCLOSURE_VIEW)
def disclosure_get(request: HttpRequest, disclosure_id: uuid.UUID) -> Disclosure:
    """Who, when, why and the state of a disclosure, without its content (DISCLOSURE_VIEW: the
    recipient and the sharing agency; 404 otherwise; the read is recorded)."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    return access_disclosure(actor, disclosure_id)


@router.get(
    "/disclosures/{disclosure_id}/content",
    response=responses(200, RenderedOut),
    summary="Read what was shared",
)
@declares(Capability.DISCLOSURE_VIEW)
def disclosure_content_get(request: HttpRequest, disclosure_id: uuid.UUID) -> dict[str, str]:
    """What was shared, rendered exactly as the preview was: for the named recipient while it is
    neither expired nor revoked (404 after), and for the sharing agency."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    with transaction.atomic():
        disclosure = access_disclosure_content(actor, disclosure_id)
        return {"html": render_disclosure(disclosure_content_view(disclosure=disclosure))}


@router.post(
    "/disclosures/{disclosure_id}/acknowledgement",
    response=responses(200, DisclosureOut),
    summary="Acknowledge receipt",
)
@declares(Capability.DISCLOSURE_VIEW)
def disclosure_acknowledgement_post(request: HttpRequest, disclosure_id: uuid.UUID) -> Disclosure:
    """The named recipient acknowledges receipt (409 for anyone else, or out of order)."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    with transaction.atomic():
        disclosure = access_disclosure(actor, disclosure_id, need=Capability.DISCLOSURE_VIEW)
        return services.disclosure_acknowledge(actor=actor, disclosure=disclosure)


@router.post(
    "/disclosures/{disclosure_id}/undertaking",
    response=responses(200, DisclosureOut),
    summary="Accept the undertaking",
)
@declares(Capability.DISCLOSURE_VIEW)
def disclosure_undertaking_post(request: HttpRequest, disclosure_id: uuid.UUID) -> Disclosure:
    """The recipient undertakes to use it only for the stated purpose, not to share it onwards
    without a decision of their own, and to delete it at expiry."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    with transaction.atomic():
        disclosure = access_disclosure(actor, disclosure_id, need=Capability.DISCLOSURE_VIEW)
        return services.disclosure_accept_undertaking(actor=actor, disclosure=disclosure)


@router.post(
    "/disclosures/{disclosure_id}/read-back",
    response=responses(200, DisclosureOut),
    summary="Say what I understood",
)
@declares(Capability.DISCLOSURE_VIEW)
def disclosure_read_back_post(
    request: HttpRequest, disclosure_id: uuid.UUID, payload: ReadBackIn
) -> Disclosure:
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    with transaction.atomic():
        disclosure = access_disclosure(actor, disclosure_id, need=Capability.DISCLOSURE_VIEW)
        return services.disclosure_read_back(
            actor=actor, disclosure=disclosure, understanding=payload.understanding
        )


@router.post(
    "/disclosures/{disclosure_id}/read-back/confirmation",
    response=responses(200, DisclosureOut),
    summary="Confirm the recipient's understanding",
)
@declares(Capability.DISCLOSURE_ISSUE)
def disclosure_confirmation_post(
    request: HttpRequest, disclosure_id: uuid.UUID, payload: ConfirmIn
) -> Disclosure:
    actor = authorised(request, Capability.DISCLOSURE_ISSUE)
    with transaction.atomic():
        disclosure = access_disclosure(actor, disclosure_id, need=Capability.DISCLOSURE_ISSUE)
        return services.disclosure_read_back_confirm(
            actor=actor, disclosure=disclosure, comment=payload.comment
        )


@router.post(
    "/disclosures/{disclosure_id}/read-back/correction",
    response=responses(200, DisclosureOut),
    summary="Correct the recipient's understanding",
)
@declares(Capability.DISCLOSURE_ISSUE)
def disclosure_correction_post(
    request: HttpRequest, disclosure_id: uuid.UUID, payload: CorrectIn
) -> Disclosure:
    actor = authorised(request, Capability.DISCLOSURE_ISSUE)
    with transaction.atomic():
        disclosure = access_disclosure(actor, disclosure_id, need=Capability.DISCLOSURE_ISSUE)
        return services.disclosure_read_back_correct(
            actor=actor, disclosure=disclosure, correction=payload.correction
        )


@router.post(
    "/disclosures/{disclosure_id}/revocation",
    response=responses(200, DisclosureOut),
    summary="Revoke",
)
@declares(Capability.DISCLOSURE_ISSUE)
def disclosure_revocation_post(
    request: HttpRequest, disclosure_id: uuid.UUID, payload: RevokeIn
) -> Disclosure:
    """The sharing agency revokes: the recipient can no longer read the content; the record
    and the ledger stay."""
    actor = authorised(request, Capability.DISCLOSURE_ISSUE)
    with transaction.atomic():
        disclosure = access_disclosure(actor, disclosure_id, need=Capability.DISCLOSURE_ISSUE)
        return services.disclosure_revoke(actor=actor, disclosure=disclosure, reason=payload.reason)


# --- PDF export ----------------------------------------------------------------------------------

_PDF_RESPONSE: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The disclosure as a PDF, watermarked with recipient, purpose, expiry",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/disclosures/{disclosure_id}/pdf",
    response=ERROR_RESPONSES,
    summary="Download as a PDF",
    openapi_extra=_PDF_RESPONSE,
)
@declares(Capability.DISCLOSURE_VIEW)
def disclosure_pdf_get(request: HttpRequest, disclosure_id: uuid.UUID) -> HttpResponse:
    """What was shared as a PDF, rendered by the same renderer as the preview and watermarked on
    every page with the recipient, the purpose and the expiry: for the named recipient while the
    disclosure is neither expired nor revoked (404 otherwise, and for anyone else). The export
    is a recorded read."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    with transaction.atomic():
        disclosure = access_disclosure_pdf(actor, disclosure_id)
        pdf = disclosure_pdf(disclosure_content_view(disclosure=disclosure))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="disclosure-{disclosure.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- After sharing: telling the individual -------------------------------------------------------


@router.get(
    "/inform-tasks/due",
    response=responses(200, list[InformTaskOut]),
    summary="Individuals still to be told",
)
@declares(Capability.DISCLOSURE_ISSUE)
def inform_tasks_due_get(request: HttpRequest) -> list[InformTask]:
    """Tasks of the caller's agency to tell an individual that their information was shared,
    not done yet, soonest due first, on cases the caller may see (DISCLOSURE_ISSUE; each shown
    task is a recorded read of its case)."""
    actor = authorised(request, Capability.DISCLOSURE_ISSUE)
    with transaction.atomic():
        tasks = list(inform_tasks_due(tasks=inform_tasks_visible_to(actor), agency=actor.agency))
        record_case_list_read(actor=actor, cases=[task.case for task in tasks])
        return tasks


@router.post(
    "/inform-tasks/{task_id}/completion",
    response=responses(200, InformTaskOut),
    summary="Record that the individual was told",
)
@declares(Capability.DISCLOSURE_ISSUE)
def inform_task_completion_post(
    request: HttpRequest, task_id: uuid.UUID, payload: InformTaskCompleteIn
) -> InformTask:
    """Record how and when the individual was told (DISCLOSURE_ISSUE, the sharing agency; 404
    for a task the caller may not see; 422 when already recorded or ``how_told`` is empty)."""
    actor = authorised(request, Capability.DISCLOSURE_ISSUE)
    with transaction.atomic():
        task = access_inform_task(actor, task_id)
        return services.inform_task_complete(actor=actor, task=task, how_told=payload.how_told)


# --- After sharing: corrections and retractions --------------------------------------------------


@router.post(
    "/items/{item_id}/corrections",
    response=responses(201, ItemCorrectionOut),
    summary="Correct or retract a shared item",
)
@declares(Capability.DISCLOSURE_ISSUE)
def item_correction_post(
    request: HttpRequest, item_id: uuid.UUID, payload: ItemCorrectionIn
) -> Status[ItemCorrection]:
    """Correct or retract an item of the caller's agency: a notice goes to the recipient of
    every disclosure of it not revoked, each tracked until acknowledged (DISCLOSURE_ISSUE, and
    the caller may edit the item: 404 otherwise; 422 naming the field)."""
    actor = authorised(request, Capability.DISCLOSURE_ISSUE)
    with transaction.atomic():
        item = access_item(actor, item_id, need=Capability.ITEM_EDIT)
        correction = services.item_correction_issue(
            actor=actor, item=item, kind=payload.kind, explanation=payload.explanation
        )
        return Status(201, correction)


@router.get(
    "/item-corrections/{correction_id}",
    response=responses(200, ItemCorrectionOut),
    summary="A correction and its acknowledgements",
)
@declares(Capability.DISCLOSURE_ISSUE)
def item_correction_get(request: HttpRequest, correction_id: uuid.UUID) -> ItemCorrection:
    """A correction or retraction issued by the caller's agency, with each recipient's
    acknowledgement (DISCLOSURE_ISSUE, cases the caller may see; 404 otherwise)."""
    actor = authorised(request, Capability.DISCLOSURE_ISSUE)
    return access_item_correction(actor, correction_id)


@router.get(
    "/correction-notices/awaiting-acknowledgement",
    response=responses(200, list[CorrectionNoticeOut]),
    summary="Corrections awaiting my acknowledgement",
)
@declares(Capability.DISCLOSURE_VIEW)
def correction_notices_awaiting_get(request: HttpRequest) -> list[CorrectionNotice]:
    """Corrections and retractions of what was shared with the caller, not yet acknowledged,
    while the disclosure may still be read (DISCLOSURE_VIEW; each is a recorded read)."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    with transaction.atomic():
        notices = list(
            correction_notices_awaiting(
                notices=correction_notices_visible_to(actor), recipient=actor
            )
        )
        record_disclosure_list_read(actor=actor, disclosures=[n.disclosure for n in notices])
        return notices


@router.post(
    "/correction-notices/{notice_id}/acknowledgement",
    response=responses(200, CorrectionNoticeOut),
    summary="Acknowledge a correction",
)
@declares(Capability.DISCLOSURE_VIEW)
def correction_notice_acknowledgement_post(
    request: HttpRequest, notice_id: uuid.UUID
) -> CorrectionNotice:
    """The recipient acknowledges a correction or retraction (DISCLOSURE_VIEW; 404 for anyone
    who may not see it or once the disclosure expired or was revoked; 422 for the sharing
    agency or when already acknowledged)."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    with transaction.atomic():
        notice = access_correction_notice(actor, notice_id)
        return services.correction_notice_acknowledge(actor=actor, notice=notice)


# --- After sharing: recalls on withdrawn consent -------------------------------------------------


@router.post(
    "/consents/{consent_id}/recalls",
    response=responses(201, list[RecallRequestOut]),
    summary="Send recall requests for a withdrawn consent",
)
@declares(Capability.DISCLOSURE_ISSUE)
def consent_recalls_post(request: HttpRequest, consent_id: uuid.UUID) -> Status[list[Any]]:
    """Turn the open recalls of a withdrawn consent into a request to every recipient of a
    disclosure made on it (DISCLOSURE_ISSUE, and the caller may record consents for the person:
    404 otherwise; 422 for another agency's consent). A recall with nothing disclosed is
    complete at once; the body lists the requests sent now."""
    actor = authorised(request, Capability.DISCLOSURE_ISSUE)
    with transaction.atomic():
        consent = access_consent(actor, consent_id, need=Capability.CONSENT_RECORD)
        sent = services.consent_recalls_send(actor=actor, consent=consent)
        return Status(201, sent)


@router.get(
    "/recalls/outstanding",
    response=responses(200, list[RecallRequestOut]),
    summary="Recalls outstanding",
)
@declares(Capability.DISCLOSURE_ISSUE)
def recalls_outstanding_get(request: HttpRequest) -> list[RecallRequest]:
    """Recall requests sent by the caller's agency whose recipient has not confirmed deletion
    (DISCLOSURE_ISSUE; each is a recorded read of its disclosure)."""
    actor = authorised(request, Capability.DISCLOSURE_ISSUE)
    with transaction.atomic():
        shown = list(
            recalls_outstanding(requests=recall_requests_visible_to(actor), agency=actor.agency)
        )
        record_disclosure_list_read(actor=actor, disclosures=[r.disclosure for r in shown])
        return shown


@router.get(
    "/recalls/awaiting-my-deletion",
    response=responses(200, list[RecallRequestOut]),
    summary="Recalls awaiting my deletion",
)
@declares(Capability.DISCLOSURE_VIEW)
def recalls_awaiting_deletion_get(request: HttpRequest) -> list[RecallRequest]:
    """Requests to the caller to delete what was shared with them (DISCLOSURE_VIEW)."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    with transaction.atomic():
        shown = list(
            recall_requests_awaiting_deletion(
                requests=recall_requests_visible_to(actor), recipient=actor
            )
        )
        record_disclosure_list_read(actor=actor, disclosures=[r.disclosure for r in shown])
        return shown


@router.post(
    "/recall-requests/{recall_request_id}/deletion-confirmation",
    response=responses(200, RecallRequestOut),
    summary="Confirm deletion",
)
@declares(Capability.DISCLOSURE_VIEW)
def recall_deletion_confirmation_post(
    request: HttpRequest, recall_request_id: uuid.UUID
) -> RecallRequest:
    """The recipient confirms they deleted what was recalled; the recall completes once every
    recipient has (DISCLOSURE_VIEW; 404 for anyone who may not see it; 422 for anyone but the
    recipient, or when already confirmed)."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    with transaction.atomic():
        recall_request = access_recall_request(actor, recall_request_id)
        return services.recall_request_confirm_deletion(actor=actor, recall_request=recall_request)


# --- Received items in the recipient's own chronology --------------------------------------------


@router.post(
    "/disclosures/{disclosure_id}/chronology",
    response=responses(201, list[ReceivedItemLinkOut]),
    summary="Add received items to my case's chronology",
)
@declares(Capability.DISCLOSURE_VIEW)
def disclosure_chronology_post(
    request: HttpRequest, disclosure_id: uuid.UUID, payload: ChronologyAddIn
) -> Status[list[Any]]:
    """The named recipient links received items (all, or those numbered) to one of their own
    agency's open cases that they may edit, for its chronology with the source shown
    (DISCLOSURE_VIEW; 404 for a disclosure they may not read now or a case they may not edit;
    422 for a closed case, an unknown number or items already there)."""
    actor = authorised(request, Capability.DISCLOSURE_VIEW)
    with transaction.atomic():
        disclosure = access_disclosure_content(actor, disclosure_id, recipient_step=True)
        case_id = payload.case_id
        case = referenced("case_id", lambda: access_case(actor, case_id, need=Capability.CASE_EDIT))
        links = services.received_items_add_to_case(
            actor=actor, disclosure=disclosure, case=case, item_numbers=payload.item_numbers
        )
        return Status(201, links)


class ChronologyOrder(Schema):
    order: Literal["newest", "oldest"] = Field(
        "newest", description="Newest event first (the default, as on the web) or oldest first"
    )


@router.get(
    "/cases/{case_id}/chronology",
    response=responses(200, list[ChronologyEntryOut]),
    summary="A case's chronology, received items included",
)
@declares(Capability.CASE_VIEW)
def case_chronology_get(
    request: HttpRequest, case_id: uuid.UUID, filters: Query[ChronologyOrder]
) -> list[ChronologyEntry]:
    """The case's own items and the items received from other agencies and added to it, newest
    event first (``order=oldest``: oldest first), each with its source agency, fact or opinion,
    date and category. A received item's words are null once its disclosure expired or was
    revoked, and the entry says which (CASE_VIEW; 404 for a case the caller may not see; 422 for
    an unknown order; each disclosure shown is a recorded read)."""
    actor = authorised(request, Capability.CASE_VIEW)
    with transaction.atomic():
        case = access_case(actor, case_id)
        chronology = case_chronology(
            case=case,
            oldest_first=filters.order == "oldest",
            readable=disclosures_visible_to(actor),
        )
        record_chronology_received_read(actor=actor, disclosures=chronology.shown_disclosures)
        return list(chronology.entries)


class ChronologyPdfFilters(ChronologyOrder):
    source: Literal["all", "ours", "received"] = "all"
    category: InformationCategory | None = None


_CHRONOLOGY_SOURCES: dict[str, bool | None] = {"all": None, "ours": False, "received": True}

_CHRONOLOGY_PDF_RESPONSE: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The case's chronology as a PDF, watermarked with who printed it",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/cases/{case_id}/chronology/pdf",
    response=ERROR_RESPONSES,
    summary="A case's chronology as a PDF",
    openapi_extra=_CHRONOLOGY_PDF_RESPONSE,
)
@declares(Capability.CASE_VIEW)
def case_chronology_pdf_get(
    request: HttpRequest, case_id: uuid.UUID, filters: Query[ChronologyPdfFilters]
) -> HttpResponse:
    """The chronology (optionally only our own or only received entries, of one category;
    newest first unless ``order=oldest``) as a PDF, watermarked on every page with the case, who
    printed it and when. Received words are left out once their disclosure expired or was
    revoked (CASE_VIEW; 404 for a case the caller may not see; 422 for an unknown filter or
    order; each disclosure shown is a recorded read)."""
    actor = authorised(request, Capability.CASE_VIEW)
    received = _CHRONOLOGY_SOURCES[filters.source]
    category = filters.category.value if filters.category else ""
    with transaction.atomic():
        case = access_case(actor, case_id)
        chronology = chronology_filtered(
            case_chronology(
                case=case,
                oldest_first=filters.order == "oldest",
                readable=disclosures_visible_to(actor),
            ),
            received=received,
            category=category,
        )
        record_chronology_received_read(actor=actor, disclosures=chronology.shown_disclosures)
        view = chronology_print_view(
            chronology,
            printed_by=actor.full_name,
            generated_at=clock.now(),
            filters=chronology_filters_described(received=received, category=category),
        )
        pdf = chronology_pdf(view)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chronology-{case.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
