"""The index's searches at the edges of its intervals, and its table of days.

Each search is compared with a plain walk over the list of intervals (no binary search, no
running totals), at every start and end of a few calendars, one microsecond either side.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.calendar._hours import Span, Spans
from vss_care_core.calendar._index import DAY_US, US, WorkingIndex, build_index, epoch_us
from vss_care_core.errors import InvalidInputError, NaiveDatetimeError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOUR = 3600


def office(day: date) -> Spans:
    """08:00-12:00 and 13:00-17:00 from Monday to Friday."""
    if day.weekday() >= 5:
        return ()
    return (Span(8 * HOUR, 12 * HOUR), Span(13 * HOUR, 17 * HOUR))


def evenings(day: date) -> Spans:
    """20:00-24:00 every day: intervals end exactly where a day starts."""
    return (Span(20 * HOUR, 24 * HOUR),)


def nights(day: date) -> Spans:
    """00:00-06:00 and 22:00-24:00: each night is one interval over midnight."""
    return (Span(0, 6 * HOUR), Span(22 * HOUR, 24 * HOUR))


SOURCES: dict[str, Callable[[date], Spans]] = {
    "office": office,
    "evenings": evenings,
    "nights": nights,
}


def intervals(index: WorkingIndex) -> list[tuple[int, int]]:
    """The index's intervals as (start, end) pairs."""
    return list(zip(index.starts, index.ends, strict=True))


def walk_is_open(index: WorkingIndex, moment: int) -> bool:
    return any(start <= moment < end for start, end in intervals(index))


def walk_worked(index: WorkingIndex, moment: int) -> int:
    return sum(max(0, min(end, moment) - start) for start, end in intervals(index))


def walk_next_opening(index: WorkingIndex, moment: int) -> int | None:
    for start, end in intervals(index):
        if moment < end:
            return max(start, moment)
    return None


def walk_after(index: WorkingIndex, moment: int, duration: int) -> int | None:
    """The first moment at which ``duration`` more has been worked (the closing-time rule)."""
    left = duration
    for start, end in intervals(index):
        if moment < end:
            available = end - max(start, moment)
            if available >= left:
                return max(start, moment) + left
            left -= available
    return None


def walk_moment_before(index: WorkingIndex, worked: int) -> int:
    """The last moment at which ``worked`` has been worked (an opening time stays)."""
    found, total = index.starts[0], 0
    for start, end in intervals(index):
        if total <= worked:
            found = start + min(worked - total, end - start)
        total += end - start
    return found


@pytest.fixture(params=sorted(SOURCES), scope="module")
def index(request: pytest.FixtureRequest) -> WorkingIndex:
    """A year of a calendar."""
    return build_index(VN, SOURCES[request.param], 2026, 2026)


def edges(index: WorkingIndex) -> list[int]:
    """The starts and ends of January's intervals, one microsecond either side."""
    january = [m for m in index.starts + index.ends if m < index.lo + 31 * DAY_US]
    return sorted({m + step for m in january for step in (-1, 0, 1)} | {index.lo})


def test_is_open_and_next_opening_at_the_edges(index: WorkingIndex) -> None:
    for moment in edges(index):
        assert index.is_open(moment) == walk_is_open(index, moment), moment
        assert index.next_opening(moment) == walk_next_opening(index, moment), moment


def test_worked_until_at_the_edges(index: WorkingIndex) -> None:
    for moment in edges(index):
        assert index.worked_until(moment) == walk_worked(index, moment), moment


@pytest.mark.parametrize("duration", [1, HOUR * US, 4 * HOUR * US, 4 * HOUR * US + 1])
def test_after_at_the_edges(index: WorkingIndex, duration: int) -> None:
    for moment in edges(index):
        assert index.after(moment, duration) == walk_after(index, moment, duration), moment


def test_moment_before_at_the_edges(index: WorkingIndex) -> None:
    for worked in sorted({walk_worked(index, m) + step for m in edges(index) for step in (0, 1)}):
        assert index.moment_before(worked) == walk_moment_before(index, worked), worked


def test_the_first_interval_itself() -> None:
    index = build_index(VN, office, 2026, 2026)
    first, end = index.starts[0], index.ends[0]
    assert index.is_open(first)
    assert index.is_open(end - 1)
    assert not index.is_open(end)
    assert not index.is_open(first - 1)
    assert index.next_opening(first) == first
    assert index.next_opening(first - 1) == first
    assert index.next_opening(end) == index.starts[1]
    assert index.worked_until(first) == 0
    assert index.worked_until(first + 1) == 1
    assert index.worked_until(end) == 4 * HOUR * US
    assert index.moment_before(0) == first
    assert index.moment_before(4 * HOUR * US) == index.starts[1]  # an opening time stays
    assert index.after(first, 4 * HOUR * US) == end  # a closing time stays
    assert index.after(first - 1, 1) == first + 1


@given(st.integers(min_value=0, max_value=40 * 24 * HOUR), st.integers(1, 30 * HOUR))
def test_searches_match_the_walk(offset_s: int, duration_s: int) -> None:
    index = build_index(VN, office, 2026, 2026)
    moment = index.lo + offset_s * US
    duration = duration_s * US
    assert index.is_open(moment) == walk_is_open(index, moment)
    assert index.worked_until(moment) == walk_worked(index, moment)
    assert index.next_opening(moment) == walk_next_opening(index, moment)
    assert index.after(moment, duration) == walk_after(index, moment, duration)
    assert index.moment_before(duration) == walk_moment_before(index, duration)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_first_by_day_is_the_first_interval_ending_after_each_day_starts(name: str) -> None:
    index = build_index(VN, SOURCES[name], 2026, 2026)
    assert len(index.first_by_day) == 365
    for day, first in enumerate(index.first_by_day):
        slice_start = index.lo + day * DAY_US
        ending_after = [i for i, end in enumerate(index.ends) if end > slice_start]
        assert first == (ending_after[0] if ending_after else index.count), day


def test_first_by_day_after_the_last_interval() -> None:
    def january_only(day: date) -> Spans:
        return office(day) if day.month == 1 else ()

    index = build_index(VN, january_only, 2026, 2026)
    assert index.first_by_day[40] == index.count == 2 * 22
    assert index.first_by_day[0] == 0


def test_nights_over_midnight_are_one_interval_each() -> None:
    index = build_index(VN, nights, 2026, 2026)
    assert index.count == 366  # 1 January 00:00-06:00, then 22:00-06:00 each night, 22:00-24:00
    assert index.starts[0] == index.lo
    assert index.ends[0] == index.lo + 6 * HOUR * US
    assert index.starts[1] == index.lo + 22 * HOUR * US
    assert index.ends[1] == index.lo + DAY_US + 6 * HOUR * US
    assert index.ends[-1] == index.hi
    assert index.total == 365 * 8 * HOUR * US
    assert index.worked_before[1] == 6 * HOUR * US
    assert index.worked_after[1] == 14 * HOUR * US


def test_the_index_of_a_utc_offset_zone_keeps_integers() -> None:
    index = build_index(VN, office, 2026, 2026)
    assert isinstance(index.utc_offset, int)
    assert index.utc_offset == 7 * HOUR * US
    assert all(isinstance(m, int) for m in index.starts[:3] + index.ends[:3])
    new_york = build_index(ZoneInfo("America/New_York"), office, 2026, 2026)
    assert new_york.utc_offset is None
    # the same offset at both ends, but not in between: still not one offset
    assert build_index(ZoneInfo("Europe/Paris"), office, 2025, 2026).utc_offset is None


def test_daylight_saving_days_are_converted_hour_by_hour() -> None:
    paris = ZoneInfo("Europe/Paris")
    index = build_index(paris, nights, 2026, 2026)
    # 29 March 2026: 02:00-03:00 does not exist; 25 October: 02:00-03:00 happens twice
    assert index.total == 365 * 8 * HOUR * US
    march_29 = epoch_us(datetime(2026, 3, 29, 0, tzinfo=paris), "m")
    assert index.worked_until(march_29 + 6 * HOUR * US) - index.worked_until(march_29) == (
        5 * HOUR * US
    )
    october_25 = epoch_us(datetime(2026, 10, 25, 0, tzinfo=paris), "m")
    assert index.worked_until(october_25 + 7 * HOUR * US) - index.worked_until(october_25) == (
        7 * HOUR * US
    )


@pytest.mark.parametrize(("value", "kind"), [("2026-01-01", "str"), (date(2026, 1, 1), "date")])
def test_epoch_us_refuses_what_is_not_a_datetime(value: object, kind: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        epoch_us(value, "deadline")  # type: ignore[arg-type]
    assert str(error.value) == f"deadline must be a timezone-aware datetime, got {kind}"


def test_epoch_us_refuses_a_naive_datetime_by_name() -> None:
    with pytest.raises(NaiveDatetimeError) as error:
        epoch_us(datetime(2026, 1, 1), "deadline")  # noqa: DTZ001 - the case under test
    assert "deadline" in str(error.value)


@given(st.datetimes(timezones=st.sampled_from([VN, ZoneInfo("UTC")])))
def test_epoch_us_is_the_timestamp_in_microseconds(moment: datetime) -> None:
    whole = int(moment.replace(microsecond=0).timestamp())
    assert epoch_us(moment, "m") == whole * US + moment.microsecond
