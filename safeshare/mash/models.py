"""MASH triage: contacts and referrals into the Multi-Agency Safeguarding Hub, the enquiries the
hub sends to partner agencies, the RAG rating and the outcome.

A contact is an explicit state machine (``CONTACT_TRANSITIONS``); services move it along and
refuse anything else. Everything a person wrote and every detail identifying the child or the
referrer is encrypted at rest; agencies, categories, states, ratings, outcomes and times are in
clear (the dashboard counts them).
"""

from __future__ import annotations

from django.db import models

from safeshare.agencies.models import Agency, Practitioner
from safeshare.core import clock
from safeshare.core.fields import EncryptedTextField
from safeshare.core.models import BaseModel
from safeshare.disclosures.models import InformationRequest
from safeshare.people.models import Person


class ContactSource(models.TextChoices):
    PHONE = "phone", "Phone call"
    EMAIL = "email", "Email"
    ONLINE_FORM = "online_form", "Online form"
    POLICE_NOTIFICATION = "police_notification", "Police notification (PPN)"
    REFERRAL_FORM = "referral_form", "Multi-agency referral form"


class ParentalAwareness(models.TextChoices):
    """Whether the parents or carers know about the contact and agree to it."""

    AWARE_AND_AGREE = "aware_and_agree", "Parents or carers know and agree"
    AWARE_NOT_AGREE = "aware_not_agree", "Parents or carers know but do not agree"
    NOT_TOLD_RISK = "not_told_risk", "Not told: telling them could put the child at risk"
    NOT_TOLD_OTHER = "not_told_other", "Not told, for another reason"


class ContactCategory(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
    EMOTIONAL_ABUSE = "emotional_abuse", "Emotional abuse"
    SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    EXPLOITATION = "exploitation", "Child exploitation (criminal or sexual)"
    MISSING = "missing", "Missing from home, care or education"
    PARENTAL_NEEDS = "parental_needs", "Parental mental health or substance misuse"
    OTHER = "other", "Other"


class ContactStatus(models.TextChoices):
    NEW = "new", "New"
    GATHERING = "gathering", "Gathering information"
    AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
    DECIDED = "decided", "Decided"
    CLOSED = "closed", "Closed"


CONTACT_TRANSITIONS: dict[str, frozenset[str]] = {
    ContactStatus.NEW: frozenset(
        {ContactStatus.GATHERING, ContactStatus.AWAITING_DECISION, ContactStatus.DECIDED}
    ),
    ContactStatus.GATHERING: frozenset({ContactStatus.AWAITING_DECISION, ContactStatus.DECIDED}),
    ContactStatus.AWAITING_DECISION: frozenset({ContactStatus.GATHERING, ContactStatus.DECIDED}),
    ContactStatus.DECIDED: frozenset({ContactStatus.CLOSED}),
    ContactStatus.CLOSED: frozenset(),
}

OPEN_CONTACT_STATUSES = frozenset(
    {ContactStatus.NEW, ContactStatus.GATHERING, ContactStatus.AWAITING_DECISION}
)


class RagRating(models.TextChoices):
    RED = "red", "Red: the child may be at risk of significant harm now"
    AMBER = "amber", "Amber: concerns that need a response today or tomorrow"
    GREEN = "green", "Green: lower level concerns"


class ContactOutcome(models.TextChoices):
    """The decision on the type of response, within one working day of the contact (Working
    Together to Safeguard Children 2018, chapter 1, "Decision-making" after a referral; the same
    in Working Together 2023, chapter 4): whether the child needs immediate protection and urgent
    action, is already known to children's social care, is in need (section 17), or may be
    suffering significant harm (section 47); or no further children's social care involvement,
    with information and advice, early help or no further action. The rules for each are in
    ``safeshare.mash.services.contact_decide``."""

    NO_FURTHER_ACTION = "no_further_action", "No further action"
    INFORMATION_AND_ADVICE = "information_and_advice", "Information and advice"
    EARLY_HELP = "early_help", "Early help"
    ALREADY_OPEN = "already_open", "Already open: pass to the allocated worker"
    CHILD_IN_NEED = "child_in_need_assessment", "Child in need assessment (section 17)"
    STRATEGY_DISCUSSION = (
        "strategy_discussion",
        "Strategy discussion (section 47 enquiry)",
    )
    IMMEDIATE_PROTECTION = (
        "immediate_protection",
        "Immediate protection: urgent action to protect the child now",
    )


class MashContact(BaseModel):
    """A contact or referral about a child received by the hub (the local authority children's
    social care agency whose MASH officers triage it)."""

    hub_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="mash_contacts")
    received_at = models.DateTimeField()
    source = models.CharField(max_length=30, choices=ContactSource.choices)
    referrer_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mash_referrals",
        help_text="Empty for a member of the public",
    )
    referrer_name = EncryptedTextField()
    referrer_role = EncryptedTextField(blank=True, default="")
    referrer_contact = EncryptedTextField(blank=True, default="")
    parental_awareness = models.CharField(max_length=20, choices=ParentalAwareness.choices)
    awareness_reason = EncryptedTextField(
        blank=True, default="", help_text="Why the parents do not know or agree"
    )
    child_nhs_number = EncryptedTextField(blank=True, default="")
    child_given_name = EncryptedTextField(blank=True, default="")
    child_family_name = EncryptedTextField(blank=True, default="")
    child_date_of_birth = EncryptedTextField(blank=True, default="", help_text="YYYY-MM-DD")
    child_postcode = EncryptedTextField(blank=True, default="")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="mash_contacts"
    )
    concerns = EncryptedTextField()
    category = models.CharField(max_length=30, choices=ContactCategory.choices)
    status = models.CharField(
        max_length=20, choices=ContactStatus.choices, default=ContactStatus.NEW
    )
    recorded_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rating_due_at = models.DateTimeField()
    decision_due_at = models.DateTimeField()
    rag_rating = models.CharField(max_length=10, choices=RagRating.choices, blank=True)
    rag_reasons = EncryptedTextField(blank=True, default="")
    rated_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rated_at = models.DateTimeField(null=True, blank=True)
    first_rated_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=ContactOutcome.choices, blank=True)
    outcome_reasons = EncryptedTextField(blank=True, default="")
    allocated_worker = EncryptedTextField(
        blank=True,
        null=True,
        help_text="Already open: the allocated worker the contact was passed to (else empty)",
    )
    decided_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["hub_agency", "status"], name="mash_contact_queue_idx"),
            models.Index(fields=["hub_agency", "received_at"], name="mash_contact_time_idx"),
        ]

    def __str__(self) -> str:
        return f"MASH contact of {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CONTACT_STATUSES

    @property
    def is_overdue(self) -> bool:
        now = clock.now()
        rating_late = not self.first_rated_at and self.rating_due_at < now
        decision_late = self.is_open and self.decision_due_at < now
        return rating_late or decision_late


class MashEnquiry(BaseModel):
    """An enquiry from the hub to a partner agency about the contact's child: an information
    request with the MASH purpose and a 24-hour clock, answered through the request workflow."""

    contact = models.ForeignKey(MashContact, on_delete=models.PROTECT, related_name="enquiries")
    request = models.OneToOneField(
        InformationRequest, on_delete=models.PROTECT, related_name="mash_enquiry"
    )
    partner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["sent_at", "partner_agency__name"]
        verbose_name_plural = "MASH enquiries"

    def __str__(self) -> str:
        return f"MASH enquiry of {self.sent_at:%Y-%m-%d %H:%M}"
