"""Information requests, disclosures and what each disclosure carries.

Both requests and disclosures are explicit state machines: a service moves them along the
transitions listed here and refuses any other. "Expired" is never stored: it is read from
``expires_at``. Everything a person wrote, and every copy of disclosed content, is encrypted at
rest.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from safeshare.agencies.models import Agency, InformationSharingAgreement, Practitioner
from safeshare.cases.models import Case, FactOrOpinion, HowKnown, InformationItem
from safeshare.core import clock
from safeshare.core.fields import EncryptedTextField
from safeshare.core.models import BaseModel
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from safeshare.decisions.models import SharingDecision
from safeshare.disclosures.redaction import (
    Segment,
    plain_text,
    segments_from_data,
    segments_to_data,
)
from safeshare.people.models import Address


class Urgency(models.TextChoices):
    IMMEDIATE_RISK = "immediate_risk", "Immediate risk (within 1 hour)"
    WITHIN_24_HOURS = "within_24_hours", "Within 24 hours"
    ROUTINE = "routine", "Routine (within 10 working days)"


class RequestKind(models.TextChoices):
    REQUEST = "request", "Request for information"
    PROACTIVE_SHARE = "proactive_share", "Proactive share"
    REFERRAL_CSC = "referral_csc", "Referral to children's social care"
    REFERRAL_POLICE = "referral_police", "Referral to police"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ASSIGNED = "assigned", "Assigned"
    ANSWERED = "answered", "Answered (disclosed)"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.RECEIVED: frozenset(
        {RequestStatus.ASSIGNED, RequestStatus.REFUSED, RequestStatus.WITHDRAWN}
    ),
    RequestStatus.ASSIGNED: frozenset(
        {RequestStatus.ANSWERED, RequestStatus.REFUSED, RequestStatus.WITHDRAWN}
    ),
    RequestStatus.ANSWERED: frozenset(),
    RequestStatus.REFUSED: frozenset(),
    RequestStatus.WITHDRAWN: frozenset(),
}

OPEN_REQUEST_STATUSES = frozenset({RequestStatus.RECEIVED, RequestStatus.ASSIGNED})


class InformationRequest(BaseModel):
    """A practitioner's request to another agency for information about a child (or a proactive
    share or referral, which takes the same path)."""

    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    requesting_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="requests_made"
    )
    requested_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    receiving_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="requests_received"
    )
    child_nhs_number = EncryptedTextField(blank=True, default="")
    child_given_name = EncryptedTextField(blank=True, default="")
    child_family_name = EncryptedTextField(blank=True, default="")
    child_date_of_birth = EncryptedTextField(blank=True, default="", help_text="YYYY-MM-DD")
    child_postcode = EncryptedTextField(blank=True, default="")
    purpose = models.CharField(max_length=40, choices=SharingPurpose.choices)
    information_sought = EncryptedTextField()
    justification = EncryptedTextField()
    new_information = EncryptedTextField(
        blank=True, default="", help_text="What is new, on a reconsideration"
    )
    urgency = models.CharField(max_length=20, choices=Urgency.choices)
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    matched_case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    assigned_to = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answering_decision = models.ForeignKey(
        SharingDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal_message = EncryptedTextField(
        blank=True, default="", help_text="What the requester is told, as far as is safe"
    )
    refusal_reasons = EncryptedTextField(blank=True, default="")
    reconsideration_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reconsiderations"
    )
    requested_at = models.DateTimeField(default=clock.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "requested_at"]
        indexes = [
            models.Index(fields=["receiving_agency", "status"], name="request_inbox_idx"),
            models.Index(fields=["requesting_agency", "status"], name="request_outbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < clock.now()


class DisclosureStatus(models.TextChoices):
    ISSUED = "issued", "Issued"
    ACKNOWLEDGED = "acknowledged", "Receipt acknowledged"
    UNDERTAKING_ACCEPTED = "undertaking_accepted", "Undertaking accepted"
    READ_BACK = "read_back", "Read back, awaiting confirmation"
    READ_BACK_CONFIRMED = "read_back_confirmed", "Understanding confirmed"
    READ_BACK_CORRECTED = "read_back_corrected", "Understanding corrected"
    REVOKED = "revoked", "Revoked"


_LIVE = frozenset(
    {
        DisclosureStatus.ISSUED,
        DisclosureStatus.ACKNOWLEDGED,
        DisclosureStatus.UNDERTAKING_ACCEPTED,
        DisclosureStatus.READ_BACK,
        DisclosureStatus.READ_BACK_CONFIRMED,
        DisclosureStatus.READ_BACK_CORRECTED,
    }
)

DISCLOSURE_TRANSITIONS: dict[str, frozenset[str]] = {
    DisclosureStatus.ISSUED: frozenset({DisclosureStatus.ACKNOWLEDGED, DisclosureStatus.REVOKED}),
    DisclosureStatus.ACKNOWLEDGED: frozenset(
        {DisclosureStatus.UNDERTAKING_ACCEPTED, DisclosureStatus.REVOKED}
    ),
    DisclosureStatus.UNDERTAKING_ACCEPTED: frozenset(
        {DisclosureStatus.READ_BACK, DisclosureStatus.REVOKED}
    ),
    DisclosureStatus.READ_BACK: frozenset(
        {
            DisclosureStatus.READ_BACK_CONFIRMED,
            DisclosureStatus.READ_BACK_CORRECTED,
            DisclosureStatus.REVOKED,
        }
    ),
    DisclosureStatus.READ_BACK_CONFIRMED: frozenset({DisclosureStatus.REVOKED}),
    # After a correction the recipient says again what they understood.
    DisclosureStatus.READ_BACK_CORRECTED: frozenset(
        {DisclosureStatus.READ_BACK, DisclosureStatus.REVOKED}
    ),
    DisclosureStatus.REVOKED: frozenset(),
}


class OutsideAgreement(models.TextChoices):
    """Why a disclosure went outside every agreement (ICO 10 step guide, step 6: an agreement may
    not fit one-off or emergency sharing). Empty when an agreement covered it."""

    NONE = "", "Under an agreement"
    CONSENT = "consent", "One-off share with consent"
    URGENT = "urgent", "Urgent share to protect a child"


class Disclosure(BaseModel):
    """Information from one case shared with one named practitioner of another agency, under a
    recorded sharing decision that allows it."""

    decision = models.ForeignKey(
        SharingDecision, on_delete=models.PROTECT, related_name="disclosures"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="disclosures")
    request = models.ForeignKey(
        InformationRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
    )
    sharing_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="disclosures_made"
    )
    shared_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="disclosures_received"
    )
    recipient_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="disclosures_received"
    )
    agreement = models.ForeignKey(
        InformationSharingAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
    )
    urgent_reason = EncryptedTextField(
        blank=True, default="", help_text="Why an urgent share outside any agreement"
    )
    outside_agreement_basis = models.CharField(
        max_length=20, choices=OutsideAgreement.choices, blank=True, default=""
    )
    purpose = models.CharField(max_length=40, choices=SharingPurpose.choices)
    lawful_basis = models.JSONField()
    issued_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    status = models.CharField(
        max_length=30, choices=DisclosureStatus.choices, default=DisclosureStatus.ISSUED
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    undertaking_accepted_at = models.DateTimeField(null=True, blank=True)
    read_back = EncryptedTextField(blank=True, default="", help_text="What I understood")
    read_back_at = models.DateTimeField(null=True, blank=True)
    read_back_response = EncryptedTextField(blank=True, default="")
    read_back_responded_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = EncryptedTextField(blank=True, default="")
    recalled_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the consent it was shared on was withdrawn and it was recalled: from "
        "then the recipient can no longer read it",
    )

    class Meta:
        ordering = ["-issued_at"]
        indexes = [
            models.Index(fields=["recipient", "status"], name="disclosure_recipient_idx"),
            models.Index(fields=["sharing_agency", "issued_at"], name="disclosure_sharer_idx"),
        ]

    def __str__(self) -> str:
        return f"Disclosure of {self.issued_at:%Y-%m-%d}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= clock.now()

    @property
    def is_revoked(self) -> bool:
        return self.status == DisclosureStatus.REVOKED

    @property
    def is_recalled(self) -> bool:
        return self.recalled_at is not None

    @property
    def content_available(self) -> bool:
        """Whether the recipient may still read the content (not revoked, not recalled, not
        expired): the same rule as ``access.rules.disclosure_live``."""
        return self.status in _LIVE and not self.is_recalled and not self.is_expired

    @property
    def outside_agreement(self) -> bool:
        """Shared outside any information sharing agreement (one-off, with consent or urgent)."""
        return self.agreement_id is None

    @property
    def state(self) -> str:
        """The status; "recalled" once recalled, "expired" once past ``expires_at`` (never
        stored)."""
        if self.status == DisclosureStatus.REVOKED:
            return str(self.status)
        if self.is_recalled:
            return "recalled"
        if self.is_expired:
            return "expired"
        return str(self.status)


def _dump(segments: tuple[Segment, ...]) -> str:
    return json.dumps(segments_to_data(segments), separators=(",", ":"), ensure_ascii=False)


class DisclosedItem(BaseModel):
    """The disclosure's copy of one information item of the same case, as shared: after
    redaction, with fact or opinion, source, date, category and source agency.

    The source (who the information came from) is redacted or withheld like the words: ``source``
    holds it as shared, "[redacted]" where words were removed, so that no reader of the copy (the
    recipient's page, the PDF, the API, a chronology) can ever see a name the sharer removed;
    ``source_segments`` keeps the reasons. A copy made before sources could be redacted has no
    segments: its source was shared whole."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="items")
    item = models.ForeignKey(InformationItem, on_delete=models.PROTECT, related_name="+")
    item_version = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    category = models.CharField(max_length=30, choices=InformationCategory.choices)
    fact_or_opinion = models.CharField(max_length=10, choices=FactOrOpinion.choices)
    how_known = models.CharField(max_length=30, choices=HowKnown.choices)
    event_date = models.DateField()
    source = EncryptedTextField(help_text="As shared: '[redacted]' where words were removed")
    # Null for a copy made before sources could be redacted (its source was shared whole).
    source_segments = EncryptedTextField(
        null=True, blank=True, help_text="JSON segments after redaction or withholding"
    )
    source_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    summary_segments = EncryptedTextField(help_text="JSON segments after redaction")
    content_segments = EncryptedTextField(help_text="JSON segments after redaction")
    redaction_count = models.PositiveIntegerField(default=0)
    third_party_protected = models.BooleanField(default=False)
    inclusion_reason = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "item"], name="disclosed_item_once"),
        ]

    def set_segments(
        self,
        *,
        summary: tuple[Segment, ...],
        content: tuple[Segment, ...],
        source: tuple[Segment, ...],
    ) -> None:
        self.summary_segments = _dump(summary)
        self.content_segments = _dump(content)
        self.source_segments = _dump(source)
        self.source = plain_text(source)

    @property
    def summary(self) -> tuple[Segment, ...]:
        return segments_from_data(_load(self.summary_segments))

    @property
    def content(self) -> tuple[Segment, ...]:
        return segments_from_data(_load(self.content_segments))

    @property
    def source_shared(self) -> tuple[Segment, ...]:
        """The source as shared, with the reason in place of anything redacted or withheld."""
        if not self.source_segments:
            return (Segment(self.source),)
        return segments_from_data(_load(self.source_segments))

    @property
    def source_protected(self) -> bool:
        """Whether the source was withheld or had words redacted."""
        return any(segment.redacted for segment in self.source_shared)

    @property
    def third_party_redacted(self) -> bool:
        """Third-party or informant content shared with the informant's identity redacted (no
        reason recorded for including it as it was)."""
        return self.third_party_protected and not self.inclusion_reason


def _load(text: str) -> list[dict[str, Any]]:
    data = json.loads(text)
    return data if isinstance(data, list) else []


class DisclosedAddress(BaseModel):
    """The disclosure's copy of one address of the child or of someone involved in the case.
    A protected address is only ever here with a recorded reason."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="addresses")
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    whose = EncryptedTextField(help_text="Whose address, e.g. 'Child' or 'Parent'")
    lines = EncryptedTextField()
    postcode = EncryptedTextField()
    is_protected = models.BooleanField(default=False)
    inclusion_reason = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "address"], name="disclosed_address_once"
            ),
        ]


# --- After sharing -------------------------------------------------------------------------------


class InformTask(BaseModel):
    """Tell the individual that their information was shared (the guidance: unless that creates
    risk). Created with the first disclosure under a decision that did not record why not."""

    decision = models.OneToOneField(
        SharingDecision, on_delete=models.PROTECT, related_name="inform_task"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="inform_tasks")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    how_told = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["due_at"]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_at < clock.now()


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    RETRACTION = "retraction", "Retraction"


class ItemCorrection(BaseModel):
    """A correction or retraction of an information item after it was shared: pushed to every
    recipient of the item as a ``CorrectionNotice``."""

    item = models.ForeignKey(InformationItem, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=CorrectionKind.choices)
    explanation = EncryptedTextField(help_text="The corrected information, or why it is retracted")
    issued_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-issued_at"]


class CorrectionNotice(BaseModel):
    """One recipient's copy of a correction or retraction, and whether they acknowledged it."""

    correction = models.ForeignKey(ItemCorrection, on_delete=models.PROTECT, related_name="notices")
    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.PROTECT, related_name="correction_notices"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["correction", "disclosure"], name="correction_notice_once"
            ),
        ]


class RecallRequest(BaseModel):
    """A request to a recipient to delete what was shared on a consent since withdrawn (from a
    ``consent.ConsentRecall``); tracked until they confirm deletion."""

    recall = models.ForeignKey(
        "consent.ConsentRecall", on_delete=models.PROTECT, related_name="requests"
    )
    disclosure = models.ForeignKey(
        Disclosure, on_delete=models.PROTECT, related_name="recall_requests"
    )
    requested_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=clock.now)
    deletion_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["recall", "disclosure"], name="recall_request_once"),
        ]

    @property
    def is_outstanding(self) -> bool:
        return self.deletion_confirmed_at is None


# --- Received items in the recipient's own chronology --------------------------------------------


class ReceivedItemLink(BaseModel):
    """A received item added to one of the recipient agency's own cases, for that case's
    chronology, with its source shown. A link, never a copy: the content stays the disclosure's
    (encrypted, and unreadable after expiry or revocation), and nothing is written into the
    sharing agency's records."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="received_item_links")
    disclosed_item = models.ForeignKey(
        DisclosedItem, on_delete=models.PROTECT, related_name="case_links"
    )
    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="case_links")
    added_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "disclosed_item"], name="received_item_linked_once"
            ),
        ]
