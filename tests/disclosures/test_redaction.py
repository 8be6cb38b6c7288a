"""Redaction (pure): ranges inside the text, with reasons, never overlapping; the original words
never survive in a redacted segment."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeshare.disclosures import redaction as redaction_module
from safeshare.disclosures import render as render_module
from safeshare.disclosures.redaction import (
    Redaction,
    RedactionInvalid,
    Segment,
    apply,
    plain_text,
    ranges_of,
    segments_from_data,
    segments_to_data,
)

TEXT = "Fakemum said Mr Informant saw bruising on Monday."


def test_a_range_is_replaced_by_a_mark_with_its_reason() -> None:
    start = TEXT.index("Mr Informant")
    segments = apply(TEXT, [Redaction(start, start + len("Mr Informant"), "Identifies informant")])
    assert segments == (
        Segment("Fakemum said "),
        Segment("", redacted=True, reason="Identifies informant"),
        Segment(" saw bruising on Monday."),
    )
    assert plain_text(segments) == "Fakemum said [redacted] saw bruising on Monday."


def test_no_redaction_keeps_the_text_whole() -> None:
    assert apply(TEXT, []) == (Segment(TEXT),)


def test_ranges_are_applied_in_text_order_whatever_order_they_are_given() -> None:
    segments = apply("abcdef", [Redaction(4, 5, "second"), Redaction(0, 1, "first")])
    assert plain_text(segments, mark="#") == "#bcd#f"


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ([Redaction(-1, 2, "r")], "outside"),
        ([Redaction(2, 2, "r")], "outside"),
        ([Redaction(0, len(TEXT) + 1, "r")], "outside"),
        ([Redaction(0, 3, "  ")], "reason"),
        ([Redaction(0, 5, "a"), Redaction(4, 8, "b")], "overlaps"),
    ],
)
def test_bad_ranges_are_refused_with_a_message(ranges: list[Redaction], message: str) -> None:
    with pytest.raises(RedactionInvalid) as error:
        apply(TEXT, ranges)
    assert message in error.value.message


@given(
    text=st.text(min_size=1, max_size=60),
    cuts=st.lists(st.integers(min_value=0, max_value=60), min_size=2, max_size=8, unique=True),
)
def test_redacted_words_never_survive_and_the_rest_is_kept(text: str, cuts: list[int]) -> None:
    points = sorted(c for c in cuts if c <= len(text))
    ranges = [
        Redaction(points[i], points[i + 1], "reason")
        for i in range(0, len(points) - 1, 2)
        if points[i] < points[i + 1]
    ]
    segments = apply(text, ranges)
    kept = "".join(s.text for s in segments)
    expected = text
    for r in reversed(ranges):
        expected = expected[: r.start] + expected[r.end :]
    assert kept == expected
    assert sum(1 for s in segments if s.redacted) == len(ranges)
    assert all(s.text == "" for s in segments if s.redacted)
    assert segments_from_data(segments_to_data(segments)) == segments


@pytest.mark.parametrize("module", [redaction_module, render_module])
def test_pure_modules_import_no_django(module: object) -> None:
    tree = ast.parse(Path(str(getattr(module, "__file__", ""))).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "django" for name in imported)
    assert not any(
        name.startswith("safeshare.") and name != "safeshare.disclosures.redaction"
        for name in imported
    )


def test_ranges_of_finds_every_occurrence_and_merges_overlaps() -> None:
    text = "Fakechild said Fakechild was at the fake park; the fake park is near."
    assert ranges_of(text, ["Fakechild"]) == [(0, 9), (15, 24)]
    assert ranges_of(text, ["the fake park", "fake park is"]) == [(32, 45), (47, 63)]
    assert ranges_of(text, ["absent words"]) == []
