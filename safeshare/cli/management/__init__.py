"""Django management commands behind the ``safeshare`` command line, and their progress lines."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressLine:
    """A one-line progress report on stderr: rewritten in place on a terminal, else every 10%."""

    def __init__(self, stream: TextIO, label: str, *, unit: str = "rows") -> None:
        self.stream = stream
        self.label = label
        self.unit = unit
        self.started = time.monotonic()
        self.tty = stream.isatty()
        self._last_step = -1
        self._last_write = 0.0
        self._written = False

    def update(
        self, done: int, total: int, *, label: str | None = None, started: float | None = None
    ) -> None:
        """Report ``done`` of ``total``. A new ``label`` starts a new line, timed from
        ``started`` (a ``time.monotonic()`` reading) when the work began before its first
        report, else from now."""
        if label is not None and label != self.label:
            self.finish()
            self.label = label
            self._last_step = -1
            self.started = time.monotonic() if started is None else started
        percent = 100 * done // total if total else 100
        now = time.monotonic()
        elapsed = max(now - self.started, 1e-6)
        text = (
            f"{self.label}: {done:,}/{total:,} {self.unit} ({percent}%), "
            f"{done / elapsed:,.0f} {self.unit}/s"
        )
        if self.tty:
            if now - self._last_write >= 0.2 or done >= total:
                self.stream.write("\r" + text + "\x1b[K")
                self.stream.flush()
                self._last_write = now
                self._written = True
            return
        step = percent // 10
        if step != self._last_step:
            self._last_step = step
            self.stream.write(text + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.tty and self._written:
            self.stream.write("\n")
            self.stream.flush()
            self._written = False


class StageProgress:
    """Each stage on its own line with the time so far; a progress line where a stage counts
    its work (``total`` > 0), restarted each time that stage begins again."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.line = ProgressLine(self.stream, "linking", unit="records")
        self.stage = ""
        self.started = time.monotonic()
        # When the previous report came: a stage's work began then, although a stage may
        # report only after its first batch (and its rate must not count from that report).
        self.last_report = self.started

    def __call__(self, stage: str, done: int, total: int) -> None:
        began = self.last_report
        if stage != self.stage:
            self.line.finish()
            self.stage = stage
            self.line.label = ""  # a stage that begins again counts (and times) afresh
            if not total:
                self.stream.write(f"{stage} ({time.monotonic() - self.started:.1f} s so far)\n")
                self.stream.flush()
        if total:
            self.line.update(done, total, label=stage, started=began)
        self.last_report = time.monotonic()

    def finish(self) -> None:
        self.line.finish()
