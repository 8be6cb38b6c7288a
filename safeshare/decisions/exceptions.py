from safeshare.core.exceptions import Conflict, ValidationFailed


class DecisionInvalid(ValidationFailed):
    pass


class LawfulBasisMissing(ValidationFailed):
    pass


class ApprovalInvalid(Conflict):
    pass


class SelfApprovalRefused(Conflict):
    pass
