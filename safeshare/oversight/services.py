"""Writes for oversight of the ledger: marking notifications seen, recording a review of
flagged access. Each appends its own ledger entry in the same transaction."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from safeshare.agencies.models import Practitioner
from safeshare.core import clock
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from safeshare.ledger.selectors import ledger_last_id
from safeshare.ledger.services import Subject, ledger_append
from safeshare.oversight.exceptions import (
    AlreadyReviewed,
    NotificationsInvalid,
    ReadNotFlagged,
    ReviewInvalid,
)
from safeshare.oversight.models import AccessReview, NotificationMarker, ReviewOutcome
from safeshare.oversight.selectors import read_flag_reasons

NOTE_MAX_LENGTH = 5000


@transaction.atomic
def notifications_mark_seen(*, actor: Practitioner, up_to: int) -> NotificationMarker:
    """Mark ``actor``'s notifications seen up to ledger sequence number ``up_to`` (the newest one
    they were shown). The marker only moves forward; an older number leaves it where it is."""
    if up_to < 0 or up_to > ledger_last_id():
        raise NotificationsInvalid("Those notifications do not exist", field="up_to")
    marker, _ = NotificationMarker.objects.select_for_update().get_or_create(practitioner=actor)
    if up_to > marker.seen_up_to:
        marker.seen_up_to = up_to
        marker.touch()
        marker.save(update_fields=["seen_up_to", "updated_at"])
    ledger_append(
        event=Event.NOTIFICATIONS_SEEN,
        actor=actor,
        obj=marker,
        details={"up_to": up_to, "seen_up_to": marker.seen_up_to},
    )
    return marker


@transaction.atomic
def access_review_record(
    *, actor: Practitioner, entry: LedgerEntry, outcome: str, note: str = ""
) -> AccessReview:
    """Record an information governance review of a flagged read, for the reviewer's agency.

    The read must be flagged by a rule now (the reasons are worked out here, never taken from the
    caller), and not yet reviewed by the agency. A note is needed unless the access was
    appropriate. The note is encrypted at rest; the ledger holds the outcome and reasons only.
    """
    note = note.strip()
    if outcome not in ReviewOutcome.values:
        raise ReviewInvalid("Select whether the access was appropriate", field="outcome")
    if outcome != ReviewOutcome.APPROPRIATE and not note:
        raise ReviewInvalid("Enter a note saying what the concern or follow-up is", field="note")
    if len(note) > NOTE_MAX_LENGTH:
        raise ReviewInvalid(f"The note must be {NOTE_MAX_LENGTH} characters or fewer", field="note")
    reasons = read_flag_reasons(entry=entry)
    if not reasons:
        raise ReadNotFlagged("This access was not flagged as unusual: there is nothing to review")
    if AccessReview.objects.filter(agency_id=actor.agency_id, entry=entry).exists():
        raise AlreadyReviewed("Your agency has already reviewed this access")
    try:
        with transaction.atomic():
            review = AccessReview.objects.create(
                entry=entry,
                agency_id=actor.agency_id,
                reviewer=actor,
                reasons=[str(reason) for reason in reasons],
                outcome=outcome,
                note=note,
                reviewed_at=clock.now(),
            )
    except IntegrityError as exc:  # another reviewer got there first
        raise AlreadyReviewed("Your agency has already reviewed this access") from exc
    ledger_append(
        event=Event.ACCESS_REVIEW_RECORDED,
        actor=actor,
        subject=Subject(person_id=entry.subject_person_id, case_id=entry.subject_case_id),
        obj=review,
        details={
            "entry": str(entry.entry_id),
            "outcome": outcome,
            "reasons": [str(reason) for reason in reasons],
            "with_note": bool(note),
        },
    )
    return review
