"""Work-arrived notices and each practitioner's e-mail choices.

A notice says that something is waiting and links to it. It names no child and holds no personal
data, because it may be e-mailed, and an e-mail leaves the secure service: a wrong recipient
learns only that SafeShare has work for somebody.
"""

from __future__ import annotations

from django.db import models

from safeshare.agencies.models import Practitioner
from safeshare.core import clock
from safeshare.core.models import BaseModel


class NoticeKind(models.TextChoices):
    """What a timer found. The label is the whole message: no names, no case details."""

    URGENT_REQUEST = "urgent_request", "An immediate-risk request for information is waiting"
    REQUEST_DUE = "request_due", "A request for information is due soon"
    REQUEST_OVERDUE = "request_overdue", "A request for information is overdue"
    APPROVAL_ESCALATED = (
        "approval_escalated",
        "Approval of an urgent share is overdue and has been escalated to you",
    )
    APPROVAL_OVERDUE = "approval_overdue", "A sharing decision is overdue for approval"
    MASH_TIMESCALE = "mash_timescale", "A MASH contact has passed a timescale"
    INFORM_DUE = "inform_due", "Someone is due to be told that their information was shared"
    AGREEMENT_REVIEW = "agreement_review", "An information sharing agreement is due for review"
    DISCLOSURE_EXPIRED = (
        "disclosure_expired",
        "Information shared with you has expired: delete any copy you made",
    )
    RECALL_UNCONFIRMED = (
        "recall_unconfirmed",
        "A recall of shared information has not been confirmed",
    )


# Kinds nobody can switch off by e-mail: a child may be at immediate risk, or a share went ahead
# without its approval (PRODUCT.md, product decisions; issue 14).
ALWAYS_EMAILED = frozenset({NoticeKind.URGENT_REQUEST, NoticeKind.APPROVAL_ESCALATED})


class WorkNotice(BaseModel):
    """One notice to one practitioner. ``key`` names the thing and the stage (for example a
    request and "due"), so that a timer that runs every minute raises each notice once."""

    recipient = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, choices=NoticeKind.choices)
    key = models.CharField(max_length=200)
    url = models.CharField(max_length=300)  # a path in this service, never an outside address
    due_at = models.DateTimeField(null=True, blank=True)
    raised_at = models.DateTimeField(default=clock.now)
    seen_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="work_notice_once"),
        ]
        indexes = [
            models.Index(fields=["recipient", "seen_at"], name="work_notice_unseen_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.raised_at:%Y-%m-%d %H:%M})"

    @property
    def message(self) -> str:
        return str(self.get_kind_display())


class EmailPreference(BaseModel):
    """A practitioner's choice not to be e-mailed a kind of notice (the default is to be told).
    Kinds in ``ALWAYS_EMAILED`` cannot be switched off; the service refuses it."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=40, choices=NoticeKind.choices)
    emailed = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practitioner", "kind"], name="email_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {'e-mail' if self.emailed else 'in SafeShare only'}"
