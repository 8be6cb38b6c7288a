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
