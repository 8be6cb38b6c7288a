"""What oversight of the ledger stores: how far each practitioner has read their notifications,
and information governance reviews of unusual access.

Everything else here is derived from the ledger when it is asked for: a notification is a ledger
read, by someone outside the agency, of a record the agency holds; a flagged read is a ledger read
that one of the rules in ``unusual.py`` picks out. Nothing is written on the read path.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from safeshare.agencies.models import Agency, Practitioner
from safeshare.core import clock
from safeshare.core.fields import EncryptedTextField
from safeshare.core.models import BaseModel
from safeshare.ledger.models import LedgerEntry


class NotificationMarker(BaseModel):
    """How far a practitioner has read their notifications: entries whose ledger sequence number
    is at most ``seen_up_to`` are seen; later ones are new. Only ever moves forward."""

    practitioner = models.OneToOneField(
        Practitioner, on_delete=models.CASCADE, related_name="notification_marker"
    )
    seen_up_to = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Notifications seen up to {self.seen_up_to}"


class ReviewOutcome(models.TextChoices):
    APPROPRIATE = "appropriate", "Appropriate"
    CONCERN = "concern", "Not appropriate: concern raised"
    FOLLOW_UP = "follow_up", "Needs follow-up"


class ReviewIsImmutable(Exception):
    """Something tried to change or delete a recorded review."""


class AccessReview(BaseModel):
    """An information governance officer's review of one flagged read, for their agency.

    Both the agency holding the record and the agency of the practitioner who read it may review
    the same read, each once. Never edited: a second look is a matter for the agency's own process.
    """

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    reasons = models.JSONField(default=list)  # unusual.Reason codes when it was reviewed
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    note = EncryptedTextField(blank=True, default="")
    reviewed_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-reviewed_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "entry"], name="one_review_per_agency")
        ]
        indexes = [models.Index(fields=["agency", "reviewed_at"], name="review_agency_time_idx")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.reviewed_at:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ReviewIsImmutable("a recorded access review cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ReviewIsImmutable("a recorded access review cannot be deleted")
