from safeshare.core.exceptions import Conflict, ValidationFailed


class ConsentInvalid(ValidationFailed):
    """The consent, refusal or "not sought" record breaks a rule (missing scope, bad dates...)."""


class ConsentPersonNotHeld(ValidationFailed):
    """The person is not held by the practitioner's agency."""


class ConsentNotWithdrawable(Conflict):
    """Only a consent that was given, and not already withdrawn, can be withdrawn."""


class ConsentRecallInvalid(ValidationFailed):
    """A recall names no shared record."""
