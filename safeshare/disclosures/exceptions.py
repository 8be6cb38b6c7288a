from safeshare.core.exceptions import Conflict, ValidationFailed


class RequestInvalid(ValidationFailed):
    pass


class RequestTransitionInvalid(Conflict):
    """The request is not in a state that allows this (already answered, refused...)."""


class DisclosureInvalid(ValidationFailed):
    pass


class DecisionDoesNotAllowSharing(ValidationFailed):
    """The decision's outcome does not allow sharing, it awaits approval, it was declined, it is
    about another case, or it has been reconsidered."""


class RecipientNotEntitled(ValidationFailed):
    """The recipient is not a named practitioner of an agency entitled to receive."""


class ItemNotInCase(ValidationFailed):
    """An item (or address) from another case cannot be part of this disclosure."""


class ProtectedContentRefused(ValidationFailed):
    """Third-party content or a protected address without a reasoned inclusion, or a protected
    address to someone recorded (in any case) as alleged perpetrator."""


class DisclosureTransitionInvalid(Conflict):
    """The disclosure is not in a state that allows this (revoked, expired, out of order)."""


class AfterSharingInvalid(ValidationFailed):
    """A step after sharing (telling the individual, a correction, a recall) breaks a rule."""
