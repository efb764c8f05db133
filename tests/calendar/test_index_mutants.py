"""The working-time index on its own: bounds, merging, the UTC offset and searches at its ends.

These cases pin what the calendar's results cannot show directly (the index is rebuilt and
searched again when a search reaches its end), so that a change to the index is seen here.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from vss_care_core.calendar._hours import Span, Spans
from vss_care_core.calendar._index import US, build_index, epoch_us
from vss_care_core.errors import InvalidInputError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PARIS = ZoneInfo("Europe/Paris")
HOUR = 3600
OFFICE: Spans = (Span(8 * HOUR, 12 * HOUR), Span(13 * HOUR, 17 * HOUR))


def weekdays(day: date) -> Spans:
    """08:00-12:00 and 13:00-17:00 from Monday to Friday."""
    return OFFICE if day.weekday() < 5 else ()


def whole_days(day: date) -> Spans:
    """Open all day, every day."""
    return (Span(0, 24 * HOUR),)


def us(zone: ZoneInfo, *args: int) -> int:
    """Epoch µs of a local wall-clock time."""
    return epoch_us(datetime(*args, tzinfo=zone), "moment")  # type: ignore[misc]


def test_bounds_are_local_midnights_of_whole_years() -> None:
    index = build_index(VN, weekdays, 2026, 2026)
    assert (index.first_year, index.last_year) == (2026, 2026)
    assert index.lo == us(VN, 2026, 1, 1)
    assert index.hi == us(VN, 2027, 1, 1)
    assert index.starts[0] == us(VN, 2026, 1, 1, 8)  # Thursday 1 January
    assert index.ends[-1] == us(VN, 2026, 12, 31, 17)
    assert index.count == len(index.starts) == 2 * 261
    assert index.total == 261 * 8 * HOUR * US
    assert len(index.first_by_day) == 365


def test_the_utc_offset_is_kept_only_when_it_never_changes() -> None:
    assert build_index(VN, weekdays, 2026, 2027).utc_offset == 7 * HOUR * US
    assert build_index(ZoneInfo("UTC"), weekdays, 2026, 2026).utc_offset == 0
    assert build_index(PARIS, weekdays, 2026, 2026).utc_offset is None


def test_touching_intervals_are_merged() -> None:
    index = build_index(VN, whole_days, 2026, 2026)
    assert index.count == 1
    assert (index.starts, index.ends) == ([index.lo], [index.hi])
    assert index.total == 365 * 24 * HOUR * US


def test_a_skipped_hour_is_not_an_interval() -> None:
    # 02:00-03:00 on 29 March 2026 does not exist in Paris (clocks go from 02:00 to 03:00)
    def skipped(day: date) -> Spans:
        return (Span(2 * HOUR, 3 * HOUR),) if day == date(2026, 3, 29) else ()

    index = build_index(PARIS, skipped, 2026, 2026)
    assert (index.count, index.starts, index.total) == (0, [], 0)


def test_a_day_of_daylight_saving_change_is_converted_hour_by_hour() -> None:
    index = build_index(PARIS, weekdays, 2026, 2026)
    assert us(PARIS, 2026, 3, 30, 8) in index.starts  # the Monday after the change
    assert us(PARIS, 2026, 10, 26, 13) in index.starts


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (1, 2026, "the calendar covers the years 2 to 9997; years 1..2026 were asked"),
        (2026, 9998, "the calendar covers the years 2 to 9997; years 2026..9998 were asked"),
        (
            2000,
            2401,
            "working-time arithmetic over 401 years is not supported; keep periods under 400 years",
        ),
    ],
)
def test_years_outside_the_bounds_are_refused(first: int, last: int, message: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        build_index(VN, weekdays, first, last)
    assert str(error.value) == message


def test_the_bounds_themselves_are_accepted() -> None:
    assert build_index(ZoneInfo("UTC"), weekdays, 2, 2).first_year == 2
    assert build_index(ZoneInfo("UTC"), weekdays, 9997, 9997).last_year == 9997
    longest = build_index(ZoneInfo("UTC"), whole_days, 2000, 2400)
    assert longest.count == 1


def test_searches_at_the_ends_of_the_index() -> None:
    index = build_index(VN, weekdays, 2026, 2026)
    last_end = index.ends[-1]
    assert index.next_opening(last_end) is None
    assert index.next_opening(index.hi - 1) is None
    assert index.next_opening(index.lo) == index.starts[0]
    assert index.after(index.lo, index.total) == last_end  # all of it: the last closing time
    assert index.after(index.lo, index.total + 1) is None
    assert index.moment_before(0) == index.starts[0]
    assert index.worked_until(index.lo) == 0
    assert index.worked_until(index.hi) == index.total
