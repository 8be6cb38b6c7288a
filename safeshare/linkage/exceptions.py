"""Errors of identity linkage and identity search (mapped to 4xx / the GOV.UK error summary)."""

from __future__ import annotations

from safeshare.core.exceptions import Conflict, ValidationFailed


class NoActiveLinkageModel(Conflict):
    """Identity search scores with the linkage model in use, and none has been made active."""

    def __init__(
        self,
        message: str = (
            "Identity search is not available yet: no linkage model is in use. "
            "Ask your information governance team to train and activate one."
        ),
        *,
        field: str | None = None,
    ) -> None:
        super().__init__(message, field=field)


class SearchQueryTooVague(ValidationFailed):
    """A search needs enough to find someone: an NHS number, or a name with a date of birth or
    a postcode."""


class LinkDecisionInvalid(ValidationFailed):
    """A clerical review decision or a linkage setting that cannot be accepted."""


class NotEnoughRecords(Conflict):
    """Training a linkage model needs records to learn from."""


class LinkAlreadyDecided(Conflict):
    """A pair in clerical review is decided once; a later decision is a new review."""

    def __init__(self, message: str = "This pair has already been decided") -> None:
        super().__init__(message)
