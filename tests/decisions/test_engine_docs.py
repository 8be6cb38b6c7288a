"""The decision engine's how-to lists every rule of the current version and every situation of
the guidance table, so that what a reader is told is what the code does."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeshare.decisions.engine import CURRENT_VERSION
from safeshare.decisions.engine.rules import rule_set
from tests.decisions.test_guidance_table import ROWS

DOC = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "decision-engine.md"


@pytest.fixture(scope="module")
def current_section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"## The rules of {CURRENT_VERSION} in plain words")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_every_rule_of_the_current_version_is_in_the_how_to(current_section: str) -> None:
    missing = [
        row.id
        for row in rule_set(CURRENT_VERSION).rows()
        if f"| {row.id} | {row.text.replace('|', chr(92) + '|')} |" not in current_section
    ]
    assert missing == []


def test_every_guidance_situation_is_in_the_how_to_with_its_advice(current_section: str) -> None:
    missing = [row.id for row in ROWS if f"| `{row.id}`: " not in current_section]
    assert missing == []
