"""Consent to share: given, refused, withdrawn or not sought, and the recalls a withdrawal causes.

A consent record is never edited, except by the one transition the law gives the individual:
withdrawal. A refusal or a new consent is a new row. "Expired" is never stored: it is read from
``expires_on`` on the day that matters.
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from safeshare.agencies.models import Agency, Practitioner
from safeshare.core import clock
from safeshare.core.fields import EncryptedTextField
from safeshare.core.models import BaseModel
from safeshare.core.vocabulary import InformationCategory, SharingPurpose
from safeshare.people.models import Person


class ConsentState(models.TextChoices):
    """What is stored on a consent record."""

    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"
    WITHDRAWN = "withdrawn", "Consent withdrawn"
    NOT_SOUGHT = "not_sought", "Consent not sought"


class EffectiveConsent(models.TextChoices):
    """The consent position for one purpose, recipient and category on one day (never stored).

    The same strings as the decision engine's consent states.
    """

    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"
    WITHDRAWN = "withdrawn", "Consent withdrawn"
    EXPIRED = "expired", "Consent expired"
    NOT_SOUGHT = "not_sought", "Consent not sought"
    NOT_ASKED = "not_asked", "Consent not yet asked"


class GivenBy(models.TextChoices):
    PERSON = "person", "The person themself"
    PARENTAL_RESPONSIBILITY = "parental_responsibility", "Someone with parental responsibility"
    COMPETENT_CHILD = "competent_child", "A competent child (Gillick or Fraser)"


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", "Verbally"
    WRITTEN = "written", "In writing"
    ELECTRONIC = "electronic", "Electronically"


class NotSoughtReason(models.TextChoices):
    """The reasons the guidance allows for not seeking consent (the decision engine's strings)."""

    CHILD_AT_INCREASED_RISK = (
        "child_at_increased_risk",
        "Seeking consent would place a child at increased risk of harm",
    )
    ADULT_AT_RISK_OF_SERIOUS_HARM = (
        "adult_at_risk_of_serious_harm",
        "Seeking consent would place an adult at risk of serious harm",
    )
    UNDERMINE_SERIOUS_CRIME_INVESTIGATION = (
        "undermine_serious_crime_investigation",
        "Seeking consent would undermine the prevention, detection or prosecution of serious crime",
    )
    CANNOT_BE_GIVEN = "cannot_be_given", "Consent cannot be given"
    NOT_REASONABLE_TO_OBTAIN = (
        "not_reasonable_to_obtain",
        "It is not reasonable to expect consent to be obtained",
    )
    UNDUE_DELAY = "undue_delay", "Seeking consent would cause undue delay"
    PREJUDICE_ENQUIRY = (
        "prejudice_enquiry",
        "Seeking consent would prejudice the purpose of the request or enquiry",
    )


class Consent(BaseModel):
    """One record of consent to share information about a person, or of its refusal or absence.

    Scope: ``purposes`` (SharingPurpose values), recipients (``recipient_agencies`` and/or
    ``recipient_agency_types``, AgencyType values) and ``categories`` (InformationCategory values).
    A given consent names all three. On a refusal or a "not sought" record an empty scope field
    means "any". ``expires_on`` is the last day a given consent covers.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="consents_held")
    state = models.CharField(max_length=20, choices=ConsentState.choices)
    given_by = models.CharField(max_length=30, choices=GivenBy.choices, blank=True)
    given_by_name = EncryptedTextField(
        blank=True, default="", help_text="Who gave or refused consent, e.g. 'Mother, <name>'"
    )
    competence_note = EncryptedTextField(
        blank=True, default="", help_text="Why the child is competent to decide (Gillick/Fraser)"
    )
    method = models.CharField(max_length=20, choices=ConsentMethod.choices, blank=True)
    evidence = EncryptedTextField(blank=True, default="", help_text="Where the evidence is kept")
    purposes = models.JSONField(default=list)
    recipient_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="consents_as_recipient"
    )
    recipient_agency_types = models.JSONField(default=list)
    categories = models.JSONField(default=list)
    starts_on = models.DateField(default=clock.today)
    expires_on = models.DateField(null=True, blank=True)
    note = EncryptedTextField(blank=True, default="")
    not_sought_reason = models.CharField(max_length=50, choices=NotSoughtReason.choices, blank=True)
    not_sought_explanation = EncryptedTextField(blank=True, default="")
    recorded_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["person", "recorded_at"], name="consent_person_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="given", expires_on__isnull=True),
                name="consent_given_needs_expiry",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="not_sought", not_sought_reason=""),
                name="consent_not_sought_needs_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(state="withdrawn") | models.Q(withdrawn_at__isnull=True),
                name="consent_withdrawn_at_only_when_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()} on {self.recorded_at:%Y-%m-%d}"

    @property
    def purpose_labels(self) -> list[str]:
        labels = dict(SharingPurpose.choices)
        return [str(labels.get(code, code)) for code in self.purposes]

    @property
    def category_labels(self) -> list[str]:
        labels = dict(InformationCategory.choices)
        return [str(labels.get(code, code)) for code in self.categories]

    @property
    def is_withdrawable(self) -> bool:
        """Only consent that was given, and not yet withdrawn, can be withdrawn."""
        return self.state == ConsentState.GIVEN

    def is_expired_on(self, day: dt.date) -> bool:
        """True once ``day`` is after the last day the consent covers."""
        return self.expires_on is not None and day > self.expires_on


class RecallStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETE = "complete", "Complete"


class ConsentRecall(BaseModel):
    """A record shared on the basis of a consent that has been withdrawn: the recipient must be
    asked to stop using it (acted on by the disclosures app)."""

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="recalls")
    shared_object_type = models.CharField(
        max_length=100, help_text="Label of what was shared, e.g. 'decisions.sharingdecision'"
    )
    shared_object_id = models.CharField(max_length=64)
    recipient_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="recalls_received"
    )
    status = models.CharField(
        max_length=20, choices=RecallStatus.choices, default=RecallStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="recall_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["consent", "shared_object_type", "shared_object_id"],
                name="recall_unique_per_shared_object",
            )
        ]

    def __str__(self) -> str:
        return f"Recall of {self.shared_object_type} {self.shared_object_id}"
