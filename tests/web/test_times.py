"""Times of day: read as people type them, written GOV.UK style in UK time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from safeshare.web.forms.base import GovukForm
from safeshare.web.forms.times import TimeField, format_time, parse_time


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9:30am", dt.time(9, 30)),
        ("9.30am", dt.time(9, 30)),
        ("9:30 a.m.", dt.time(9, 30)),
        ("9.30 PM", dt.time(21, 30)),
        ("21:30", dt.time(21, 30)),
        ("21.30", dt.time(21, 30)),
        ("09:05", dt.time(9, 5)),
        ("0930", dt.time(9, 30)),
        ("9pm", dt.time(21, 0)),
        ("9 pm", dt.time(21, 0)),
        ("noon", dt.time(12, 0)),
        ("Midday", dt.time(12, 0)),
        ("12 noon", dt.time(12, 0)),
        ("midnight", dt.time(0, 0)),
        ("12am", dt.time(0, 0)),
        ("12pm", dt.time(12, 0)),
        ("12:15am", dt.time(0, 15)),
        ("  4:05pm ", dt.time(16, 5)),
    ],
)
def test_times_are_read_as_people_type_them(typed: str, expected: dt.time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    "typed", ["9", "21", "13pm", "0am", "24:00", "9:60", "9m", "half nine", "", "9:5pm"]
)
def test_what_is_not_one_time_is_refused(typed: str) -> None:
    assert parse_time(typed) is None


@pytest.mark.parametrize(
    ("time", "shown"),
    [
        (dt.time(9, 0), "9am"),
        (dt.time(16, 5), "4:05pm"),
        (dt.time(12, 0), "midday"),
        (dt.time(0, 0), "midnight"),
        (dt.time(0, 30), "12:30am"),
        (dt.time(12, 45), "12:45pm"),
    ],
)
def test_times_are_written_gov_uk_style(time: dt.time, shown: str) -> None:
    assert format_time(time) == shown


def test_moments_are_shown_in_uk_time_summer_and_winter() -> None:
    summer = dt.datetime(2026, 7, 1, 15, 5, tzinfo=dt.UTC)  # 4:05pm BST
    winter = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)  # 9am GMT
    template = Template(
        "{% load datetimes %}{{ summer|govuk_datetime }}|{{ winter|govuk_time }}|"
        '{{ summer|govuk_datetime:"j M Y" }}|{{ nothing|govuk_datetime }}'
    )
    shown = template.render(Context({"summer": summer, "winter": winter, "nothing": None}))
    assert shown == "1 July 2026, 4:05pm|9am|1 Jul 2026, 4:05pm|"
    assert "p.m." not in shown


class TimeForm(GovukForm):
    at = TimeField(label="Time received", subject="time the contact was received")


def test_time_field_reads_a_typed_time_and_names_a_wrong_one() -> None:
    good = TimeForm({"at": "9.30am"})
    assert good.is_valid()
    assert good.cleaned_data["at"] == dt.time(9, 30)
    missing = TimeForm({"at": ""})
    assert not missing.is_valid()
    assert missing.errors["at"] == ["Enter the time the contact was received"]
    wrong = TimeForm({"at": "9"})
    assert not wrong.is_valid()
    assert wrong.errors["at"] == [
        "Enter the time the contact was received as a real time, for example 9:30am or 21:30"
    ]


def test_initial_time_is_shown_as_it_would_be_typed() -> None:
    form = TimeForm(initial={"at": dt.time(14, 0)})
    assert form["at"].value() == "2pm"
