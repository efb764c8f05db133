"""Periods in months and years, counted as Civil Code 2015 Art. 147-148 says.

The day of the event is not counted; the period ends on the corresponding day of its last month
(or year), or on that month's last day when it has none; a last day that is not a working day
moves to the next working day; the period ends at 24:00, returned as 00:00 of the next date.
"""

from __future__ import annotations

import calendar as gregorian
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.calendar import WorkingCalendar, vietnam_calendar
from vss_care_core.errors import InvalidInputError, NaiveDatetimeError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = vietnam_calendar()


def vn(*args: int) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


def end_of(day: date) -> datetime:
    """24:00 of a local date, as the calendar returns it: 00:00 of the next date."""
    following = day + timedelta(days=1)
    return datetime(following.year, following.month, following.day, tzinfo=VN)


class TestMonths:
    """add_months on dated cases."""

    def test_31_january_2026_rolls_past_the_weekend(self) -> None:
        """31 Jan 2026 + 1 month: 28 Feb is a Saturday, so the period ends with Monday 2 March."""
        assert date(2026, 2, 28).weekday() == 5
        assert CAL.add_months(vn(2026, 1, 31, 10, 0), 1) == end_of(date(2026, 3, 2))

    def test_31_january_2028_leap_year(self) -> None:
        """31 Jan 2028 + 1 month: 29 Feb 2028 exists (leap year) and is a Tuesday."""
        assert date(2028, 2, 29).weekday() == 1
        assert CAL.add_months(vn(2028, 1, 31, 10, 0), 1) == end_of(date(2028, 2, 29))

    def test_last_day_on_tet_2026(self) -> None:
        """17 Jan + 1 month is 17 Feb 2026, Tết (14-22 Feb): the period ends with Mon 23 Feb."""
        assert not CAL.is_working_day(date(2026, 2, 17))
        assert CAL.add_months(vn(2026, 1, 17, 9, 0), 1) == end_of(date(2026, 2, 23))
        # 14 February, the first day off of Tết, is a Saturday: the same end
        assert CAL.add_months(vn(2026, 1, 14, 9, 0), 1) == end_of(date(2026, 2, 23))

    def test_30_april_and_1_may(self) -> None:
        """30 Apr and 1 May 2026 are holidays, 2-3 May the weekend: both end with Mon 4 May."""
        assert CAL.add_months(vn(2026, 3, 30, 9, 0), 1) == end_of(date(2026, 5, 4))
        assert CAL.add_months(vn(2026, 4, 1, 9, 0), 1) == end_of(date(2026, 5, 4))

    def test_month_end_31_march(self) -> None:
        """31 Mar + 1 month: April has no 31st, so its last day, 30 April, a holiday: 4 May."""
        assert CAL.add_months(vn(2026, 3, 31, 9, 0), 1) == end_of(date(2026, 5, 4))

    def test_a_plain_month(self) -> None:
        """2 Mar 2026 + 1 month ends at 24:00 on Thursday 2 April."""
        assert CAL.add_months(vn(2026, 3, 2, 9, 0), 1) == end_of(date(2026, 4, 2))

    def test_several_months_across_a_year_end(self) -> None:
        """31 Aug 2026 + 6 months: 28 Feb 2027 (no 31st, no 29th), a Sunday: Mon 1 March."""
        assert CAL.add_months(vn(2026, 8, 31, 9, 0), 6) == end_of(date(2027, 3, 1))

    def test_zero_months_is_the_end_of_the_event_day(self) -> None:
        """n = 0 gives 24:00 of the event's day, even a day off, as add_days does."""
        assert CAL.add_months(vn(2026, 2, 14, 9, 0), 0) == end_of(date(2026, 2, 14))
        assert CAL.add_months(vn(2026, 2, 14, 9, 0), 0) == CAL.add_days(vn(2026, 2, 14, 9, 0), 0)

    def test_the_event_day_is_local(self) -> None:
        """An event at 20:00 UTC on 31 Jan is on 1 Feb in Vietnam: + 1 month is 1 March."""
        event = datetime(2026, 1, 31, 20, 0, tzinfo=UTC)
        assert CAL.add_months(event, 1) == end_of(date(2026, 3, 2))  # 1 Mar is a Sunday
        assert CAL.add_months(event, 1).tzinfo is VN


class TestYears:
    """add_years on dated cases."""

    def test_29_february_plus_one_year(self) -> None:
        """29 Feb 2028 + 1 year: 2029 has no 29 February, so Wednesday 28 February."""
        assert CAL.add_years(vn(2028, 2, 29, 9, 0), 1) == end_of(date(2029, 2, 28))

    def test_29_february_plus_four_years(self) -> None:
        """29 Feb 2028 + 4 years is 29 Feb 2032, a Sunday: the period ends with Mon 1 March."""
        assert date(2032, 2, 29).weekday() == 6
        assert CAL.add_years(vn(2028, 2, 29, 9, 0), 4) == end_of(date(2032, 3, 1))

    def test_a_year_ending_on_tet(self) -> None:
        """17 Feb 2025 + 1 year is 17 Feb 2026, Tết: the period ends with Mon 23 Feb."""
        assert CAL.add_years(vn(2025, 2, 17, 9, 0), 1) == end_of(date(2026, 2, 23))

    def test_years_are_twelve_months(self) -> None:
        """A year is counted like 12 months."""
        event = vn(2026, 5, 31, 9, 0)
        assert CAL.add_years(event, 2) == CAL.add_months(event, 24)


class TestRefused:
    """Wrong input is refused with InvalidInputError, saying what to give."""

    @pytest.mark.parametrize("method", ["add_months", "add_years"])
    def test_negative_count(self, method: str) -> None:
        """n < 0 is refused."""
        with pytest.raises(InvalidInputError, match="must not be negative"):
            getattr(CAL, method)(vn(2026, 3, 2, 9, 0), -1)

    @pytest.mark.parametrize("method", ["add_months", "add_years"])
    @pytest.mark.parametrize("count", [1.0, "1", True, None])
    def test_count_of_the_wrong_type(self, method: str, count: object) -> None:
        """n must be an int (a bool is not a count)."""
        with pytest.raises(InvalidInputError, match="must be an int") as info:
            getattr(CAL, method)(vn(2026, 3, 2, 9, 0), count)
        assert isinstance(info.value, TypeError)

    @pytest.mark.parametrize("method", ["add_months", "add_years"])
    def test_event_of_the_wrong_type(self, method: str) -> None:
        """The event must be an aware datetime: a date or a string is refused."""
        for event in (date(2026, 3, 2), "2026-03-02"):
            with pytest.raises(InvalidInputError, match="timezone-aware datetime"):
                getattr(CAL, method)(event, 1)
        with pytest.raises(NaiveDatetimeError):
            getattr(CAL, method)(datetime(2026, 3, 2, 9, 0), 1)  # noqa: DTZ001 - the point


# ----------------------------------------------------------------- the day-walking oracle
WEEKDAYS_OFF = {
    date(2026, 1, 1),
    date(2026, 1, 2),
    *(date(2026, 2, d) for d in range(16, 21)),
    date(2026, 4, 27),
    date(2026, 4, 30),
    date(2026, 5, 1),
    date(2026, 8, 31),
    date(2026, 9, 1),
    date(2026, 9, 2),
    date(2026, 11, 24),
    date(2027, 1, 1),
    *(date(2027, 2, d) for d in (4, 5, 8, 9, 10)),
    date(2027, 4, 16),
    date(2027, 4, 30),
    date(2027, 5, 3),
    date(2027, 9, 2),
    date(2027, 9, 3),
    date(2027, 11, 24),
    date(2028, 1, 3),  # 1 January 2028 is a Saturday: compensated on Monday
}
"""Weekdays off, 2026 to early 2028 (domain.md; statutory only from 2027), typed in by hand."""
WORKED_SATURDAYS = {date(2026, 1, 10), date(2026, 8, 22)}


def oracle_working(day: date) -> bool:
    """Whether a date is a working day, from the hand-typed lists."""
    if day in WORKED_SATURDAYS:
        return True
    return day.weekday() < 5 and day not in WEEKDAYS_OFF


def oracle_months(event: date, n: int) -> date:
    """The last day of an n-month period, found by walking one day at a time.

    Walk from the day after the event to the month n months on; stop on its day of the event's
    number, or on its last day when it is shorter; then walk on to a working day.
    """
    target_month = event.year * 12 + event.month - 1 + n
    day = event
    if n == 0:
        return event
    while True:
        day += timedelta(days=1)
        if day.year * 12 + day.month - 1 != target_month:
            continue
        last_of_month = (day + timedelta(days=1)).month != day.month
        if day.day == event.day or (last_of_month and day.day < event.day):
            break
    while not oracle_working(day):
        day += timedelta(days=1)
    return day


class TestAgainstTheOracle:
    """add_months and add_years walk the days as the oracle does."""

    @given(st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.integers(0, 12))
    def test_months(self, event: date, n: int) -> None:
        """add_months equals day-by-day walking."""
        moment = datetime(event.year, event.month, event.day, 15, 30, tzinfo=VN)
        assert CAL.add_months(moment, n) == end_of(oracle_months(event, n))

    @given(st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.integers(0, 1))
    def test_years(self, event: date, n: int) -> None:
        """add_years equals walking 12 months per year."""
        moment = datetime(event.year, event.month, event.day, 8, 0, tzinfo=VN)
        assert CAL.add_years(moment, n) == end_of(oracle_months(event, 12 * n))

    @given(st.dates(date(2000, 1, 1), date(2100, 12, 31)), st.integers(0, 40))
    def test_any_calendar_day_of_the_month(self, event: date, n: int) -> None:
        """On an always-open calendar the last day is the corresponding day, or the month's last."""
        always = WorkingCalendar(zone=UTC, weekly_hours={"mon-sun": "00:00-24:00"})
        month_index = event.year * 12 + event.month - 1 + n
        year, month = divmod(month_index, 12)
        last_day = min(event.day, gregorian.monthrange(year, month + 1)[1])
        moment = datetime(event.year, event.month, event.day, 12, 0, tzinfo=UTC)
        expected = date(year, month + 1, last_day) + timedelta(days=1)
        assert always.add_months(moment, n) == datetime(
            expected.year, expected.month, expected.day, tzinfo=always.zone
        )
