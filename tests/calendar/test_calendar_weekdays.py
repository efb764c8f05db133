"""Weekday names and ranges in weekly hours, read whole; special_days on the 2026 calendar."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.calendar import DayOff, WorkingCalendar, WorkingDay, vietnam_calendar
from vss_care_core.errors import CalendarError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SHORT = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OPEN = ((time(8, 0), time(12, 0)),)


def open_days(weekly_hours: dict[int | str, str]) -> list[int]:
    """The weekdays (0 = Monday) a calendar with these weekly hours opens."""
    cal = WorkingCalendar(zone=VN, weekly_hours=weekly_hours)
    return [number for number, hours in enumerate(cal.weekly_hours) if hours]


@st.composite
def spelled(draw: st.DrawFn, number: int) -> str:
    """A weekday in one of the accepted spellings: full or short, in any case."""
    name = draw(st.sampled_from([FULL[number], SHORT[number]]))
    style = draw(st.sampled_from([str.lower, str.upper, str.title]))
    return style(name)


class TestRanges:
    """Every (start, end) pair of weekdays: a range runs forwards, or is refused."""

    @given(st.data())
    def test_all_49_pairs(self, data: st.DataObject) -> None:
        """Each of the 49 pairs, in a random spelling: the days in between, or a clear refusal."""
        for first in range(7):
            for last in range(7):
                key = f"{data.draw(spelled(first))}-{data.draw(spelled(last))}"
                if first <= last:
                    assert open_days({key: "08:00-12:00"}) == list(range(first, last + 1)), key
                else:
                    with pytest.raises(CalendarError, match="runs backwards") as info:
                        open_days({key: "08:00-12:00"})
                    assert f"'{SHORT[last]}-{SHORT[first]}'" in str(info.value)

    @pytest.mark.parametrize(
        ("key", "days"),
        [
            ("tuesday-friday", [1, 2, 3, 4]),
            ("Tue-Fri", [1, 2, 3, 4]),
            ("saturday-sunday", [5, 6]),
            ("monday-friday", [0, 1, 2, 3, 4]),
            ("wed", [2]),
            ("THURSDAY", [3]),
            (" fri - sun ", [4, 5, 6]),
            ("mon–wed", [0, 1, 2]),  # an en dash
            (6, [6]),
        ],
    )
    def test_spellings(self, key: int | str, days: list[int]) -> None:
        """Full and short names, any case, spaces, and weekday numbers."""
        assert open_days({key: "08:00-12:00"}) == days

    def test_a_week_not_starting_on_monday(self) -> None:
        """Tuesday to Saturday, Monday closed: the hours follow the range."""
        cal = WorkingCalendar(
            zone=VN, weekly_hours={"tuesday-saturday": "08:00-12:00", "sun": "09:00-10:00"}
        )
        assert cal.hours_on(date(2026, 3, 2)) == ()  # Monday
        assert cal.hours_on(date(2026, 3, 3)) == OPEN  # Tuesday
        assert cal.hours_on(date(2026, 3, 7)) == OPEN  # Saturday
        assert cal.hours_on(date(2026, 3, 8)) == ((time(9, 0), time(10, 0)),)
        assert repr(cal).startswith("WorkingCalendar(zone='Asia/Ho_Chi_Minh', tue 08:00-12:00;")

    def test_wrapping_range_message(self) -> None:
        """friday-monday is refused, and the message says how to write it."""
        with pytest.raises(CalendarError) as info:
            open_days({"friday-monday": "08:00-12:00"})
        assert info.value.problems == (
            "weekday range 'friday-monday' runs backwards (a range goes from "
            "Monday towards Sunday); write 'mon-fri' if you meant those days, or split a range "
            "over the weekend in two keys: 'fri-sun' and 'mon'",
        )

    @pytest.mark.parametrize(
        ("key", "hint"),
        [
            ("tusday", "did you mean 'tuesday'"),
            ("wednes", "did you mean 'wednesday'"),
            ("mon-frday", "'frday' in 'mon-frday' is not a weekday; did you mean 'friday'"),
            ("funday", "did you mean 'sunday'"),
            ("xyz", "use 0-6 (0 = Monday)"),
        ],
    )
    def test_unknown_names_with_close_matches(self, key: str, hint: str) -> None:
        """An unknown name is refused, with the closest names."""
        with pytest.raises(CalendarError) as info:
            open_days({key: "08:00-12:00"})
        assert hint in str(info.value)

    def test_a_day_given_twice(self) -> None:
        """A day in two keys is refused, naming both keys."""
        with pytest.raises(CalendarError, match="wednesday is given more than once"):
            open_days({"mon-wed": "08:00-12:00", "wednesday-fri": "13:00-17:00"})


class TestSpecialDays:
    """special_days of the Vietnamese calendar, 2026."""

    def test_2026(self) -> None:
        """Every day off (weekends of the holidays included) and both worked Saturdays."""
        special = vietnam_calendar().special_days(2026)
        days_off = [d.day for d in special if isinstance(d, DayOff)]
        working = [d for d in special if isinstance(d, WorkingDay)]
        expected_off = [
            *(date(2026, 1, d) for d in (1, 2, 3, 4)),
            *(date(2026, 2, d) for d in range(14, 23)),
            date(2026, 4, 25),
            date(2026, 4, 26),
            date(2026, 4, 27),
            date(2026, 4, 30),
            *(date(2026, 5, d) for d in (1, 2, 3)),
            date(2026, 8, 29),
            date(2026, 8, 30),
            date(2026, 8, 31),
            date(2026, 9, 1),
            date(2026, 9, 2),
            date(2026, 11, 24),
        ]
        assert days_off == expected_off
        assert [w.day for w in working] == [date(2026, 1, 10), date(2026, 8, 22)]
        assert all(w.hours is None and w.kind == "official" for w in working)
        assert [d.day for d in special] == sorted(d.day for d in special)
        labels = {d.day: d for d in special}
        assert labels[date(2026, 2, 17)].name_vi == "Nghỉ Tết Nguyên đán"
        assert labels[date(2026, 1, 10)].name == "Saturday worked in exchange for 2 January"

    def test_2027_statutory_only(self) -> None:
        """2027 has no official schedule yet: the statutory days and their compensations."""
        special = vietnam_calendar().special_days(2027)
        assert all(isinstance(d, DayOff) for d in special)
        assert date(2027, 2, 6) in {d.day for d in special}  # Tết, a Saturday
        assert {d.kind for d in special} == {"statutory", "compensatory"}
