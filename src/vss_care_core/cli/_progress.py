"""Progress of long work on a terminal: done of total, the share, and the time left.

Shown only when the stream is a terminal, on one line rewritten in place; a pipe or a file
gets nothing, so that logs and scripts stay clean.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO

__all__ = ["Progress"]

_EVERY_SECONDS = 0.2
"""The least time between two updates of the line (a terminal cannot show more)."""


def _duration(seconds: float) -> str:
    seconds = max(int(seconds + 0.5), 0)
    minutes, seconds = divmod(seconds, 60)
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


class Progress:
    """A progress line for ``total`` units of work (``what`` names them: "days", "MB").

    ``clock`` gives the seconds elapsed (the machine's monotonic clock by default); it is read
    only to tell the person at the terminal how long is left, never by the library's logic.
    """

    def __init__(
        self,
        total: float,
        what: str,
        stream: IO[str],
        *,
        clock: Callable[[], float] = time.monotonic,
        scale: float = 1.0,
    ) -> None:
        self.total = total
        self.what = what
        self.stream = stream
        self.shown = stream.isatty()
        self.clock = clock
        self.scale = scale
        self.started = clock()
        self.last = float("-inf")
        self.drawn = False

    def update(self, done: float) -> None:
        """Say that ``done`` units are done (redrawn at most every 0.2 s)."""
        if not self.shown:
            return
        now = self.clock()
        if now - self.last < _EVERY_SECONDS and done < self.total:
            return
        self.last = now
        share = min(done / self.total, 1.0) if self.total else 1.0
        elapsed = now - self.started
        left = elapsed / share - elapsed if share > 0 else 0.0
        shown_done, shown_total = done / self.scale, self.total / self.scale
        self.stream.write(
            f"\r{shown_done:,.0f} of {shown_total:,.0f} {self.what} ({share:.0%}), "
            f"about {_duration(left)} left   "
        )
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        """End the line (nothing when nothing was drawn)."""
        if self.drawn:
            elapsed = self.clock() - self.started
            self.stream.write(
                f"\r{self.total / self.scale:,.0f} {self.what} done in {_duration(elapsed)}"
                + " " * 20
                + "\n"
            )
            self.stream.flush()
