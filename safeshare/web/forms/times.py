"""Times of day as people type them, and as GOV.UK writes them.

Reading: "9:30am", "9.30am", "9:30 a.m.", "21:30", "21.30", "0930", "9am", "9 pm", "noon",
"midday" and "midnight" are all understood; "12am" is midnight and "12pm" midday. A bare hour
("9") or anything else is refused, because it could mean two times.

Writing, in the GOV.UK style (https://www.gov.uk/guidance/style-guide/a-to-z#times): "9am",
"4:05pm", "midday", "midnight"; never "4:05p.m.", "16:05" or "12pm". Moments are always shown in
UK time (Europe/London), whatever the database stores.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError

UK = ZoneInfo("Europe/London")

_WORDS = {"noon": dt.time(12, 0), "midday": dt.time(12, 0), "midnight": dt.time(0, 0)}
# hours, then optional minutes after ":" or ".", then optional am/pm ("a.m.", "AM", "pm").
_CLOCK = re.compile(
    r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?(?:\s*(?P<half>[ap])\.?\s*m\.?)?"
)
_FOUR_DIGITS = re.compile(r"(?P<hour>[0-9]{2})(?P<minute>[0-9]{2})")


def parse_time(text: str) -> dt.time | None:
    """The time of day in ``text``, or None when it is not one (or could be two)."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in _WORDS:
        return _WORDS[cleaned]
    if cleaned.startswith("12 ") and cleaned[3:] in _WORDS:  # "12 noon", "12 midnight"
        return _WORDS[cleaned[3:]]
    four = _FOUR_DIGITS.fullmatch(cleaned)
    if four is not None:
        return _clock(int(four["hour"]), int(four["minute"]))
    match = _CLOCK.fullmatch(cleaned)
    if match is None:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"]) if match["minute"] is not None else 0
    if match["half"] is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"] == "p" else 0)
    elif match["minute"] is None:
        return None  # "9": morning or evening?
    return _clock(hour, minute)


def _clock(hour: int, minute: int) -> dt.time | None:
    if 0 <= hour <= 23 and 0 <= minute <= 59:
        return dt.time(hour, minute)
    return None


def format_time(value: dt.time | dt.datetime) -> str:
    """ "9am", "4:05pm", "midday", "midnight"; a moment is first put in UK time."""
    if isinstance(value, dt.datetime):
        value = uk_time(value).time()
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    half = "am" if value.hour < 12 else "pm"
    if value.minute == 0:
        return f"{hour}{half}"
    return f"{hour}:{value.minute:02d}{half}"


def uk_time(moment: dt.datetime) -> dt.datetime:
    """The moment on UK clocks (GMT or BST); a naive one is taken to be UK time already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UK)
    return moment.astimezone(UK)


class TimeField(forms.Field):
    """A time of day typed in one box, read with ``parse_time``."""

    widget = forms.TextInput

    def __init__(self, *, subject: str, **kwargs: Any) -> None:
        messages = {
            "required": f"Enter the {subject}",
            "invalid": f"Enter the {subject} as a real time, for example 9:30am or 21:30",
        }
        messages.update(kwargs.pop("error_messages", None) or {})
        kwargs.setdefault("help_text", "For example, 9:30am or 21:30")
        super().__init__(error_messages=messages, **kwargs)
        self.widget.attrs.setdefault("spellcheck", "false")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value: Any) -> dt.time | None:
        if isinstance(value, dt.time):
            return value
        if value in self.empty_values:
            return None
        parsed = parse_time(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed

    def prepare_value(self, value: Any) -> Any:
        """An initial time shows as it would be typed back ("9:30am")."""
        if isinstance(value, dt.time):
            return format_time(value)
        return value
