"""NHS number validation: modulus-11 check digit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeshare.people.nhs import (
    InvalidNhsNumber,
    check_digit,
    format_nhs_number,
    is_valid_nhs_number,
    normalise_nhs_number,
)


@pytest.mark.parametrize("raw", ["9434765919", "943 476 5919", "943-476-5919", "9990000018"])
def test_valid_numbers_are_accepted_and_normalised(raw: str) -> None:
    assert normalise_nhs_number(raw) == raw.replace(" ", "").replace("-", "")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("9434765918", "check digit"),
        ("943476591", "10 digits"),
        ("94347659190", "10 digits"),
        ("94347659A9", "10 digits"),
        ("", "10 digits"),
    ],
)
def test_invalid_numbers_are_refused_with_the_reason(raw: str, message: str) -> None:
    with pytest.raises(InvalidNhsNumber, match=message):
        normalise_nhs_number(raw)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_final_digit_is_valid_unless_none_is(first_nine: str) -> None:
    valid = [d for d in "0123456789" if is_valid_nhs_number(first_nine + d)]
    expected = check_digit(first_nine)
    assert valid == ([] if expected is None else [str(expected)])


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 8))
def test_any_single_digit_change_is_caught(first_nine: str, position: int) -> None:
    digit = check_digit(first_nine)
    if digit is None:
        return
    number = first_nine + str(digit)
    changed = number[:position] + str((int(number[position]) + 1) % 10) + number[position + 1 :]
    assert not is_valid_nhs_number(changed)


def test_display_format_groups_three_three_four() -> None:
    assert format_nhs_number("9434765919") == "943 476 5919"
