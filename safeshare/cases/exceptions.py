from safeshare.core.exceptions import Conflict, ValidationFailed


class CaseInvalid(ValidationFailed):
    pass


class CaseClosed(Conflict):
    pass


class ItemInvalid(ValidationFailed):
    pass


class InvolvementInvalid(ValidationFailed):
    pass


class AllocationInvalid(ValidationFailed):
    pass


class AllocationEnded(Conflict):
    """The allocation has already ended (it cannot be ended or reallocated again)."""


class InvolvementEnded(Conflict):
    """The involvement has already ended."""
