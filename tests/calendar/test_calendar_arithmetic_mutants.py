"""Working-time arithmetic on cold and warm calendars, at the edges of its index.

``add`` has a fast path for a start inside the years already indexed; these cases compare it
with a fresh calendar (whose first call builds the index) on long periods that end on a closing
time, on durations that alternate, on starts at the first and last microsecond of the index, and
on periods that reach years before or after it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.calendar import DayOff, WeeklyHoursLike, WorkingCalendar
from vss_care_core.errors import InvalidInputError, NaiveDatetimeError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAYS: WeeklyHoursLike = {"mon-fri": "08:00-12:00, 13:00-17:00"}
H = timedelta(hours=1)


def vn(*args: int) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[arg-type,misc]


def fresh() -> WorkingCalendar:
    """A calendar with no index yet."""
    return WorkingCalendar(zone=VN, weekly_hours=WEEKDAYS)


def warm() -> WorkingCalendar:
    """A calendar whose index covers 2026 (built by a first call)."""
    cal = fresh()
    cal.is_open(vn(2026, 6, 1, 9))
    return cal


@pytest.mark.parametrize(
    ("start", "hours", "end"),
    [
        (vn(2026, 3, 2, 8), 80, vn(2026, 3, 13, 17)),  # two weeks, to the last closing time
        (vn(2026, 3, 2, 8), 40, vn(2026, 3, 6, 17)),
        (vn(2026, 3, 2, 8), 4, vn(2026, 3, 2, 12)),  # to the lunch break
        (vn(2026, 3, 2, 8), 44, vn(2026, 3, 9, 12)),
        (vn(2026, 3, 2, 12, 30), 4, vn(2026, 3, 2, 17)),
        (vn(2026, 3, 2, 17), 1, vn(2026, 3, 3, 9)),
        (vn(2026, 3, 6, 17), 1, vn(2026, 3, 9, 9)),
        (vn(2026, 3, 2, 8), 160, vn(2026, 3, 27, 17)),
        (vn(2026, 3, 2, 9), 160, vn(2026, 3, 30, 9)),
    ],
)
def test_long_periods_end_on_their_closing_time(start: datetime, hours: int, end: datetime) -> None:
    assert fresh().add(start, hours * H) == end
    cal = warm()
    assert cal.add(start, hours * H) == end
    assert cal.add(start.astimezone(UTC), hours * H) == end
    assert cal.working_time(cal.subtract(end, hours * H), end) == hours * H
    assert cal.working_time(start, end) == hours * H


def test_durations_that_alternate_on_a_warm_calendar() -> None:
    cal = warm()
    start = vn(2026, 3, 2, 8)
    two, three = 2 * H, 3 * H
    assert cal.add(start, two) == vn(2026, 3, 2, 10)
    assert cal.add(start, three) == vn(2026, 3, 2, 11)
    assert cal.add(start, two) == vn(2026, 3, 2, 10)
    assert cal.add(start, timedelta(hours=2)) == vn(2026, 3, 2, 10)  # an equal, other value
    assert cal.add(start, three) == vn(2026, 3, 2, 11)
    assert cal.add(start, timedelta(0)) == start
    assert cal.add(start, three) == vn(2026, 3, 2, 11)


def test_zero_on_a_warm_calendar_is_the_start_in_the_calendar_zone() -> None:
    cal = warm()
    start = vn(2026, 3, 7, 10).astimezone(UTC)  # a Saturday
    result = cal.add(start, timedelta(0))
    assert result == start
    assert result.tzinfo is VN


def test_starts_at_the_edges_of_the_index() -> None:
    cal = warm()
    assert cal.add(vn(2026, 1, 1), H) == vn(2026, 1, 1, 9)  # 1 January 2026 is a Thursday
    last = vn(2027, 1, 1) - timedelta(microseconds=1)
    assert cal.add(last, H) == vn(2027, 1, 1, 9)
    assert cal.add(vn(2027, 1, 1), H) == vn(2027, 1, 1, 9)
    assert cal.add(vn(2025, 12, 31, 23, 59), H) == vn(2026, 1, 1, 9)
    assert cal.add(vn(2026, 12, 31, 16, 30), H) == vn(2027, 1, 1, 8, 30)
    assert cal.add(vn(2026, 12, 31, 17), H) == vn(2027, 1, 1, 9)


def test_the_index_grows_to_earlier_and_later_years() -> None:
    cal = warm()
    assert cal.working_time(vn(2020, 3, 2, 8), vn(2020, 3, 3, 8)) == 8 * H
    assert cal.working_time(vn(2030, 3, 4, 8), vn(2030, 3, 5, 8)) == 8 * H
    assert cal.add(vn(2020, 3, 2, 8), 8 * H) == vn(2020, 3, 2, 17)
    assert cal.add(vn(2026, 3, 2, 8), 8 * H) == vn(2026, 3, 2, 17)
    assert cal.working_time(vn(2019, 12, 31, 16), vn(2031, 1, 1, 9)) == fresh().working_time(
        vn(2019, 12, 31, 16), vn(2031, 1, 1, 9)
    )
    assert cal.is_open(vn(2018, 3, 1, 9))
    assert not cal.is_open(vn(2032, 3, 6, 9))  # a Saturday


def test_periods_beyond_the_year_indexed() -> None:
    cal = warm()
    assert cal.add(vn(2026, 12, 31, 9), 8 * H) == vn(2027, 1, 1, 9)
    assert cal.add(vn(2026, 6, 1, 8), 8 * 261 * H) == vn(2027, 5, 31, 17)  # 261 weekdays
    assert cal.subtract(vn(2026, 1, 1, 9), 2 * H) == vn(2025, 12, 31, 16)


@given(
    st.integers(0, 365 * 24 * 60 - 1),
    st.integers(0, 400 * 60),
    st.sampled_from([VN, UTC, ZoneInfo("Asia/Bangkok")]),
)
def test_warm_and_cold_agree_over_a_year(offset: int, minutes: int, zone: ZoneInfo) -> None:
    start = (vn(2026, 1, 1) + timedelta(minutes=offset)).astimezone(zone)
    expected = fresh().add(start, timedelta(minutes=minutes))
    cal = warm()
    assert cal.add(start, timedelta(minutes=minutes)) == expected
    assert cal.add(start.astimezone(VN), timedelta(minutes=minutes)) == expected
    assert cal.working_time(start, expected) == timedelta(minutes=minutes)


def test_microseconds_are_kept() -> None:
    cal = warm()
    start = vn(2026, 3, 2, 8, 0, 0, 250)
    assert cal.add(start, timedelta(microseconds=500)) == vn(2026, 3, 2, 8, 0, 0, 750)
    assert cal.add(start, 4 * H) == vn(2026, 3, 2, 13, 0, 0, 250)
    assert cal.add(vn(2026, 3, 2, 11, 59, 59, 999_999), timedelta(microseconds=1)) == vn(
        2026, 3, 2, 12
    )
    assert cal.working_time(vn(2026, 3, 2, 8), vn(2026, 3, 2, 8, 0, 0, 1)) == timedelta(
        microseconds=1
    )
    assert cal.add(start, timedelta(days=1)) == vn(2026, 3, 5, 8, 0, 0, 250)
    assert cal.add(start, timedelta(seconds=1)) == vn(2026, 3, 2, 8, 0, 1, 250)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda cal: cal.add(vn(2026, 1, 1), 5), "working_time must be a timedelta, got 5"),
        (
            lambda cal: cal.add(vn(2026, 1, 1), -H),
            "working_time must not be negative (got -1 day, 23:00:00); "
            "use subtract() to count backwards",
        ),
        (
            lambda cal: cal.subtract(vn(2026, 1, 1), timedelta(microseconds=-1)),
            "working_time must not be negative (got -1 day, 23:59:59.999999); "
            "use subtract() to count backwards",
        ),
        (
            lambda cal: cal.is_open(datetime(9999, 12, 31, 23, tzinfo=UTC)),
            "253402297200 seconds after 1970 is outside the supported years 2 to 9997",
        ),
        (
            lambda cal: cal.working_time(vn(2026, 1, 2), vn(2026, 1, 1)),
            "end 2026-01-01T00:00:00+07:00 is before start 2026-01-02T00:00:00+07:00; swap them",
        ),
        (
            lambda cal: cal.working_times(vn(2026, 1, 2), [vn(2026, 1, 3), vn(2026, 1, 1)]),
            "moment 2026-01-01T00:00:00+07:00 is before start 2026-01-02T00:00:00+07:00",
        ),
    ],
)
def test_refusals_are_exact(call: object, message: str) -> None:
    for cal in (fresh(), warm()):
        with pytest.raises(InvalidInputError) as error:
            call(cal)  # type: ignore[operator]
        assert str(error.value) == message


def test_years_before_the_first_one_are_refused() -> None:
    too_early = datetime(1, 1, 2, tzinfo=UTC)
    with pytest.raises(InvalidInputError) as cold:
        fresh().is_open(too_early)
    assert str(cold.value) == "the calendar covers the years 2 to 9997; years 1..1 were asked"
    with pytest.raises(InvalidInputError) as grown:
        warm().is_open(too_early)
    assert str(grown.value) == "the calendar covers the years 2 to 9997; years 1..2026 were asked"


def test_working_time_of_equal_moments_and_of_whole_days() -> None:
    cal = warm()
    assert cal.working_time(vn(2026, 3, 2, 9), vn(2026, 3, 2, 9)) == timedelta(0)
    assert cal.working_time(vn(2026, 3, 2), vn(2026, 3, 9)) == 40 * H
    assert cal.working_times(vn(2026, 3, 2), [vn(2026, 3, 9), vn(2026, 3, 3)]) == (40 * H, 8 * H)
    assert cal.working_times(vn(2026, 3, 2), []) == ()


def only_in(year_open: int) -> WorkingCalendar:
    """Open on Mondays 08:00-09:00 of one year only (every other Monday is a holiday)."""

    def closed_mondays(year: int) -> list[DayOff]:
        if year == year_open:
            return []
        day = date(year, 1, 1) + timedelta(days=-date(year, 1, 1).weekday() % 7)
        found = []
        while day.year == year:
            found.append(DayOff(day, kind="statutory"))
            day += timedelta(days=7)
        return found

    return WorkingCalendar(
        zone=VN, weekly_hours={"mon": "08:00-09:00"}, holiday_source=closed_mondays
    )


def test_add_looks_twenty_years_ahead_and_no_further() -> None:
    # 1 January 2046 is a Monday, 20 years after the start's year
    assert only_in(2046).add(vn(2026, 1, 1), H) == vn(2046, 1, 1, 9)
    assert only_in(2046).add(vn(2026, 1, 1), 2 * H) == vn(2046, 1, 8, 9)
    with pytest.raises(InvalidInputError) as error:
        only_in(2047).add(vn(2026, 1, 1), H)
    assert str(error.value) == (
        "the calendar does not open within 20 years after 2026-01-01T00:00:00+07:00"
    )


@pytest.mark.parametrize("cal", [fresh(), warm()], ids=["cold", "warm"])
def test_a_start_that_is_not_an_aware_datetime_is_named(cal: WorkingCalendar) -> None:
    with pytest.raises(InvalidInputError) as text:
        cal.add("2026-01-01", H)  # type: ignore[arg-type]
    assert str(text.value) == "start must be a timezone-aware datetime, got str"
    with pytest.raises(NaiveDatetimeError) as naive:
        cal.add(datetime(2026, 1, 1), H)  # noqa: DTZ001 - the case under test
    assert str(naive.value).startswith("start must be timezone-aware (got a naive datetime)")
    with pytest.raises(InvalidInputError) as duration:
        cal.add(vn(2026, 1, 1), 3600)  # type: ignore[arg-type]
    assert str(duration.value) == "working_time must be a timedelta, got 3600"


def test_a_start_at_the_end_of_the_indexed_years() -> None:
    """00:00 on 1 January after the index: the index grows first (its table has no such day)."""
    cal = warm()
    assert cal.add(vn(2027, 1, 1), H) == vn(2027, 1, 1, 9)
    cal = warm()
    assert cal.add(vn(2027, 1, 1).astimezone(UTC), 30 * H) == vn(2027, 1, 6, 15)


def test_a_duration_that_is_not_one_after_one_that_is() -> None:
    cal = warm()
    assert cal.add(vn(2026, 3, 2, 8), H) == vn(2026, 3, 2, 9)
    with pytest.raises(InvalidInputError) as error:
        cal.add(vn(2026, 3, 2, 8), None)  # type: ignore[arg-type]
    assert str(error.value) == "working_time must be a timedelta, got None"


def test_the_last_microsecond_of_a_far_year_is_in_that_year() -> None:
    """Far from 1970 a float of seconds cannot hold a microsecond: the year is read exactly."""
    cal = WorkingCalendar(zone="UTC", weekly_hours={"mon-sun": "00:00-24:00"})
    last = datetime(8999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    assert cal.is_open(last)
    assert cal.working_time(datetime(8999, 12, 31, tzinfo=UTC), last) == timedelta(
        days=1, microseconds=-1
    )


def test_a_warm_index_of_many_years_open_around_the_clock() -> None:
    """An index of 150 years holds more working time than a moment's microseconds since 1970."""
    cal = WorkingCalendar(zone="UTC", weekly_hours={"mon-sun": "00:00-24:00"})
    first, last = datetime(2026, 1, 1, tzinfo=UTC), datetime(2175, 12, 31, tzinfo=UTC)
    assert cal.working_time(first, last) == last - first
    start = datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert cal.add(start, H) == datetime(2026, 6, 1, 13, tzinfo=UTC)
    assert cal.add(start, timedelta(days=400)) == start + timedelta(days=400)
