from safeshare.core.exceptions import Conflict, ValidationFailed


class MashContactInvalid(ValidationFailed):
    pass


class MashEnquiryInvalid(ValidationFailed):
    pass


class MashContactTransitionInvalid(Conflict):
    """The contact is not in a state that allows this (already decided, closed...)."""
