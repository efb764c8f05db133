"""Dated cases on the Vietnamese calendar: each failure class has a case that catches it."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest

from vss_care_core.calendar import (
    ALWAYS_OPEN,
    DayOff,
    OfficialSchedule,
    WorkingCalendar,
    WorkingDay,
    load_official_schedule,
    statutory_days_off,
    vietnam_calendar,
)
from vss_care_core.cli import main
from vss_care_core.errors import CalendarError, InvalidInputError, NaiveDatetimeError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
H = timedelta(hours=1)


def vn(*args: int) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    """The default Vietnamese state-agency calendar."""
    return vietnam_calendar()


class TestHolidaysPackage:
    """The statutory dates we rely on, as domain.md gives them."""

    @pytest.mark.parametrize(
        ("year", "tet", "hung_kings"),
        [
            (2025, date(2025, 1, 29), date(2025, 4, 7)),
            (2026, date(2026, 2, 17), date(2026, 4, 26)),
            (2027, date(2027, 2, 6), date(2027, 4, 16)),
        ],
    )
    def test_lunar_dates(self, year: int, tet: date, hung_kings: date) -> None:
        """Tết and Hùng Kings fall on the dates of domain.md."""
        days = holidays.country_holidays("VN", years=year, language="en_US")
        assert days.get(tet) == "Lunar New Year"
        assert "Hung Kings" in str(days.get(hung_kings))

    def test_hung_kings_2026_compensated_on_monday(self) -> None:
        """Hùng Kings 2026 is a Sunday; Monday 27 April compensates it."""
        found = {d.day: d for d in statutory_days_off(2026)}
        assert date(2026, 4, 26).weekday() == 6
        assert found[date(2026, 4, 27)].kind == "compensatory"

    def test_culture_day_from_2026(self) -> None:
        """24 November is a holiday from 2026, not before, and can be left out."""
        assert date(2026, 11, 24) in {d.day for d in statutory_days_off(2026)}
        assert date(2025, 11, 24) not in {d.day for d in statutory_days_off(2025)}
        assert date(2026, 11, 24) not in {
            d.day for d in statutory_days_off(2026, culture_day=False)
        }

    def test_swaps_are_not_statutory(self) -> None:
        """The package's swapped days (2 May 2025, 31 Aug 2026) belong to the official data."""
        assert date(2025, 5, 2) not in {d.day for d in statutory_days_off(2025)}
        assert date(2026, 8, 31) not in {d.day for d in statutory_days_off(2026)}

    def test_labels_in_both_languages(self) -> None:
        """Every statutory day has an English and a Vietnamese label."""
        for off in statutory_days_off(2026):
            assert off.name
            assert off.name_vi


class TestVietnamCalendar:
    """Days off and working days of the default calendar."""

    @pytest.mark.parametrize(
        "day",
        [
            date(2025, 1, 27),
            date(2025, 1, 31),
            date(2025, 4, 7),
            date(2025, 5, 2),
            date(2025, 9, 1),
            date(2026, 1, 2),
            date(2026, 2, 16),
            date(2026, 2, 20),
            date(2026, 4, 27),
            date(2026, 8, 31),
            date(2026, 11, 24),
            date(2027, 2, 10),
            date(2027, 5, 3),
        ],
    )
    def test_weekday_days_off(self, cal: WorkingCalendar, day: date) -> None:
        """Weekday holidays and official days off are closed."""
        assert day.weekday() < 5
        assert not cal.is_working_day(day)

    @pytest.mark.parametrize("day", [date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)])
    def test_worked_saturdays(self, cal: WorkingCalendar, day: date) -> None:
        """The Saturdays worked in exchange open with the weekday hours."""
        assert day.weekday() == 5
        assert cal.is_working_day(day)
        assert cal.hours_on(day) == cal.hours_on(date(2026, 3, 2))

    def test_ordinary_saturday_closed(self, cal: WorkingCalendar) -> None:
        """A Saturday that is not swapped stays closed."""
        assert not cal.is_working_day(date(2026, 1, 17))

    def test_default_is_shared(self) -> None:
        """The default calendar is built once (its index is shared)."""
        assert vietnam_calendar() is vietnam_calendar()

    def test_without_official_schedule(self) -> None:
        """Statutory days only: the swaps disappear on both sides."""
        cal = vietnam_calendar(official_days_off=False)
        assert cal.is_working_day(date(2026, 1, 2))
        assert not cal.is_working_day(date(2026, 1, 10))
        assert cal.is_working_day(date(2025, 5, 2))
        assert not cal.is_working_day(date(2026, 2, 16))

    def test_local_office_hours_and_saturday_morning(self) -> None:
        """A local office opening at 7:30 with Saturday mornings."""
        cal = vietnam_calendar(hours="07:30-11:30, 13:30-17:00", saturday_morning=True)
        assert cal.is_open(vn(2026, 3, 7, 9, 0))  # a Saturday morning
        assert not cal.is_open(vn(2026, 3, 7, 14, 0))
        assert cal.is_open(vn(2026, 3, 2, 7, 45))
        assert not cal.is_open(vn(2026, 3, 2, 13, 15))
        assert not cal.is_open(vn(2026, 2, 14, 9, 0))  # Tết Saturday
        assert cal.add(vn(2026, 3, 6, 16, 30), H) == vn(2026, 3, 7, 8, 0)

    def test_extra_days(self) -> None:
        """Extra days off and working days win over the official data."""
        cal = vietnam_calendar(
            extra_days_off=[date(2026, 3, 3)], extra_working_days=[date(2026, 2, 16)]
        )
        assert not cal.is_working_day(date(2026, 3, 3))
        assert cal.is_working_day(date(2026, 2, 16))


class TestWorkingTime:
    """add, working_time, next_open, is_open on dated cases."""

    def test_tet_2026(self, cal: WorkingCalendar) -> None:
        """Two working hours from Friday 13 Feb 16:00 end after Tết, Monday 23 Feb 09:00."""
        start = vn(2026, 2, 13, 16, 0)
        assert cal.add(start, 2 * H) == vn(2026, 2, 23, 9, 0)
        assert cal.working_time(start, vn(2026, 2, 23, 9, 0)) == 2 * H
        assert cal.next_open(vn(2026, 2, 14, 10, 0)) == vn(2026, 2, 23, 8, 0)

    def test_saturday_worked_10_january_2026(self, cal: WorkingCalendar) -> None:
        """The worked Saturday carries working time; the Friday it replaces does not."""
        assert cal.add(vn(2026, 1, 9, 16, 0), 2 * H) == vn(2026, 1, 10, 9, 0)
        assert cal.add(vn(2025, 12, 31, 16, 0), 2 * H) == vn(2026, 1, 5, 9, 0)
        assert not cal.is_open(vn(2026, 1, 2, 10, 0))
        assert cal.is_open(vn(2026, 1, 10, 10, 0))

    def test_hung_kings_sunday_2026(self, cal: WorkingCalendar) -> None:
        """Hùng Kings on Sunday 26 April: Monday 27 April is off too."""
        assert cal.add(vn(2026, 4, 24, 16, 0), 2 * H) == vn(2026, 4, 28, 9, 0)

    def test_lunch_break(self, cal: WorkingCalendar) -> None:
        """The lunch break is not working time."""
        monday = (2026, 3, 2)
        assert cal.add(vn(*monday, 11, 30), H) == vn(*monday, 13, 30)
        assert not cal.is_open(vn(*monday, 12, 0))
        assert not cal.is_open(vn(*monday, 12, 59))
        assert cal.is_open(vn(*monday, 11, 59))
        assert cal.next_open(vn(*monday, 12, 15)) == vn(*monday, 13, 0)
        assert cal.working_time(vn(*monday, 8, 0), vn(*monday, 17, 0)) == 8 * H
        assert cal.add(vn(*monday, 12, 0), timedelta(minutes=30)) == vn(*monday, 13, 30)

    def test_closing_time_stays(self, cal: WorkingCalendar) -> None:
        """A result exactly on a closing time stays there: due at 17:00, or 12:00."""
        monday = (2026, 3, 2)
        assert cal.add(vn(*monday, 16, 0), H) == vn(*monday, 17, 0)
        assert cal.add(vn(*monday, 11, 0), H) == vn(*monday, 12, 0)
        assert cal.add(vn(*monday, 8, 0), 8 * H) == vn(*monday, 17, 0)
        assert cal.add(vn(*monday, 17, 0), H) == vn(2026, 3, 3, 9, 0)
        assert not cal.is_open(vn(*monday, 17, 0))

    def test_deadline_keeps_its_hour(self, cal: WorkingCalendar) -> None:
        """16 working hours from Monday 10:00 are Wednesday 10:00, not midnight."""
        assert cal.add(vn(2026, 3, 2, 10, 0), 16 * H) == vn(2026, 3, 4, 10, 0)

    def test_starts_in_utc(self, cal: WorkingCalendar) -> None:
        """UTC input is read in local time; results come back in the calendar's zone."""
        start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
        result = cal.add(start, 4 * H)
        assert result == vn(2026, 3, 2, 12, 0)
        assert result.tzinfo == VN
        # 09:00 Monday 16 Feb in Vietnam is 02:00 UTC: a Tết day, closed
        assert not cal.is_open(datetime(2026, 2, 16, 2, 0, tzinfo=UTC))
        # Sunday 22 Feb 23:00 UTC is Monday 23 Feb 06:00 in Vietnam: opens at 08:00 local
        assert cal.next_open(datetime(2026, 2, 22, 23, 0, tzinfo=UTC)) == vn(2026, 2, 23, 8, 0)
        assert cal.add(datetime(2026, 2, 13, 9, 30, tzinfo=UTC), H) == vn(2026, 2, 23, 8, 30)

    def test_year_ends(self, cal: WorkingCalendar) -> None:
        """Periods across New Year use both years' days off."""
        assert cal.add(vn(2026, 12, 31, 16, 0), 2 * H) == vn(2027, 1, 4, 9, 0)
        assert cal.working_time(vn(2025, 12, 31, 8, 0), vn(2026, 1, 5, 17, 0)) == 16 * H
        assert cal.add(vn(2024, 12, 31, 16, 0), 2 * H) == vn(2025, 1, 2, 9, 0)

    def test_long_add_spans_years(self, cal: WorkingCalendar) -> None:
        """A long duration extends the index year by year."""
        start = vn(2025, 6, 2, 8, 0)
        end = cal.add(start, timedelta(hours=8 * 600))
        assert cal.working_time(start, end) == timedelta(hours=8 * 600)
        assert end.year == 2027

    def test_subtract(self, cal: WorkingCalendar) -> None:
        """Counting backwards mirrors add; a result exactly on an opening stays there."""
        assert cal.subtract(vn(2026, 2, 23, 9, 0), 2 * H) == vn(2026, 2, 13, 16, 0)
        assert cal.subtract(vn(2026, 3, 2, 14, 0), H) == vn(2026, 3, 2, 13, 0)
        assert cal.subtract(vn(2026, 3, 2, 13, 30), H) == vn(2026, 3, 2, 11, 30)
        assert cal.subtract(vn(2026, 3, 2, 15, 0), timedelta(0)) == vn(2026, 3, 2, 15, 0)

    def test_zero_and_microseconds(self, cal: WorkingCalendar) -> None:
        """Adding zero returns the start; microseconds are kept exactly."""
        start = vn(2026, 3, 2, 12, 30)
        assert cal.add(start, timedelta(0)) == start
        start = vn(2026, 3, 2, 9, 0, 0, 123457)
        assert cal.add(start, timedelta(microseconds=1)) == vn(2026, 3, 2, 9, 0, 0, 123458)

    def test_working_times_in_one_pass(self, cal: WorkingCalendar) -> None:
        """working_times equals working_time for each moment; earlier moments are refused."""
        start = vn(2026, 2, 13, 9, 0)
        moments = [vn(2026, 2, 13, 12, 30), vn(2026, 2, 23, 9, 0), start]
        assert cal.working_times(start, moments) == tuple(
            cal.working_time(start, m) for m in moments
        )
        with pytest.raises(InvalidInputError, match="before start"):
            cal.working_times(start, iter([vn(2026, 2, 13, 8, 0)]))

    def test_always_open(self) -> None:
        """The 24/7 calendar counts elapsed time."""
        start = vn(2026, 2, 16, 3, 17)
        assert ALWAYS_OPEN.add(start, timedelta(days=3, minutes=5)) == start + timedelta(
            days=3, minutes=5
        )
        assert ALWAYS_OPEN.is_open(start)
        assert ALWAYS_OPEN.working_time(start, start + timedelta(days=400)) == timedelta(days=400)
        assert ALWAYS_OPEN.next_open(vn(2026, 12, 31, 23, 59)) == vn(2026, 12, 31, 23, 59)


class TestLegalCounting:
    """Civil Code 2015 Art. 147-148 on working-day and calendar-day periods."""

    def test_working_days_skip_tet(self, cal: WorkingCalendar) -> None:
        """5 working days after Friday 13 Feb 2026 end at 24:00 on Friday 27 Feb."""
        assert cal.add_working_days(vn(2026, 2, 13, 10, 0), 5) == vn(2026, 2, 28, 0, 0)

    def test_event_day_not_counted(self, cal: WorkingCalendar) -> None:
        """Counting starts the day after the event, whatever its hour."""
        assert cal.add_working_days(vn(2026, 3, 2, 0, 1), 1) == vn(2026, 3, 4, 0, 0)
        assert cal.add_working_days(vn(2026, 3, 2, 23, 59), 1) == vn(2026, 3, 4, 0, 0)

    def test_worked_saturday_counts(self, cal: WorkingCalendar) -> None:
        """The worked Saturday 10 Jan 2026 is a working day for legal counting."""
        assert cal.add_working_days(vn(2026, 1, 9, 15, 0), 1) == vn(2026, 1, 11, 0, 0)

    def test_calendar_days_ending_on_tet(self, cal: WorkingCalendar) -> None:
        """10 days after 4 Feb 2026 end on Tết; the period runs to 24:00 of Monday 23 Feb."""
        assert cal.add_days(vn(2026, 2, 4, 10, 0), 10) == vn(2026, 2, 24, 0, 0)

    def test_calendar_days_ending_on_compensatory_day(self, cal: WorkingCalendar) -> None:
        """10 days after 17 Apr 2026 end on Mon 27 Apr (compensatory): moved to Tue 28 Apr."""
        assert cal.add_days(vn(2026, 4, 17, 9, 0), 10) == vn(2026, 4, 29, 0, 0)

    def test_calendar_days_ending_on_working_day(self, cal: WorkingCalendar) -> None:
        """30 days after 2 Mar 2026 end at 24:00 on Wed 1 Apr."""
        assert cal.add_days(vn(2026, 3, 2, 9, 0), 30) == vn(2026, 4, 2, 0, 0)

    def test_event_day_is_local(self, cal: WorkingCalendar) -> None:
        """An event at 23:30 UTC on 1 Jan is on 2 Jan in Vietnam."""
        event = datetime(2026, 1, 1, 23, 30, tzinfo=UTC)
        assert cal.add_working_days(event, 1) == vn(2026, 1, 6, 0, 0)
        assert cal.add_days(event, 0) == vn(2026, 1, 3, 0, 0)


class TestErrors:
    """Clear errors, every problem listed."""

    def test_naive_refused(self, cal: WorkingCalendar) -> None:
        """Every operation refuses a naive datetime."""
        naive = datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - the point of the test
        aware = vn(2026, 3, 2, 9, 0)
        for call in (
            lambda: cal.is_open(naive),
            lambda: cal.next_open(naive),
            lambda: cal.add(naive, H),
            lambda: cal.subtract(naive, H),
            lambda: cal.working_time(naive, aware),
            lambda: cal.working_time(aware, naive),
            lambda: cal.add_working_days(naive, 1),
            lambda: cal.add_days(naive, 1),
        ):
            with pytest.raises(NaiveDatetimeError):
                call()

    def test_negative_refused(self, cal: WorkingCalendar) -> None:
        """Negative durations and counts are refused with a way out."""
        with pytest.raises(InvalidInputError, match="subtract"):
            cal.add(vn(2026, 3, 2, 9, 0), -H)
        with pytest.raises(InvalidInputError, match="negative"):
            cal.add_working_days(vn(2026, 3, 2, 9, 0), -1)
        with pytest.raises(InvalidInputError, match="before start"):
            cal.working_time(vn(2026, 3, 2, 9, 0), vn(2026, 3, 2, 8, 0))

    def test_every_problem_listed(self) -> None:
        """An invalid calendar reports all its problems at once."""
        with pytest.raises(CalendarError) as info:
            WorkingCalendar(
                zone="Asia/Hanoi_Nowhere",
                weekly_hours={
                    "mon": "08:00-12:00, 11:00-17:00",
                    "tue": "13:00-17:00, 08:00-12:00",
                    "wed": "09:00-09:00",
                    "thu": "17:00-08:00",
                    "funday": "08:00-09:00",
                },
            )
        problems = info.value.problems
        assert len(problems) == 6
        text = str(info.value)
        for word in ("unknown", "overlap", "not in order", "empty or reversed", "funday"):
            assert word in text

    def test_conflicting_days(self) -> None:
        """A date both off and worked is refused."""
        with pytest.raises(CalendarError, match="both a day off and a working day"):
            WorkingCalendar(
                zone=VN,
                weekly_hours={"mon-fri": "08:00-17:00"},
                days_off=[DayOff(date(2026, 3, 2))],
                working_days=[WorkingDay(date(2026, 3, 2))],
            )

    def test_empty_week_refused(self) -> None:
        """A calendar that never opens is refused."""
        with pytest.raises(CalendarError, match="all empty"):
            WorkingCalendar(zone=VN, weekly_hours={})

    def test_working_day_needs_hours(self) -> None:
        """A working day with empty hours is refused."""
        with pytest.raises(CalendarError, match="DayOff"):
            WorkingDay(date(2026, 3, 7), "")

    def test_immutable_and_hashable(self, cal: WorkingCalendar) -> None:
        """Calendars are frozen values."""
        with pytest.raises(dataclasses.FrozenInstanceError):
            cal.name = "other"  # type: ignore[misc]
        assert cal == vietnam_calendar(name="vietnam", extra_days_off=[])
        assert hash(cal) == hash(vietnam_calendar(name="vietnam", extra_days_off=[]))


class TestOfficialSchedule:
    """The official schedule is data a user can extend without a release."""

    def test_shipped_years(self) -> None:
        """2025 and 2026 ship, each with its source."""
        schedule = load_official_schedule()
        assert schedule.years == (2025, 2026)
        assert all(source for _, source in schedule.sources)

    def test_new_year_from_mapping(self) -> None:
        """A 2027 decision given as data closes its days and opens its worked Saturday."""
        data = {
            "years": {
                "2027": {
                    "source": "a 2027 decision",
                    "days_off": [{"from": "2027-02-11", "name": "Tết extension"}],
                    "working_days": [{"date": "2027-02-20", "hours": "08:00-12:00"}],
                }
            }
        }
        cal = vietnam_calendar(official_schedule=data)
        assert not cal.is_working_day(date(2027, 2, 11))
        assert cal.hours_on(date(2027, 2, 20))[-1][1].hour == 12
        assert not cal.is_working_day(date(2026, 2, 16))  # shipped years kept

    def test_year_replaced_from_file(self, tmp_path: Path) -> None:
        """A year in the user's file replaces the shipped year."""
        path = tmp_path / "days.json"
        path.write_text(json.dumps({"years": {"2026": {"days_off": []}}}), "utf-8")
        cal = vietnam_calendar(official_schedule=path)
        assert cal.is_working_day(date(2026, 1, 2))
        assert not cal.is_working_day(date(2026, 2, 17))  # statutory Tết stays
        schedule = load_official_schedule(path)
        assert isinstance(schedule, OfficialSchedule)
        assert vietnam_calendar(official_schedule=schedule).is_working_day(date(2026, 1, 2))

    def test_bad_data_lists_every_problem(self) -> None:
        """Wrong data is refused with every problem."""
        data = {
            "years": {
                "2027": {
                    "days_off": [
                        {"from": "2027-02-11", "to": "2027-02-01"},
                        {"from": "2026-12-31"},
                    ],
                    "working_days": [{"date": "2027-13-01"}],
                    "colour": "red",
                }
            }
        }
        with pytest.raises(CalendarError) as info:
            load_official_schedule(data)
        assert len(info.value.problems) == 3

    def test_not_in_its_year(self) -> None:
        """A date filed under the wrong year is refused."""
        with pytest.raises(CalendarError, match="not in 2027"):
            load_official_schedule({"years": {"2027": {"days_off": [{"from": "2026-12-31"}]}}})


class TestCli:
    """``vss-care calendar``."""

    def test_2026(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The 2026 listing shows Tết, the swapped Saturday and labels."""
        assert main(["calendar", "2026"]) == 0
        out = capsys.readouterr().out
        assert "2026-02-16 Mon" in out
        assert "2026-01-10 Sat  08:00-12:00, 13:00-17:00" in out
        assert "Tết" in out

    def test_2027_has_no_schedule(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without an official schedule the command says so."""
        assert main(["calendar", "2027", "--lang", "en", "--weekdays-only"]) == 0
        out = capsys.readouterr().out
        assert "No official schedule for 2027" in out
        assert "2027-02-06" not in out  # a Saturday


class TestOtherZones:
    """Calendars in zones with daylight saving time."""

    def test_clocks_go_forward(self) -> None:
        """On 29 Mar 2026 Paris skips 02:00-03:00: a 24-hour day has 23 working hours."""
        paris = ZoneInfo("Europe/Paris")
        cal = WorkingCalendar(zone=paris, weekly_hours={"mon-sun": "00:00-24:00"})
        start = datetime(2026, 3, 29, tzinfo=paris)
        end = datetime(2026, 3, 30, tzinfo=paris)
        assert cal.working_time(start, end) == timedelta(hours=23)
        office = WorkingCalendar(zone=paris, weekly_hours={"mon-sun": "08:00-12:00, 13:00-17:00"})
        assert office.working_time(start, end) == 8 * H
        assert office.add(datetime(2026, 3, 28, 16, 0, tzinfo=paris), 2 * H) == datetime(
            2026, 3, 29, 9, 0, tzinfo=paris
        )

    def test_clocks_go_back(self) -> None:
        """On 25 Oct 2026 Paris repeats 02:00-03:00: a 24-hour day has 25 working hours."""
        paris = ZoneInfo("Europe/Paris")
        cal = WorkingCalendar(zone="Europe/Paris", weekly_hours={"mon-sun": "00:00-24:00"})
        start = datetime(2026, 10, 25, tzinfo=paris)
        assert cal.working_time(start, datetime(2026, 10, 26, tzinfo=paris)) == 25 * H
        assert cal.add_days(start, 1) == datetime(2026, 10, 27, tzinfo=paris)

    def test_utc_zone_accepted(self) -> None:
        """datetime.UTC is accepted as the zone."""
        cal = WorkingCalendar(zone=UTC, weekly_hours={"mon-fri": "09:00-17:00"})
        assert cal.zone == ZoneInfo("UTC")
