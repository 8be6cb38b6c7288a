"""Shared input types, error bodies and the small references embedded in other outputs."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StrictStr, StringConstraints

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Control characters other than tab, line feed and carriage return have no place in a record (and
# PostgreSQL refuses NUL in text columns).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _iso_date_only(value: Any) -> Any:
    """Accept a date, or a string written YYYY-MM-DD; refuse numbers and date-times."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError("Enter a date as YYYY-MM-DD")


def _printable(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("Remove control characters from the text")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


# Strict strings (a number is not a name) of bounded length, without control characters.
Text12 = Annotated[StrictStr, StringConstraints(max_length=12), AfterValidator(_printable)]
Text50 = Annotated[StrictStr, StringConstraints(max_length=50), AfterValidator(_printable)]
Text100 = Annotated[StrictStr, StringConstraints(max_length=100), AfterValidator(_printable)]
Text200 = Annotated[StrictStr, StringConstraints(max_length=200), AfterValidator(_printable)]
Text500 = Annotated[StrictStr, StringConstraints(max_length=500), AfterValidator(_printable)]
Text1000 = Annotated[StrictStr, StringConstraints(max_length=1000), AfterValidator(_printable)]
Text20000 = Annotated[StrictStr, StringConstraints(max_length=20000), AfterValidator(_printable)]


class InputSchema(Schema):
    """Base for request bodies: unknown fields are refused, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


# --- Errors --------------------------------------------------------------------------------------


class ErrorOut(Schema):
    """Every error: a message for a person, and the input at fault when there is one."""

    detail: str
    field: str | None = None


class ValidationIssueOut(Schema):
    """One problem with the request: where (``loc``, e.g. ["body", "payload", "nhs_number"])."""

    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    """422: either a list of input problems (schema) or one domain rule broken (``field``)."""

    detail: str | list[ValidationIssueOut]
    field: str | None = None


# --- References embedded in other outputs --------------------------------------------------------


class AgencyRefOut(Schema):
    id: uuid.UUID
    name: str


class PractitionerRefOut(Schema):
    id: uuid.UUID
    full_name: str
    job_title: str


class PersonRefOut(Schema):
    """A person as named in a list or on a case: identifiers, no contact details."""

    id: uuid.UUID
    display_name: str
    date_of_birth: dt.date | None
    is_unborn: bool
