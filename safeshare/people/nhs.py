"""NHS number validation (pure): ten digits, the last a modulus-11 check digit."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s-]")


class InvalidNhsNumber(ValueError):
    pass


def normalise_nhs_number(raw: str) -> str:
    """Strip spaces and hyphens; return the 10 digits or raise InvalidNhsNumber with the reason."""
    digits = _SEPARATORS.sub("", raw or "")
    if not digits.isdigit() or len(digits) != 10:
        raise InvalidNhsNumber("An NHS number must be 10 digits")
    expected = check_digit(digits[:9])
    if expected is None or expected != int(digits[9]):
        raise InvalidNhsNumber("Enter a valid NHS number (the check digit does not match)")
    return digits


def check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or None when no valid number exists."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    remainder = 11 - (total % 11)
    if remainder == 11:
        return 0
    if remainder == 10:
        return None
    return remainder


def is_valid_nhs_number(raw: str) -> bool:
    try:
        normalise_nhs_number(raw)
    except InvalidNhsNumber:
        return False
    return True


def format_nhs_number(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits
