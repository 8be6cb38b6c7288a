"""Domain errors. Interfaces map them to a 4xx response or a GOV.UK error summary."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the operation; nothing was changed.

    ``field`` names the input at fault when there is one, so forms and the API can point at it.
    """

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The record does not exist, or the actor may not know that it exists. Never say which."""

    status_code = 404

    def __init__(self, message: str = "Not found", *, field: str | None = None) -> None:
        super().__init__(message, field=field)


class PermissionDenied(DomainError):
    """The actor may see the record but may not do this to it (the record's existence is known)."""

    status_code = 403


class ValidationFailed(DomainError):
    """Input is well-formed but breaks a rule (bad NHS number, end before start...)."""

    status_code = 422


class Conflict(DomainError):
    """The operation clashes with the current state (duplicate reference, already closed...)."""

    status_code = 409
