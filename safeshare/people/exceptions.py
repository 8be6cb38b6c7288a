from safeshare.core.exceptions import ValidationFailed


class NhsNumberInvalid(ValidationFailed):
    pass


class PersonInvalid(ValidationFailed):
    pass
