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


class PractitionerChangeInvalid(ValidationFailed):
    """An administrator's change to a practitioner is missing its reason or breaks a guard rail
    (their own account, the agency's last administrator)."""


class PractitionerStateConflict(Conflict):
    """Deactivating someone already deactivated, reactivating someone active, removing a role
    they do not hold."""
