from safeshare.core.exceptions import Conflict, ValidationFailed


class NhsNumberInvalid(ValidationFailed):
    pass


class PersonInvalid(ValidationFailed):
    pass


class AlreadyEnded(Conflict):
    """The address or contact detail already has an end date."""
