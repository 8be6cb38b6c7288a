from safeshare.core.exceptions import Conflict, ValidationFailed


class AgencyNameTaken(Conflict):
    pass


class UsernameTaken(Conflict):
    pass


class AgreementInvalid(ValidationFailed):
    pass


class AgreementTransitionInvalid(Conflict):
    pass


class RoleInvalid(ValidationFailed):
    pass


class AuthenticatorResetInvalid(ValidationFailed):
    pass
