"""NHS numbers as people read them (``{% load nhs %}``): ``{{ value|nhs_number }}`` shows ten
digits in groups of 3, 3 and 4 ("943 476 5919") with the one helper the whole app uses
(``people.nhs.format_nhs_number``, also behind ``Person.nhs_number_display``). For templates that
hold the number as a plain string (a request's or a contact's child as the sender identified
them); the API keeps the 10 digits."""

from __future__ import annotations

from django import template

from safeshare.people.nhs import format_nhs_number

register = template.Library()


@register.filter(name="nhs_number")
def nhs_number_filter(value: object) -> str:
    """Ten digits in groups of 3, 3 and 4; anything else (empty, not ten digits) as it is."""
    return format_nhs_number(str(value)) if value else ""
