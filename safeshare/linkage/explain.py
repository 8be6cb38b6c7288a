"""The linkage model's evidence in plain words, for the clerical review queue.

Pure: no Django. A comparison's match weight is the log2 of how much more likely its outcome is
for two records of the same person than for two different people, so +4 means 16 times more
likely to be the same person, and -4 means 16 times more likely to be different people.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

STRONG_FOR = "Strong evidence they are the same person"
SOME_FOR = "Some evidence they are the same person"
LITTLE = "Little evidence either way"
SOME_AGAINST = "Some evidence they are different people"
STRONG_AGAINST = "Strong evidence they are different people"

# Lower bounds (inclusive) of each band, strongest first.
_BANDS: tuple[tuple[float, str], ...] = (
    (4.0, STRONG_FOR),
    (1.0, SOME_FOR),
    (-1.0, LITTLE),
    (-4.0, SOME_AGAINST),
)


def evidence_words(weight: float) -> str:
    """What a comparison's match weight means, in plain words.

    4 or more: strong evidence for; 1 to 4: some evidence for; -1 to 1: little either way;
    -4 to -1: some evidence against; -4 or less: strong evidence against.
    """
    if weight <= -4.0:
        return STRONG_AGAINST
    return next((words for lower, words in _BANDS if weight >= lower), SOME_AGAINST)


def evidence_direction(weight: float) -> str:
    """``for``, ``neutral`` or ``against``: for a tag colour or a machine reader."""
    if weight >= 1.0:
        return "for"
    if weight > -1.0:
        return "neutral"
    return "against"


@dataclass(frozen=True)
class Evidence:
    """One row of the evidence table: the comparison, what the records show, what that means."""

    comparison: str
    level: str
    weight: float
    words: str
    direction: str


def evidence_rows(comparisons: Iterable[Mapping[str, Any]]) -> list[Evidence]:
    """The stored ``CandidatePair.comparisons`` as evidence rows (labels and weights only)."""
    rows = []
    for item in comparisons:
        weight = float(item.get("weight", 0.0))
        rows.append(
            Evidence(
                comparison=str(item.get("comparison", "")),
                level=str(item.get("level", "")),
                weight=weight,
                words=evidence_words(weight),
                direction=evidence_direction(weight),
            )
        )
    return rows


def probability_percent(probability: float) -> str:
    """A match probability as a percentage with one decimal place, rounded down so that a
    near-certain match never reads as certain ("99.9%", not "100%")."""
    tenths = math.floor(probability * 1000 + 1e-9)
    return f"{tenths / 10:.1f}%"


class AddressLike(Protocol):
    postcode: str
    lived_to: dt.date | None
    is_protected: bool


def shown_postcode(addresses: Iterable[AddressLike]) -> str | None:
    """The current postcode a reviewer may see: the first current address that is not protected.

    A protected address (a refuge, for instance) is never shown, not even its postcode.
    """
    for address in addresses:
        if address.lived_to is None and not address.is_protected:
            return address.postcode
    return None
