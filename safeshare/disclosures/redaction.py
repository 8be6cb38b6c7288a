"""Redaction of an item's text (pure: no Django).

A redaction is a character range of the original text with a reason. Ranges must lie inside the
text, be non-empty, carry a reason and not overlap. Applying them cuts the text into segments:
plain text, and redacted parts that keep only the reason, so the original words never travel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class RedactionInvalid(ValueError):
    """A redaction range is out of bounds, empty, overlapping or has no reason."""

    def __init__(self, message: str, *, index: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.index = index


@dataclass(frozen=True)
class Redaction:
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Segment:
    """A piece of disclosed text: either the words as shared, or a mark where words were
    removed (``redacted``), with the reason shown in their place."""

    text: str
    redacted: bool = False
    reason: str = ""


def validate(text: str, redactions: Iterable[Redaction]) -> tuple[Redaction, ...]:
    """The redactions in text order, or RedactionInvalid naming the first bad one."""
    ordered = sorted(enumerate(redactions), key=lambda pair: (pair[1].start, pair[1].end))
    previous_end = 0
    for index, redaction in ordered:
        if not 0 <= redaction.start < redaction.end <= len(text):
            raise RedactionInvalid(
                f"Redaction {index + 1} is outside the text (0 to {len(text)})", index=index
            )
        if not redaction.reason.strip():
            raise RedactionInvalid(f"Give the reason for redaction {index + 1}", index=index)
        if redaction.start < previous_end:
            raise RedactionInvalid(f"Redaction {index + 1} overlaps another", index=index)
        previous_end = redaction.end
    return tuple(redaction for _, redaction in ordered)


def apply(text: str, redactions: Iterable[Redaction]) -> tuple[Segment, ...]:
    """The text cut into segments, each redacted range replaced by a mark with its reason."""
    segments: list[Segment] = []
    position = 0
    for redaction in validate(text, redactions):
        if redaction.start > position:
            segments.append(Segment(text[position : redaction.start]))
        segments.append(Segment("", redacted=True, reason=redaction.reason.strip()))
        position = redaction.end
    if position < len(text) or not segments:
        segments.append(Segment(text[position:]))
    return tuple(segments)


def plain_text(segments: Sequence[Segment], mark: str = "[redacted]") -> str:
    """The disclosed text as one string, each redaction shown as ``mark``."""
    return "".join(mark if segment.redacted else segment.text for segment in segments)


def segments_to_data(segments: Sequence[Segment]) -> list[dict[str, Any]]:
    return [
        {"text": s.text, "redacted": s.redacted, "reason": s.reason}
        if s.redacted
        else {"text": s.text}
        for s in segments
    ]


def segments_from_data(data: Iterable[Mapping[str, Any]]) -> tuple[Segment, ...]:
    return tuple(
        Segment(
            text=str(part.get("text", "")),
            redacted=bool(part.get("redacted", False)),
            reason=str(part.get("reason", "")),
        )
        for part in data
    )


def ranges_of(text: str, wanted: Sequence[str]) -> list[tuple[int, int]]:
    """Every occurrence of every phrase in ``text``, overlapping ones merged, in text order."""
    found: list[tuple[int, int]] = []
    for phrase in wanted:
        start = text.find(phrase)
        while start != -1:
            found.append((start, start + len(phrase)))
            start = text.find(phrase, start + len(phrase))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
