"""The working-time index: a calendar's opening intervals over whole local years.

Each opening interval is kept as integer microseconds since the epoch, with the working time
before it starts and after it ends, so that "how much working time lies before this moment?"
and "when has this much working time passed?" are one binary search each.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from vss_care_core.calendar._hours import Spans
from vss_care_core.errors import InvalidInputError, NaiveDatetimeError

__all__ = [
    "DAY_S",
    "DAY_US",
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_YEARS_SPANNED",
    "US",
    "WorkingIndex",
    "build_index",
    "epoch_us",
]

US = 1_000_000
"""Microseconds in a second."""
DAY_S = 86_400
DAY_US = DAY_S * US
"""Microseconds in 24 hours."""
FIRST_YEAR, LAST_YEAR = 2, 9997
"""The years an index may cover (a margin inside ``datetime``'s own range)."""
MAX_YEARS_SPANNED = 400
"""The longest span of years one index covers."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_DAY = timedelta(days=1)
_ONE_US = timedelta(microseconds=1)


def epoch_us(moment: datetime, name: str) -> int:
    """Integer microseconds since the epoch of an aware datetime; anything else is refused."""
    if not isinstance(moment, datetime):
        raise InvalidInputError(
            f"{name} must be a timezone-aware datetime, got {type(moment).__name__}"
        )
    try:
        delta = moment - _EPOCH  # only an aware datetime subtracts from an aware one
    except TypeError:
        raise NaiveDatetimeError(name) from None
    return (delta.days * DAY_S + delta.seconds) * US + delta.microseconds


@dataclass(frozen=True, slots=True)
class WorkingIndex:
    """The opening intervals of whole local years ``first_year..last_year``, in epoch µs.

    A moment ``t`` is inside the index when ``lo <= t < hi``. ``starts[i]`` and ``ends[i]``
    bound interval ``i`` (sorted, disjoint, not touching);
    ``worked_before[i]`` is the working time from the start of the index to ``starts[i]`` and
    ``worked_after[i]`` the same to ``ends[i]``.
    """

    first_year: int
    last_year: int
    lo: int
    """00:00 on 1 January of ``first_year``, local time."""
    hi: int
    """00:00 on 1 January after ``last_year``, local time (not included)."""
    starts: list[int]
    ends: list[int]
    worked_before: list[int]
    worked_after: list[int]
    total: int
    """The working time of the whole index."""
    count: int
    """The number of intervals."""
    first_by_day: list[int]
    """For each 24 hours from ``lo``, the first interval that ends after they start (``count``
    when none does): the interval of a moment is a step or two from it."""
    utc_offset: int | None
    """The zone's UTC offset in µs when it is the same over the whole index, else ``None``."""

    def is_open(self, moment_us: int) -> bool:
        """Whether the moment lies in an opening interval (``[start, end)``)."""
        i = bisect_right(self.starts, moment_us) - 1
        return i >= 0 and moment_us < self.ends[i]

    def next_opening(self, moment_us: int) -> int | None:
        """The first opening at or after the moment, or ``None`` beyond the index's last."""
        if self.is_open(moment_us):
            return moment_us
        i = bisect_right(self.starts, moment_us)
        return self.starts[i] if i < len(self.starts) else None

    def worked_until(self, moment_us: int) -> int:
        """The working time from the start of the index to the moment."""
        i = bisect_right(self.starts, moment_us) - 1
        if i < 0:
            return 0
        if moment_us < self.ends[i]:
            return self.worked_before[i] + moment_us - self.starts[i]
        return self.worked_after[i]

    def after(self, moment_us: int, duration: int) -> int | None:
        """The moment when ``duration`` (> 0) of working time has passed after ``moment_us``.

        ``None`` when that lies beyond the index. A result exactly at the end of an interval
        stays there (the closing-time rule): the first interval whose end reaches the target is
        the one used.
        """
        target = self.worked_until(moment_us) + duration
        if target > self.total:
            return None
        j = bisect_left(self.worked_after, target)
        return self.starts[j] + target - self.worked_before[j]

    def moment_before(self, worked: int) -> int:
        """The latest moment at which ``worked`` working time has passed (``0 <= worked``).

        A moment exactly at the start of an interval stays there (the mirror rule).
        """
        j = bisect_right(self.worked_before, worked) - 1
        return self.starts[j] + worked - self.worked_before[j]


def _local_us(zone: ZoneInfo, day: date, seconds: int) -> int:
    """Epoch µs of a wall-clock time ``seconds`` after local midnight of ``day``."""
    if seconds >= DAY_S:
        day, seconds = day + timedelta(days=seconds // DAY_S), seconds % DAY_S
    moment = datetime.combine(day, time(), tzinfo=zone) + timedelta(seconds=seconds)
    return int(moment.timestamp()) * US


def _offset_us(zone: ZoneInfo, day: date) -> int | None:
    offset = datetime.combine(day, time(), tzinfo=zone).utcoffset()
    return None if offset is None else offset // _ONE_US


def build_index(
    zone: ZoneInfo, spans_on: Callable[[date], Spans], first_year: int, last_year: int
) -> WorkingIndex:
    """The index of ``first_year..last_year``, from each local date's opening spans.

    Intervals that touch (``..-24:00`` then ``00:00-..``) are merged into one. On a day whose
    length is not 24 hours (a daylight-saving change) each wall-clock time is converted on its
    own, so a skipped hour is not worked and a repeated hour is worked twice.
    """
    if first_year < FIRST_YEAR or last_year > LAST_YEAR:
        raise InvalidInputError(
            f"the calendar covers the years {FIRST_YEAR} to {LAST_YEAR}; "
            f"years {first_year}..{last_year} were asked"
        )
    if last_year - first_year > MAX_YEARS_SPANNED:
        raise InvalidInputError(
            f"working-time arithmetic over {last_year - first_year} years is not supported; "
            f"keep periods under {MAX_YEARS_SPANNED} years"
        )
    starts: list[int] = []
    ends: list[int] = []
    day = date(first_year, 1, 1)
    stop = date(last_year + 1, 1, 1)
    midnight = _local_us(zone, day, 0)
    lo = midnight
    offset = _offset_us(zone, day)
    all_days_regular = offset == _offset_us(zone, date(last_year, 12, 31))
    while day < stop:
        next_day = day + _ONE_DAY
        next_midnight = _local_us(zone, next_day, 0)
        regular_length = next_midnight - midnight == DAY_US
        all_days_regular = all_days_regular and regular_length
        for span in spans_on(day):
            if regular_length:
                start, end = midnight + span.start * US, midnight + span.end * US
            else:
                start, end = _local_us(zone, day, span.start), _local_us(zone, day, span.end)
            if starts and start <= ends[-1]:
                ends[-1] = max(ends[-1], end)
            elif end > start:
                starts.append(start)
                ends.append(end)
        day, midnight = next_day, next_midnight
    worked_before: list[int] = []
    worked_after: list[int] = []
    total = 0
    for start, end in zip(starts, ends, strict=True):
        worked_before.append(total)
        total += end - start
        worked_after.append(total)
    first_by_day: list[int] = []
    i = 0
    for slice_start in range(lo, midnight, DAY_US):
        while i < len(ends) and ends[i] <= slice_start:
            i += 1
        first_by_day.append(i)
    return WorkingIndex(
        first_year=first_year,
        last_year=last_year,
        lo=lo,
        hi=midnight,
        starts=starts,
        ends=ends,
        worked_before=worked_before,
        worked_after=worked_after,
        total=total,
        count=len(starts),
        first_by_day=first_by_day,
        utc_offset=offset if all_days_regular else None,
    )
