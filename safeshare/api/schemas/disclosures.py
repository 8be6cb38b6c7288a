"""Information requests and disclosures: what a request, a disclosure and its steps send and
return. A disclosure's content is only ever returned rendered by the one renderer
(``safeshare.disclosures.render``), as HTML, to whoever may read it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field, StrictInt

from safeshare.access.policy import readable_to
from safeshare.agencies.models import Agency, Practitioner
from safeshare.api.schemas.common import (
    AgencyRefOut,
    InputSchema,
    IsoDate,
    PractitionerRefOut,
    Text12,
    Text100,
    Text1000,
    Text20000,
)
from safeshare.core.vocabulary import SharingPurpose
from safeshare.disclosures.models import (
    CorrectionKind,
    CorrectionNotice,
    Disclosure,
    DisclosureStatus,
    InformationRequest,
    ItemCorrection,
    RecallRequest,
    ReceivedItemLink,
    RequestKind,
    RequestStatus,
    Urgency,
)

# --- Requests ------------------------------------------------------------------------------------


class RequestIn(InputSchema):
    """A request, proactive share or referral to ``receiving_agency_id`` about a child identified
    by NHS number, or by name, date of birth and postcode."""

    receiving_agency_id: uuid.UUID
    kind: RequestKind
    purpose: SharingPurpose
    urgency: Urgency
    information_sought: Text20000
    justification: Text20000
    nhs_number: Text12 = ""
    given_name: Text100 = ""
    family_name: Text100 = ""
    date_of_birth: IsoDate | None = None
    postcode: Text12 = ""


class RefusalIn(InputSchema):
    message: Text20000 = Field(description="What the requester is told, as far as is safe")
    reasons: Text20000 = ""
    decision_id: uuid.UUID | None = Field(None, description="A recorded decision not to share")


class ReconsiderationIn(InputSchema):
    new_information: Text20000
    justification: Text20000 = ""
    urgency: Urgency | None = None


class ChildAsIdentifiedOut(Schema):
    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: str
    postcode: str


class RequestSummaryOut(Schema):
    id: uuid.UUID
    kind: RequestKind
    requesting_agency: AgencyRefOut
    requested_by: PractitionerRefOut
    receiving_agency: AgencyRefOut
    purpose: SharingPurpose
    urgency: Urgency
    due_at: dt.datetime
    is_overdue: bool
    status: RequestStatus
    assigned_to: PractitionerRefOut | None
    matched_case_id: uuid.UUID | None
    requested_at: dt.datetime


class RequestOut(RequestSummaryOut):
    child: ChildAsIdentifiedOut
    information_sought: str
    justification: str
    new_information: str
    refusal_message: str
    answering_decision_id: uuid.UUID | None
    reconsideration_of_id: uuid.UUID | None
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_child(obj: InformationRequest) -> dict[str, str]:
        return {
            "nhs_number": obj.child_nhs_number,
            "given_name": obj.child_given_name,
            "family_name": obj.child_family_name,
            "date_of_birth": obj.child_date_of_birth,
            "postcode": obj.child_postcode,
        }


# --- Disclosures ---------------------------------------------------------------------------------


class RedactionIn(InputSchema):
    start: StrictInt = Field(ge=0)
    end: StrictInt = Field(ge=0)
    reason: Text1000


class ItemSelectionIn(InputSchema):
    item_id: uuid.UUID
    summary_redactions: list[RedactionIn] = Field(default_factory=list, max_length=100)
    content_redactions: list[RedactionIn] = Field(default_factory=list, max_length=100)
    source_redactions: list[RedactionIn] = Field(
        default_factory=list,
        max_length=100,
        description="Ranges of the item's source (who the information came from) to redact",
    )
    source_withheld_reason: Text1000 = Field(
        "",
        description="Withhold the item's source whole, for this reason (then no "
        "source_redactions): the recipient sees the reason, never the source",
    )
    inclusion_reason: Text1000 = Field(
        "",
        description="For an item holding third-party or informant content: the reason for "
        "including it as it is. Not needed when its source is withheld or redacted",
    )


class AddressSelectionIn(InputSchema):
    address_id: uuid.UUID
    inclusion_reason: Text1000 = Field("", description="Required for a protected address")


class DisclosureIn(InputSchema):
    """Share selected items (and addresses) of the decision's case with a named practitioner."""

    decision_id: uuid.UUID
    recipient_id: uuid.UUID = Field(description="A practitioner: never an email address")
    items: list[ItemSelectionIn] = Field(default_factory=list, max_length=200)
    addresses: list[AddressSelectionIn] = Field(default_factory=list, max_length=20)
    expires_at: dt.datetime | None = None
    urgent_reason: Text20000 = ""
    request_id: uuid.UUID | None = None


class ReadBackIn(InputSchema):
    understanding: Text20000


class ConfirmIn(InputSchema):
    comment: Text20000 = ""


class CorrectIn(InputSchema):
    correction: Text20000


class RevokeIn(InputSchema):
    reason: Text20000


class RenderedOut(Schema):
    """The disclosure as its recipient sees it: the same HTML for the preview and the real
    thing."""

    html: str


class DisclosureSummaryOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    sharing_agency: AgencyRefOut
    shared_by: PractitionerRefOut
    recipient: PractitionerRefOut
    recipient_agency: AgencyRefOut
    purpose: SharingPurpose
    status: DisclosureStatus
    state: str = Field(
        description='The status; "recalled" once the consent it rested on was withdrawn (the '
        'recipient can no longer read it), "expired" once past expires_at'
    )
    content_available: bool
    issued_at: dt.datetime
    expires_at: dt.datetime
    outside_agreement_basis: str = Field(
        description='"" under an agreement; "consent" or "urgent" for a one-off share outside '
        "any agreement"
    )


class DisclosureOut(DisclosureSummaryOut):
    decision_id: uuid.UUID
    request_id: uuid.UUID | None
    agreement_id: uuid.UUID | None
    lawful_basis: dict[str, str | None]
    acknowledged_at: dt.datetime | None
    undertaking_accepted_at: dt.datetime | None
    read_back: str
    read_back_at: dt.datetime | None
    read_back_response: str
    read_back_responded_at: dt.datetime | None
    revoked_at: dt.datetime | None
    recalled_at: dt.datetime | None

    @staticmethod
    def resolve_lawful_basis(obj: Disclosure) -> dict[str, str | None]:
        basis = obj.lawful_basis
        return dict(basis) if isinstance(basis, dict) else {}

    # The read-back and the sharer's answer restate what was shared: they follow the content's
    # rule (``access.policy.may_read_disclosure_content``), so a recipient loses them at expiry
    # or revocation like the content itself.
    @staticmethod
    def resolve_read_back(obj: Disclosure, context: dict[str, Any]) -> str:
        return readable_to(context["request"].actor, obj, obj.read_back)

    @staticmethod
    def resolve_read_back_response(obj: Disclosure, context: dict[str, Any]) -> str:
        return readable_to(context["request"].actor, obj, obj.read_back_response)


# --- After sharing -------------------------------------------------------------------------------


class InformTaskOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    decision_id: uuid.UUID
    agency: AgencyRefOut
    assigned_to: PractitionerRefOut
    due_at: dt.datetime
    is_overdue: bool
    done_at: dt.datetime | None
    done_by: PractitionerRefOut | None
    how_told: str


class InformTaskCompleteIn(InputSchema):
    how_told: Text20000 = Field(description="How and when the individual was told")


class ItemCorrectionIn(InputSchema):
    kind: CorrectionKind
    explanation: Text20000 = Field(
        description="The corrected information, or why the item is retracted"
    )


class NoticeStateOut(Schema):
    """Where one recipient's copy of a correction stands."""

    id: uuid.UUID
    disclosure_id: uuid.UUID
    recipient: PractitionerRefOut
    acknowledged_at: dt.datetime | None

    @staticmethod
    def resolve_recipient(obj: CorrectionNotice) -> Practitioner:
        return obj.disclosure.recipient


class ItemCorrectionOut(Schema):
    id: uuid.UUID
    item_id: uuid.UUID
    kind: CorrectionKind
    explanation: str
    issued_by: PractitionerRefOut
    issued_at: dt.datetime
    notices: list[NoticeStateOut]

    @staticmethod
    def resolve_notices(obj: ItemCorrection) -> list[CorrectionNotice]:
        return list(obj.notices.select_related("disclosure__recipient").order_by("created_at"))


class CorrectionForRecipientOut(Schema):
    id: uuid.UUID
    kind: CorrectionKind
    explanation: str
    issued_by: PractitionerRefOut
    issued_at: dt.datetime


class CorrectionNoticeOut(Schema):
    """A correction or retraction of something shared with the caller."""

    id: uuid.UUID
    disclosure_id: uuid.UUID
    correction: CorrectionForRecipientOut
    acknowledged_at: dt.datetime | None


class RecallRequestOut(Schema):
    id: uuid.UUID
    recall_id: uuid.UUID
    disclosure_id: uuid.UUID
    recipient: PractitionerRefOut
    recipient_agency: AgencyRefOut
    requested_at: dt.datetime
    deletion_confirmed_at: dt.datetime | None
    is_outstanding: bool

    @staticmethod
    def resolve_recipient(obj: RecallRequest) -> Practitioner:
        return obj.disclosure.recipient

    @staticmethod
    def resolve_recipient_agency(obj: RecallRequest) -> Agency:
        return obj.disclosure.recipient_agency


# --- Received items in the recipient's own chronology --------------------------------------------


class ChronologyAddIn(InputSchema):
    case_id: uuid.UUID = Field(description="One of your own agency's cases that you may edit")
    item_numbers: list[StrictInt] = Field(
        default_factory=list,
        max_length=200,
        description="The items' numbers in the disclosure (1 for the first); empty for all",
    )


class ReceivedItemLinkOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    disclosure_id: uuid.UUID
    item_number: int
    added_at: dt.datetime

    @staticmethod
    def resolve_item_number(obj: ReceivedItemLink) -> int:
        return obj.disclosed_item.position + 1


class ChronologyEntryOut(Schema):
    """One entry of a case's chronology: its own item, or an item received from another agency
    (``received``), whose words are null once that disclosure expired or was revoked."""

    event_date: dt.date
    category: str
    fact_or_opinion: str
    is_opinion: bool
    source_agency: str
    received: bool
    available: bool
    summary: str | None
    content: str | None
    source: str | None
    unavailable_reason: str
    item_id: uuid.UUID | None
    disclosure_id: uuid.UUID | None
    item_number: int | None
