"""A GOV.UK date input: day, month and year boxes in a fieldset, as one Django form field.

The GOV.UK Design System asks for dates that people know (a date of birth, the day something
happened) with three boxes, never a date picker, and names the problem in set words
(https://design-system.service.gov.uk/components/date-input/):

- nothing entered: "Enter the date of birth" (each form gives its own "Enter ..." message);
- part missing: "Date of birth must include a month" (or "a day and month", ...);
- a date that cannot be: "Date of birth must be a real date"; a year of other than 4 numbers:
  "Year must include 4 numbers";
- a date on the wrong side of today, where the question says so: "Date of birth must be in the
  past", "... must be today or in the future".

The boxes post ``<name>-day``, ``<name>-month`` and ``<name>-year``. A form that carries its
answers in one hidden input per field (a "check your answers" page) gets the date back as
``<name>`` = ``yyyy-mm-dd`` (``DateInput.format_value``), which the widget reads when the boxes
are absent, so those pages need nothing special. The boxes are rendered by
``components/date_input.html`` (``components/field.html`` hands over to it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safeshare.core import clock

PARTS = ("day", "month", "year")
_WIDTHS = {"day": 2, "month": 2, "year": 4}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class DateParts:
    """What was typed in the three boxes, as typed (trimmed)."""

    day: str = ""
    month: str = ""
    year: str = ""

    @classmethod
    def of(cls, value: object) -> DateParts:
        """The boxes' contents for a value: parts, a date, or ``yyyy-mm-dd`` text."""
        if isinstance(value, DateParts):
            return value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(str(value.day), str(value.month), str(value.year))
        if value is None:
            return cls()
        text = str(value).strip()
        if not text:
            return cls()
        pieces = text.split("-")
        if len(pieces) != 3:
            return cls(day=text)  # not a date at all: "must be a real date"
        year, month, day = (_plain(piece.strip()) for piece in pieces)
        return cls(day, month, year)

    def get(self, part: str) -> str:
        value: str = getattr(self, part)
        return value

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(part for part in PARTS if not self.get(part))

    def as_text(self) -> str:
        """``yyyy-mm-dd`` (zero-padded when the parts are numbers), for one hidden input."""
        if not any(self.get(part) for part in PARTS):
            return ""
        day, month, year = self.day, self.month, self.year
        if _DIGITS.fullmatch(day) and _DIGITS.fullmatch(month) and _DIGITS.fullmatch(year):
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{month}-{day}"


def _plain(text: str) -> str:
    """A number without its leading zeros ("04" -> "4"), as someone would type it in a box."""
    return str(int(text)) if _DIGITS.fullmatch(text) and len(text) <= 4 else text


def _month(text: str) -> int | None:
    if _DIGITS.fullmatch(text):
        return int(text)
    return _MONTHS.get(text.lower().rstrip("."))


def _joined(parts: tuple[str, ...]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


class DateInput(forms.Widget):
    """Three boxes: day, month, year. ``error_parts`` says which boxes the last error is about
    (set by ``DateField`` as it cleans; empty means the whole date), so the boxes at fault get
    the error style and the error summary links to the first of them."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.error_parts: tuple[str, ...] = ()

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        boxes = [data.get(f"{name}-{part}") for part in PARTS]
        if all(box is None for box in boxes):
            single = data.get(name)  # the date carried in one hidden input
            return None if single is None else DateParts.of(single)
        return DateParts(*(str(box or "").strip() for box in boxes))

    def value_omitted_from_data(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        return name not in data and all(f"{name}-{part}" not in data for part in PARTS)

    def format_value(self, value: Any) -> str | None:
        """The date as one ``yyyy-mm-dd`` value (a hidden input on a check-your-answers page)."""
        text = DateParts.of(value).as_text()
        return text or None

    def id_for_label(self, id_: str) -> str:
        if not id_:
            return ""
        first = self.error_parts[0] if self.error_parts else PARTS[0]
        return f"{id_}-{first}"


class DateField(forms.Field):
    """A date asked for with ``DateInput`` and checked with GOV.UK's date input messages.

    ``subject`` starts the messages ("Date of birth" -> "Date of birth must be a real date");
    ``required`` gets its own "Enter ..." message through ``error_messages``. ``past`` and
    ``future`` are for questions whose answer can only be today or before ("must be in the
    past", the words the services use for a date of birth), or today and after:
    the date a record says something happened, not a rule of the service (those stay in the
    services, whose errors the views put on the field).
    """

    widget = DateInput

    def __init__(
        self,
        *,
        subject: str,
        past: bool = False,
        future: bool = False,
        example: str = "",
        **kwargs: Any,
    ) -> None:
        messages = {"required": f"Enter the {subject[:1].lower()}{subject[1:]}"}
        messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(error_messages=messages, **kwargs)
        self.subject = subject
        self.past = past
        self.future = future
        self.example = example or self._example()

    def _example(self) -> str:
        year = clock.today().year
        if self.past:
            year -= 10
        elif self.future:
            year += 1
        return f"For example, 27 3 {year}"

    @property
    def date_widget(self) -> DateInput:
        widget = self.widget
        assert isinstance(widget, DateInput)  # noqa: S101 - the field's own widget
        return widget

    def _error(self, message: str, code: str, parts: tuple[str, ...] = ()) -> ValidationError:
        self.date_widget.error_parts = parts
        return ValidationError(message, code=code)

    def to_python(self, value: Any) -> dt.date | None:
        self.date_widget.error_parts = ()
        try:
            return _parse(value, subject=self.subject)
        except _Problem as problem:
            raise self._error(problem.message, problem.code, problem.parts) from None

    def validate(self, value: Any) -> None:
        if value in self.empty_values and self.required:
            raise self._error(str(self.error_messages["required"]), "required")
        if value is None:
            return
        today = clock.today()
        if self.past and value > today:
            raise self._error(f"{self.subject} must be in the past", "past")
        if self.future and value < today:
            raise self._error(f"{self.subject} must be today or in the future", "future")

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return _parse(data, subject=self.subject) != _parse(initial, subject=self.subject)
        except _Problem:
            return True


class _Problem(Exception):
    def __init__(self, message: str, code: str, parts: tuple[str, ...]) -> None:
        super().__init__(message)
        self.message, self.code, self.parts = message, code, parts


def _parse(value: Any, *, subject: str) -> dt.date | None:
    """The date in ``value`` (parts, text or a date); None when nothing was entered."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    parts = DateParts.of(value)
    missing = parts.missing
    if len(missing) == len(PARTS):
        return None
    if missing:
        raise _Problem(f"{subject} must include a {_joined(missing)}", "incomplete", missing)
    month = _month(parts.month)
    wrong = tuple(
        part
        for part, ok in (
            ("day", _DIGITS.fullmatch(parts.day) is not None),
            ("month", month is not None),
            ("year", _DIGITS.fullmatch(parts.year) is not None),
        )
        if not ok
    )
    if wrong:
        raise _Problem(f"{subject} must be a real date", "invalid", wrong)
    if len(parts.year) != 4:
        raise _Problem("Year must include 4 numbers", "year", ("year",))
    assert month is not None  # noqa: S101 - checked above
    if not 1 <= month <= 12:
        raise _Problem(f"{subject} must be a real date", "invalid", ("month",))
    if int(parts.year) < 1:
        raise _Problem(f"{subject} must be a real date", "invalid", ("year",))
    try:
        return dt.date(int(parts.year), month, int(parts.day))
    except ValueError:
        raise _Problem(f"{subject} must be a real date", "invalid", ("day",)) from None


@dataclass(frozen=True)
class Box:
    """One of the three boxes, as components/date_input.html draws it."""

    part: str
    id: str
    name: str
    label: str
    value: str
    width: int
    error: bool


def date_boxes(field: forms.BoundField) -> list[Box]:
    """The day, month and year boxes of a bound ``DateField``: ids, names, what to show in them,
    and which are at fault (all of them when the error is about the whole date)."""
    widget = field.field.widget
    assert isinstance(widget, DateInput)  # noqa: S101 - only called for DateInput fields
    parts = DateParts.of(field.value())
    at_fault = set(widget.error_parts or PARTS) if field.errors else set()
    return [
        Box(
            part=part,
            id=f"{field.auto_id}-{part}",
            name=f"{field.html_name}-{part}",
            label=part.capitalize(),
            value=parts.get(part),
            width=_WIDTHS[part],
            error=part in at_fault,
        )
        for part in PARTS
    ]
