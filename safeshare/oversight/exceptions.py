from safeshare.core.exceptions import Conflict, ValidationFailed


class NotificationsInvalid(ValidationFailed):
    pass


class ReviewInvalid(ValidationFailed):
    pass


class ReadNotFlagged(Conflict):
    """The read was not flagged by any unusual-access rule, so there is nothing to review."""


class AlreadyReviewed(Conflict):
    pass
