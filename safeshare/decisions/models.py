"""Recorded sharing decisions and their approvals.

A SharingDecision is never edited once recorded: reconsidering records a new decision linked to
the old one (``supersedes``). Approvals are separate rows. What the engine recommended, under which
rule version, is stored beside what the practitioner decided, so a decision always reads as it did
on the day, whatever later rule versions say.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from safeshare.agencies.models import Agency, Practitioner
from safeshare.cases.models import Case
from safeshare.consent.models import Consent
from safeshare.core import clock
from safeshare.core.fields import EncryptedTextField
from safeshare.core.models import BaseModel
from safeshare.core.vocabulary import SharingPurpose


class DecisionOutcome(models.TextChoices):
    """What the practitioner decided (the same vocabulary as the engine's recommendations)."""

    SHARE = "share", "Share"
    SHARE_WITHOUT_CONSENT = "share_without_consent", "Share without consent"
    SEEK_CONSENT = "seek_consent", "Seek consent first"
    SEEK_ADVICE = "seek_advice", "Seek advice"
    DO_NOT_SHARE = "do_not_share", "Do not share"
    REFER_NOW = "refer_now", "Refer to children's social care or police now"
    NOT_PERSONAL_DATA = "not_personal_data", "Not personal data"
    VERIFY_RECIPIENT = "verify_recipient", "Do not share until the recipient is verified"


CHECK_ANSWERS = "check_answers"
CHECK_ANSWERS_LABEL = "Check your answers: some of them contradict each other"


def recommendation_label(value: str) -> str:
    """The label of an engine recommendation: a decision's label, or for "check your answers"
    (which is never recorded as a decision) its own."""
    if value == CHECK_ANSWERS:
        return CHECK_ANSWERS_LABEL
    return str(DecisionOutcome(value).label)


SHARING_OUTCOMES = frozenset(
    {
        DecisionOutcome.SHARE,
        DecisionOutcome.SHARE_WITHOUT_CONSENT,
        DecisionOutcome.REFER_NOW,
    }
)


class DecisionIsImmutable(Exception):
    """Something tried to change or delete a recorded decision."""


class SharingDecision(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sharing_decisions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=40, choices=SharingPurpose.choices)
    recipient_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    facts = models.JSONField()
    rule_version = models.CharField(max_length=20)
    recommendation = models.CharField(max_length=30, choices=DecisionOutcome.choices)
    engine_outcome = models.JSONField()
    outcome = models.CharField(max_length=30, choices=DecisionOutcome.choices)
    override_reason = EncryptedTextField(blank=True, default="")
    lawful_basis = models.JSONField(null=True, blank=True)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    consent_state = models.CharField(max_length=20)
    what_to_share = EncryptedTextField(blank=True, default="")
    categories = models.JSONField(
        default=list,
        blank=True,
        help_text="InformationCategory values to be shared (needed when relying on consent)",
    )
    reasons = EncryptedTextField()
    advice_sought_from = models.CharField(max_length=200, blank=True)
    advice_given = EncryptedTextField(blank=True, default="")
    individual_to_be_told = models.BooleanField(default=False)
    individual_not_told_reason = EncryptedTextField(blank=True, default="")
    is_urgent = models.BooleanField(default=False)
    approval_required = models.BooleanField(default=False)
    approval_due_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reconsiderations"
    )
    reconsideration_reason = EncryptedTextField(blank=True, default="")
    decided_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [
            models.Index(fields=["agency", "approval_required"], name="decision_approval_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.decided_at:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise DecisionIsImmutable("a recorded sharing decision cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise DecisionIsImmutable("a recorded sharing decision cannot be deleted")

    @property
    def differs_from_recommendation(self) -> bool:
        return self.outcome != self.recommendation

    @property
    def approval_or_none(self) -> DecisionApproval | None:
        try:
            return self.approval
        except DecisionApproval.DoesNotExist:
            return None

    @property
    def awaiting_approval(self) -> bool:
        return self.approval_required and self.approval_or_none is None

    @property
    def approval_overdue(self) -> bool:
        """Awaiting approval past its due time (the same rule as selectors.approvals_overdue)."""
        due = self.approval_due_at
        return due is not None and due < clock.now() and self.awaiting_approval


class DecisionApproval(BaseModel):
    """A DSL's or manager's approval (or refusal to approve) of a decision to share without
    consent. One per decision; never edited."""

    decision = models.OneToOneField(
        SharingDecision, on_delete=models.PROTECT, related_name="approval"
    )
    approver = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    approved = models.BooleanField()
    comment = EncryptedTextField(blank=True, default="")
    decided_at = models.DateTimeField(default=clock.now)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise DecisionIsImmutable("an approval cannot be changed")
        super().save(*args, **kwargs)
