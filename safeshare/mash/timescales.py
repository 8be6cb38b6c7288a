"""MASH timescales (pure: no Django), in one place.

- **RAG rating**: within ``RATING_WITHIN`` (2 hours) of the contact being received. A first look
  at every contact, so that a child at immediate risk is never left in the queue behind others.
- **Partner enquiries**: answered within ``ENQUIRY_WITHIN`` (24 hours) of being sent. This is the
  ``within_24_hours`` urgency of an information request, so the partner's clock is the request's.
- **Decision on the type of response**: within one working day of receipt (Working Together to
  Safeguard Children 2023: "within one working day of a referral being received, a local
  authority social worker should make a decision about the type of response that is needed").
  A red rating shortens it to ``RED_DECISION_WITHIN`` (4 hours, the same day): a child who may be
  suffering significant harm cannot wait until tomorrow.

Rating values are the plain strings the models use (``red``, ``amber``, ``green``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from safeshare.core.workdays import add_working_days

RATING_WITHIN = dt.timedelta(hours=2)
ENQUIRY_WITHIN = dt.timedelta(hours=24)
RED_DECISION_WITHIN = dt.timedelta(hours=4)
DECISION_WORKING_DAYS = 1

RED = "red"


class TimescaleState(StrEnum):
    """Where a step stands against its timescale."""

    ON_TIME = "on_time"  # not done yet, not due yet
    OVERDUE = "overdue"  # not done, past its time
    MET = "met"  # done in time
    MET_LATE = "met_late"  # done, but after its time


STATE_LABELS: dict[TimescaleState, str] = {
    TimescaleState.ON_TIME: "Due",
    TimescaleState.OVERDUE: "Overdue",
    TimescaleState.MET: "Done on time",
    TimescaleState.MET_LATE: "Done late",
}


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("MASH timescales need aware datetimes")
    return moment


def rating_due(received_at: dt.datetime) -> dt.datetime:
    """When the RAG rating is due: 2 hours after the contact was received."""
    return _aware(received_at) + RATING_WITHIN


def enquiry_due(sent_at: dt.datetime) -> dt.datetime:
    """When a partner agency's answer to a MASH enquiry is due: 24 hours after it was sent."""
    return _aware(sent_at) + ENQUIRY_WITHIN


def decision_due(received_at: dt.datetime, rating: str = "") -> dt.datetime:
    """When the decision on the type of response is due: one working day after receipt, or
    4 hours after receipt for a contact rated red."""
    _aware(received_at)
    if rating == RED:
        return received_at + RED_DECISION_WITHIN
    return add_working_days(received_at, DECISION_WORKING_DAYS)


def timescale_state(
    due_at: dt.datetime, *, done_at: dt.datetime | None, now: dt.datetime
) -> TimescaleState:
    """On time, overdue, met or met late."""
    if done_at is None:
        return TimescaleState.OVERDUE if now > due_at else TimescaleState.ON_TIME
    return TimescaleState.MET_LATE if done_at > due_at else TimescaleState.MET
