"""Dates and times the GOV.UK way. Load with ``{% load datetimes %}``.

- ``{{ moment|govuk_time }}``: "9am", "4:05pm", "midday", "midnight", in UK time.
- ``{{ moment|govuk_datetime }}``: "8 December 2026, 4:05pm"; the argument is the Django date
  format of the date part (``{{ moment|govuk_datetime:"j M Y" }}`` -> "8 Dec 2026, 4:05pm").
  Never Django's "4:05 p.m." nor a UTC time beside a local one.
- ``is_date_input``, ``date_input``: what ``components/date_input.html`` draws for a
  ``safeshare.web.forms.dates.DateField`` (the three GOV.UK date boxes).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms, template
from django.utils.dateformat import format as date_format

from safeshare.web.forms.dates import DateField, DateInput, date_boxes
from safeshare.web.forms.times import format_time, uk_time

register = template.Library()

DATE_PART = "j F Y"


@register.filter
def govuk_time(value: dt.datetime | dt.time | None) -> str:
    """The time of day, GOV.UK style, in UK time; empty for nothing."""
    if value is None or value == "":
        return ""
    return format_time(value)


@register.filter
def govuk_datetime(value: dt.datetime | None, date_part: str = DATE_PART) -> str:
    """The UK date and time: "8 December 2026, 4:05pm"; empty for nothing."""
    if value is None or value == "":
        return ""
    local = uk_time(value)
    return f"{date_format(local, date_part)}, {format_time(local.time())}"


@register.filter
def is_date_input(field: forms.BoundField) -> bool:
    """Whether the field is asked with the three GOV.UK date boxes."""
    return isinstance(field.field, DateField) and isinstance(field.field.widget, DateInput)


@register.filter
def date_input(field: forms.BoundField) -> dict[str, Any]:
    """The boxes, the hint ("For example, 27 3 2016", after the field's own help text) and the
    fieldset's aria-describedby for a date field."""
    date_field = field.field
    assert isinstance(date_field, DateField)  # noqa: S101 - guarded by is_date_input
    own = str(date_field.help_text or "").strip()
    if own and own[-1] not in ".?!":
        own += "."
    hint = " ".join(part for part in (own, date_field.example) if part)
    described = [f"{field.auto_id}-hint"]
    if field.errors:
        described.append(f"{field.auto_id}-error")
    return {
        "boxes": date_boxes(field),
        "hint": hint,
        "hint_id": f"{field.auto_id}-hint",
        "error_id": f"{field.auto_id}-error",
        "describedby": " ".join(described),
        "group_id": field.auto_id,
    }
