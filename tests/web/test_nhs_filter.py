"""The ``nhs_number`` template filter shows an NHS number in groups of 3, 3 and 4 digits."""

from __future__ import annotations

from django.template import Context, Template


def render(value: object) -> str:
    return Template("{% load nhs %}{{ value|nhs_number }}").render(Context({"value": value}))


def test_ten_digits_show_in_groups_of_three_three_and_four() -> None:
    assert render("4857773456") == "485 777 3456"


def test_an_empty_or_odd_value_shows_as_it_is() -> None:
    assert render("") == ""
    assert render(None) == ""
    assert render("12345") == "12345"
    assert render("<b>") == "&lt;b&gt;"
