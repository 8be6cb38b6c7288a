"""The GOV.UK date input field: what people type in the three boxes, GOV.UK's messages, the
boxes at fault, and the round trip through one hidden input on a check-your-answers page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string

from safeshare.core import clock
from safeshare.web.forms.base import GovukForm
from safeshare.web.forms.dates import DateField, DateParts

NOW = dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC)


class BirthForm(GovukForm):
    date_of_birth = DateField(label="Date of birth", subject="Date of birth", past=True)
    review_on = DateField(label="Review date", subject="Review date", future=True, required=False)


def _form(**boxes: str) -> BirthForm:
    data = {}
    for key, value in boxes.items():
        name, part = key.rsplit("_", 1)
        data[f"{name}-{part}"] = value
    return BirthForm(data)


def _errors(form: BirthForm, name: str) -> list[str]:
    with clock.frozen(NOW):
        form.is_valid()
    return [str(error) for error in form.errors.get(name, [])]


def test_three_boxes_make_a_date() -> None:
    form = _form(date_of_birth_day="1", date_of_birth_month="4", date_of_birth_year="2016")
    with clock.frozen(NOW):
        assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == dt.date(2016, 4, 1)
    assert form.cleaned_data["review_on"] is None


def test_month_may_be_typed_as_a_name() -> None:
    form = _form(date_of_birth_day="01", date_of_birth_month="Apr", date_of_birth_year="2016")
    with clock.frozen(NOW):
        assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == dt.date(2016, 4, 1)


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "at_fault"),
    [
        ("", "", "", "Enter the date of birth", ("day", "month", "year")),
        ("1", "", "2016", "Date of birth must include a month", ("month",)),
        ("", "", "2016", "Date of birth must include a day and month", ("day", "month")),
        ("1", "", "", "Date of birth must include a month and year", ("month", "year")),
        ("31", "2", "2016", "Date of birth must be a real date", ("day",)),
        ("1", "13", "2016", "Date of birth must be a real date", ("month",)),
        ("x", "4", "2016", "Date of birth must be a real date", ("day",)),
        ("1", "4", "16", "Year must include 4 numbers", ("year",)),
        ("1", "4", "2027", "Date of birth must be in the past", ("day", "month", "year")),
    ],
)
def test_gov_uk_date_messages_name_the_boxes_at_fault(
    day: str, month: str, year: str, message: str, at_fault: tuple[str, ...]
) -> None:
    form = _form(date_of_birth_day=day, date_of_birth_month=month, date_of_birth_year=year)
    assert _errors(form, "date_of_birth") == [message]
    html = render_to_string("components/field.html", {"field": form["date_of_birth"]})
    for part in ("day", "month", "year"):
        box = html.split(f'id="id_date_of_birth-{part}"')[0].rsplit("<input", 1)[1]
        assert ("govuk-input--error" in box) is (part in at_fault), part
    # The error summary links to the first box at fault.
    summary = render_to_string("components/error_summary.html", {"form": form})
    assert f'href="#id_date_of_birth-{at_fault[0]}"' in summary


def test_future_only_date_refuses_yesterday() -> None:
    form = _form(
        date_of_birth_day="1",
        date_of_birth_month="4",
        date_of_birth_year="2016",
        review_on_day="7",
        review_on_month="12",
        review_on_year="2026",
    )
    assert _errors(form, "review_on") == ["Review date must be today or in the future"]


def test_today_is_not_refused_for_a_date_in_the_past_or_the_future() -> None:
    form = _form(
        date_of_birth_day="8",
        date_of_birth_month="12",
        date_of_birth_year="2026",
        review_on_day="8",
        review_on_month="12",
        review_on_year="2026",
    )
    with clock.frozen(NOW):
        assert form.is_valid(), form.errors


def test_a_wrong_date_is_shown_back_as_typed() -> None:
    form = _form(date_of_birth_day="31", date_of_birth_month="2", date_of_birth_year="2016")
    _errors(form, "date_of_birth")
    html = render_to_string("components/field.html", {"field": form["date_of_birth"]})
    assert 'name="date_of_birth-day" type="text" inputmode="numeric" value="31"' in html
    assert 'value="2"' in html
    assert 'value="2016"' in html
    assert "<legend" in html
    assert 'role="group"' in html
    assert "For example, 27 3 " in html
    assert 'type="date"' not in html


def test_check_your_answers_hidden_input_carries_the_date_back() -> None:
    """A check-your-answers page puts each answer in one hidden input named after the field
    (``input_value``); posting that back gives the same date."""
    form = _form(date_of_birth_day="1", date_of_birth_month="4", date_of_birth_year="2016")
    with clock.frozen(NOW):
        assert form.is_valid()
    hidden = render_to_string(
        "components/field.html",
        {"field": form["date_of_birth"]},
    )
    assert "date_of_birth-day" in hidden
    from safeshare.web.templatetags.govuk import input_value

    carried = input_value(form["date_of_birth"])
    assert carried == "2016-04-01"
    again = BirthForm({"date_of_birth": carried})
    with clock.frozen(NOW):
        assert again.is_valid(), again.errors
    assert again.cleaned_data["date_of_birth"] == dt.date(2016, 4, 1)
    # Changing the answers shows the boxes filled again.
    html = render_to_string("components/field.html", {"field": again["date_of_birth"]})
    assert 'value="1"' in html
    assert 'value="4"' in html


def test_unbound_form_shows_an_initial_date_in_the_boxes() -> None:
    form = BirthForm(initial={"date_of_birth": dt.date(2016, 4, 1), "review_on": "2027-01-05"})
    html = render_to_string("components/field.html", {"field": form["date_of_birth"]})
    assert 'name="date_of_birth-day" type="text" inputmode="numeric" value="1"' in html
    review = render_to_string("components/field.html", {"field": form["review_on"]})
    assert 'value="5"' in review
    assert 'value="2027"' in review
    assert "Review date (optional)" in review


def test_parts_of_text() -> None:
    assert DateParts.of("2016-04-01") == DateParts("1", "4", "2016")
    assert DateParts.of(DateParts("1", "4", "2016")).as_text() == "2016-04-01"
    assert DateParts.of("") == DateParts()
    assert DateParts("x", "4", "2016").as_text() == "2016-4-x"
