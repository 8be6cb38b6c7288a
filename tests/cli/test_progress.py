"""The command line's progress lines: counts, percentages and a rate that means something."""

from __future__ import annotations

import io

import pytest

from safeshare.cli.management import ProgressLine, StageProgress


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("safeshare.cli.management.time.monotonic", fake)
    return fake


def test_a_line_reports_every_tenth_when_not_on_a_terminal(clock: Clock) -> None:
    out = io.StringIO()
    line = ProgressLine(out, "verifying", unit="leaves")
    for done in range(0, 101, 5):
        clock.now += 0.01
        line.update(done, 100)
    lines = out.getvalue().splitlines()
    assert len(lines) == 11  # 0%, 10%, ..., 100%
    assert lines[-1] == "verifying: 100/100 leaves (100%), 476 leaves/s"


def test_a_stage_that_reports_only_when_done_is_timed_from_its_start(clock: Clock) -> None:
    """A stage whose first report comes after all its work (one batch) gets the rate of that
    work, timed from the previous report, not from its own first report (which gave a rate of
    hundreds of millions a second)."""
    out = io.StringIO()
    progress = StageProgress(out)
    clock.now += 0.5
    progress("Scoring pairs", 0, 0)
    clock.now += 2.0  # the index update works for two seconds, then reports once
    progress("Updating the search index", 1610, 1610)
    progress.finish()
    lines = out.getvalue().splitlines()
    assert lines[0] == "Scoring pairs (0.5 s so far)"
    assert lines[1] == "Updating the search index: 1,610/1,610 records (100%), 805 records/s"


def test_a_stage_that_begins_again_counts_afresh(clock: Clock) -> None:
    out = io.StringIO()
    progress = StageProgress(out)
    progress("Features", 50, 100)
    clock.now += 1.0
    progress("Features", 100, 100)
    progress("Clustering", 0, 0)
    clock.now += 1.0
    progress("Features", 10, 10)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "Features: 10/10 records (100%), 10 records/s"
