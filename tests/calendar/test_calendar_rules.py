"""Seasonal and recurring hours: dated cases, precedence, validation, and oracles.

The sample office below opens 07:30-11:30 and 13:30-17:00 on weekdays, 07:30-11:30 and
13:00-16:30 in winter (1 November to 31 March), and 08:00-11:30 on the first Saturday of each
month: example values, not any office's published hours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.calendar import (
    DayOff,
    RecurringHours,
    SeasonalHours,
    WorkingCalendar,
    WorkingDay,
    vietnam_calendar,
)
from vss_care_core.errors import CalendarError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
H = timedelta(hours=1)
WINTER: dict[str, Any] = {
    "from": "11-01",
    "to": "03-31",
    "weekly_hours": {"mon-fri": "07:30-11:30, 13:00-16:30"},
    "name": "Winter hours",
    "name_vi": "Giờ làm việc mùa đông",
}
FIRST_SATURDAY: dict[str, Any] = {
    "rule": "FREQ=MONTHLY;BYDAY=+1SA",
    "hours": "08:00-11:30",
    "name": "First Saturday of the month",
    "name_vi": "Thứ Bảy đầu tháng",
}
SUMMER_WEEK = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
WINTER_WEEK = ((time(7, 30), time(11, 30)), (time(13, 0), time(16, 30)))
SATURDAY_MORNING = ((time(8, 0), time(11, 30)),)


def vn(*args: int) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


@pytest.fixture(scope="module")
def office() -> WorkingCalendar:
    """A provincial office: local hours, winter hours, first Saturday mornings, VN holidays."""
    return vietnam_calendar(
        hours="07:30-11:30, 13:30-17:00",
        seasonal_hours=[WINTER],
        recurring_hours=[FIRST_SATURDAY],
        name="province",
    )


class TestWinterHours:
    """A season from 1 November to 31 March, over New Year."""

    def test_1_november_2026(self, office: WorkingCalendar) -> None:
        """1 Nov 2026 is a Sunday (closed); Monday 2 November works the winter hours."""
        assert date(2026, 11, 1).weekday() == 6
        assert office.hours_on(date(2026, 11, 1)) == ()
        assert office.hours_on(date(2026, 11, 2)) == WINTER_WEEK
        assert office.is_open(vn(2026, 11, 2, 7, 45))
        assert not office.is_open(vn(2026, 11, 2, 16, 45))

    def test_31_october_is_before_the_season(self, office: WorkingCalendar) -> None:
        """Friday 30 October keeps the base hours; Saturday 31 October stays closed."""
        assert office.hours_on(date(2026, 10, 30)) == SUMMER_WEEK
        assert office.hours_on(date(2026, 10, 31)) == ()
        # a week that opens on Saturdays shows the change from 31 October to 1 November
        week = WorkingCalendar(
            zone=VN,
            weekly_hours={"mon-sun": "08:00-12:00"},
            seasonal_hours=[SeasonalHours("11-01", "03-31", {"mon-sun": "09:00-11:00"})],
        )
        assert week.hours_on(date(2026, 10, 31)) == ((time(8, 0), time(12, 0)),)
        assert week.hours_on(date(2026, 11, 1)) == ((time(9, 0), time(11, 0)),)

    def test_31_march_and_1_april(self, office: WorkingCalendar) -> None:
        """Tuesday 31 March 2026 is the last winter day; Wednesday 1 April has the base hours."""
        assert office.hours_on(date(2026, 3, 31)) == WINTER_WEEK
        assert office.hours_on(date(2026, 4, 1)) == SUMMER_WEEK
        assert office.working_time(vn(2026, 3, 31, 0, 0), vn(2026, 4, 2, 0, 0)) == 15 * H

    def test_over_new_year(self, office: WorkingCalendar) -> None:
        """The season runs over New Year: 5 January 2027 works the winter hours."""
        assert office.hours_on(date(2027, 1, 5)) == WINTER_WEEK

    def test_add_across_the_season_change(self, office: WorkingCalendar) -> None:
        """Two hours from 16:00 on Tuesday 31 March: 30 minutes of winter, then 1 April."""
        assert office.add(vn(2026, 3, 31, 16, 0), 2 * H) == vn(2026, 4, 1, 9, 0)

    def test_worked_saturday_in_winter_works_winter_hours(self, office: WorkingCalendar) -> None:
        """Saturday 10 January 2026 (worked in exchange) works the Monday hours of its season."""
        assert office.hours_on(date(2026, 1, 10)) == WINTER_WEEK


class TestFirstSaturday:
    """FREQ=MONTHLY;BYDAY=+1SA, 08:00-11:30."""

    def test_first_open_second_closed(self, office: WorkingCalendar) -> None:
        """7 March 2026, the first Saturday, opens in the morning; 14 March does not."""
        assert office.hours_on(date(2026, 3, 7)) == SATURDAY_MORNING
        assert office.is_open(vn(2026, 3, 7, 9, 0))
        assert not office.is_open(vn(2026, 3, 7, 13, 0))
        assert office.hours_on(date(2026, 3, 14)) == ()
        assert not office.is_working_day(date(2026, 3, 14))

    def test_working_time_across_a_first_saturday(self, office: WorkingCalendar) -> None:
        """Friday 6 March 16:00 to Monday 9 March 08:30 (winter): 0.5 h + 3.5 h + 1 h."""
        assert office.working_time(vn(2026, 3, 6, 16, 0), vn(2026, 3, 9, 8, 30)) == 5 * H
        assert office.add(vn(2026, 3, 6, 16, 0), H) == vn(2026, 3, 7, 8, 30)
        assert office.next_open(vn(2026, 3, 6, 17, 0)) == vn(2026, 3, 7, 8, 0)
        assert office.subtract(vn(2026, 3, 9, 8, 0), H) == vn(2026, 3, 7, 11, 0)

    def test_first_saturday_counts_as_a_working_day(self, office: WorkingCalendar) -> None:
        """For legal counting, a first Saturday with opening hours is a working day."""
        assert office.add_working_days(vn(2026, 3, 6, 10, 0), 1) == vn(2026, 3, 8, 0, 0)
        assert office.add_days(vn(2026, 3, 5, 10, 0), 2) == vn(2026, 3, 8, 0, 0)
        # 14 March is not a first Saturday: a period ending on it moves to Monday 16 March
        assert office.add_days(vn(2026, 3, 12, 10, 0), 2) == vn(2026, 3, 17, 0, 0)

    def test_first_saturday_on_a_day_off_is_closed(self, office: WorkingCalendar) -> None:
        """2 May 2026, the first Saturday of May, is an official day off (30 April - 3 May)."""
        assert date(2026, 5, 2).weekday() == 5
        assert date(2026, 5, 2) in {d.day for d in office.days_off}
        assert office.hours_on(date(2026, 5, 2)) == ()
        # 16:30-17:00 on Wednesday 29 April, then 07:30-08:00 on Monday 4 May
        assert office.add(vn(2026, 4, 29, 16, 30), H) == vn(2026, 5, 4, 8, 0)

    def test_first_saturday_on_a_statutory_holiday_is_closed(self) -> None:
        """1 Jan 2028 is a Saturday, the first of the month, and a statutory holiday: closed."""
        cal = vietnam_calendar(recurring_hours=[FIRST_SATURDAY])
        assert date(2028, 1, 1).weekday() == 5
        assert 2028 not in {d.day.year for d in cal.days_off}  # only the holiday source
        assert cal.hours_on(date(2028, 1, 1)) == ()
        assert cal.hours_on(date(2028, 2, 5)) == SATURDAY_MORNING

    def test_an_explicit_working_day_opens_a_holiday(self) -> None:
        """A WorkingDay given for the date beats the holiday and the rule."""
        cal = vietnam_calendar(
            recurring_hours=[FIRST_SATURDAY],
            extra_working_days=[WorkingDay(date(2028, 1, 1), "08:00-10:00")],
        )
        assert cal.hours_on(date(2028, 1, 1)) == ((time(8, 0), time(10, 0)),)

    def test_an_explicit_day_off_closes_a_first_saturday(self) -> None:
        """A DayOff given for the date beats the rule."""
        cal = vietnam_calendar(recurring_hours=[FIRST_SATURDAY], extra_days_off=[date(2026, 3, 7)])
        assert cal.hours_on(date(2026, 3, 7)) == ()


class TestPrecedence:
    """Per date, first match wins: working day, day off, holiday, rule, season, week."""

    def test_rule_beats_season_and_week(self) -> None:
        """A rule's hours replace the season's hours of that date, which replace the week's."""
        cal = WorkingCalendar(
            zone=VN,
            weekly_hours={"mon-fri": "08:00-17:00"},
            seasonal_hours=[
                {"from": "03-01", "to": "03-31", "weekly_hours": {"mon-fri": "09:00-16:00"}}
            ],
            recurring_hours=[{"rule": "FREQ=MONTHLY;BYDAY=-1FR", "hours": "08:00-12:00"}],
        )
        assert cal.hours_on(date(2026, 3, 27)) == ((time(8, 0), time(12, 0)),)  # last Friday
        assert cal.hours_on(date(2026, 3, 20)) == ((time(9, 0), time(16, 0)),)  # season
        assert cal.hours_on(date(2026, 4, 3)) == ((time(8, 0), time(17, 0)),)  # week

    def test_first_rule_listed_wins(self) -> None:
        """When two rules give the same date, the first listed gives its hours."""
        cal = WorkingCalendar(
            zone=VN,
            weekly_hours={"mon-fri": "08:00-17:00"},
            recurring_hours=[
                RecurringHours("FREQ=MONTHLY;BYDAY=+1SA", "08:00-11:30"),
                RecurringHours("FREQ=WEEKLY;BYDAY=SA", "08:00-10:00"),
            ],
        )
        assert cal.hours_on(date(2026, 3, 7)) == SATURDAY_MORNING
        assert cal.hours_on(date(2026, 3, 14)) == ((time(8, 0), time(10, 0)),)

    def test_a_rule_that_closes(self) -> None:
        """A rule with hours 'closed' closes its dates (the last Friday afternoon, say)."""
        cal = WorkingCalendar(
            zone=VN,
            weekly_hours={"mon-fri": "08:00-17:00"},
            recurring_hours=[{"rule": "FREQ=MONTHLY;BYDAY=-1FR", "hours": "closed"}],
        )
        assert not cal.is_working_day(date(2026, 3, 27))
        assert cal.is_working_day(date(2026, 3, 20))
        found = {d.day: d for d in cal.special_days(2026)}
        assert isinstance(found[date(2026, 3, 27)], DayOff)
        assert found[date(2026, 3, 27)].kind == "recurring"

    def test_special_days_list_the_rule_dates(self, office: WorkingCalendar) -> None:
        """special_days gives the rule's dates as recurring working days, holidays as days off."""
        special = {d.day: d for d in office.special_days(2026)}
        march = special[date(2026, 3, 7)]
        assert isinstance(march, WorkingDay)
        assert (march.kind, march.hours, march.name_vi) == (
            "recurring",
            SATURDAY_MORNING,
            "Thứ Bảy đầu tháng",
        )
        may = special[date(2026, 5, 2)]
        assert isinstance(may, DayOff)
        assert may.kind == "official"
        first_saturdays = [d for d, s in special.items() if s.kind == "recurring"]
        # 12 first Saturdays, less 3 Jan and 2 May (official days off)
        assert len(first_saturdays) == 10
        assert date(2026, 3, 14) not in special


class TestValidation:
    """Problems are listed all at once, each with where it is."""

    def test_every_problem_with_where(self) -> None:
        """Bad rules, unknown weekdays, overlaps: one CalendarError lists them all."""
        with pytest.raises(CalendarError) as info:
            WorkingCalendar(
                zone=VN,
                weekly_hours={"mon-fri": "08:00-17:00"},
                seasonal_hours=[
                    {
                        "from": "11-01",
                        "to": "03-31",
                        "weekly_hours": {"mon-fry": "07:30-11:30"},
                        "name": "Winter",
                    },
                    {"from": "02-30", "to": "04-30", "weekly_hours": {}},
                ],
                recurring_hours=[
                    {
                        "rule": "FREQ=MONTHLY;BYDAY=+1SX",
                        "hours": "08:00-11:30",
                        "name": "First Saturday",
                    },
                    {"rule": "FREQ=MONTHLY;BYDAY=+1SA", "hours": "08:00-11:30, 11:00-12:00"},
                    {"rule": "FREQ=MONTHLY;BYDAYS=SA", "hours": "08:00-11:30", "colour": "red"},
                ],
            )
        problems = info.value.problems
        assert len(problems) == 7
        assert problems[0].startswith("seasonal_hours[0] 'Winter': ")
        assert "'fry' in 'mon-fry'" in problems[0]
        assert "did you mean 'friday' or 'fri'?" in problems[0]
        assert problems[1].startswith("seasonal_hours[1]: ")
        assert "'02-30'" in problems[1]
        assert problems[2].startswith("recurring_hours[0] 'First Saturday': ")
        assert "'+1SX' in BYDAY is not a weekday" in problems[2]
        assert problems[3].startswith("recurring_hours[1]: ")
        assert "overlap" in problems[3]
        assert "unknown key 'colour'" in problems[4]
        assert "unknown part 'BYDAYS'; did you mean BYDAY?" in problems[5]
        assert "names no day" in problems[6]

    def test_overlapping_seasons(self) -> None:
        """Two seasons may not share a date."""
        with pytest.raises(CalendarError, match=r"overlap on 31 days of the year, from 03-01"):
            WorkingCalendar(
                zone=VN,
                weekly_hours={"mon-fri": "08:00-17:00"},
                seasonal_hours=[
                    SeasonalHours("11-01", "03-31", {"mon-fri": "07:30-16:30"}, name="Winter"),
                    SeasonalHours("03-01", "04-30", {"mon-fri": "07:00-16:00"}, name="Spring"),
                ],
            )

    @pytest.mark.parametrize(
        ("rule", "expected"),
        [
            ("FREQ=HOURLY;BYDAY=SA", "repeats within a day"),
            ("FREQ=DAILY;BYHOUR=8", "BYHOUR sets times"),
            ("FREQ=FORTNIGHTLY;BYDAY=SA", "not a frequency"),
            ("BYDAY=SA", "FREQ is missing"),
            ("FREQ=MONTHLY", "names no day"),
            ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", "give it as 'start'"),
            ("FREQ=MONTHLY;BYDAY=SA;UNTIL=2026", "UNTIL=2026 is not a local date"),
            ("FREQ=MONTHLY;BYDAY=SA;BYDAY=SU", "given twice"),
            ("DTSTART:20260101\nRRULE:FREQ=DAILY", "not DTSTART"),
            ("FREQ=MONTHLY;BYMONTHDAY=40", "'40' is not 1 to 31 or -1 to -31"),
            ("FREQ=YEARLY;BYMONTH=13;BYMONTHDAY=1", "'13' is not 1 to 12"),
            ("FREQ=WEEKLY;BYDAY=SA;INTERVAL=0", "'0' is not 1 to 1000"),
            ("FREQ=WEEKLY;BYDAY=SA;WKST=XX", "not a valid recurrence rule"),
        ],
    )
    def test_bad_rules(self, rule: str, expected: str) -> None:
        """Each bad rule is refused with a message saying how to fix it."""
        with pytest.raises(CalendarError, match=expected):
            RecurringHours(rule, "08:00-11:30")

    def test_interval_with_a_start(self) -> None:
        """Every other Saturday counts from its start."""
        rule = RecurringHours("freq=weekly;interval=2;byday=sa", "08:00-11:30", start="2026-01-03")
        assert rule.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA"
        assert rule.dates(2026)[:3] == (date(2026, 1, 3), date(2026, 1, 17), date(2026, 1, 31))
        assert rule.dates(2025) == ()

    def test_values_compare_and_hash(self) -> None:
        """Rules and seasons are values: equal when built equal, usable as keys."""
        assert RecurringHours(**{"rule": "FREQ=MONTHLY;BYDAY=+1SA", "hours": "08:00-11:30"}) == (
            RecurringHours.from_dict(
                {"rule": "RRULE:freq=monthly;byday=+1sa", "hours": "08:00-11:30"}
            )
        )
        assert hash(SeasonalHours.from_dict(WINTER)) == hash(SeasonalHours.from_dict(dict(WINTER)))
        one = vietnam_calendar(seasonal_hours=[WINTER], recurring_hours=[FIRST_SATURDAY])
        two = vietnam_calendar(
            seasonal_hours=[SeasonalHours.from_dict(WINTER)],
            recurring_hours=[RecurringHours.from_dict(FIRST_SATURDAY)],
        )
        assert one == two
        assert hash(one) == hash(two)
        assert one != vietnam_calendar()


class TestFromData:
    """WorkingCalendar.from_dict reads a calendar from parsed JSON."""

    DATA: ClassVar[dict[str, Any]] = {
        "name": "province",
        "zone": "Asia/Ho_Chi_Minh",
        "weekly_hours": {"monday-friday": "07:30-11:30, 13:30-17:00"},
        "seasonal_hours": [WINTER],
        "recurring_hours": [FIRST_SATURDAY],
        "days_off": [{"from": "2026-03-16", "to": "2026-03-17", "name": "Office move"}],
        "working_days": [{"date": "2026-03-21", "hours": "08:00-11:00"}],
        "note": "sample values",
    }

    def test_reads_everything(self) -> None:
        """Every part of the data is in the calendar."""
        cal = WorkingCalendar.from_dict(self.DATA)
        assert cal.name == "province"
        assert cal.hours_on(date(2026, 3, 2)) == WINTER_WEEK
        assert cal.hours_on(date(2026, 4, 6)) == SUMMER_WEEK
        assert cal.hours_on(date(2026, 3, 7)) == SATURDAY_MORNING
        assert not cal.is_working_day(date(2026, 3, 16))
        assert not cal.is_working_day(date(2026, 3, 17))
        assert cal.hours_on(date(2026, 3, 21)) == ((time(8, 0), time(11, 0)),)

    def test_every_problem_at_once(self) -> None:
        """Unknown keys, bad dates and a bad calendar: all listed."""
        data = {
            **self.DATA,
            "zone": "Asia/Nowhere",
            "days_off": [{"from": "2026-02-30"}],
            "working_days": [{"day": "2026-03-21"}],
            "colour": "red",
        }
        with pytest.raises(CalendarError) as info:
            WorkingCalendar.from_dict(data)
        text = "\n".join(info.value.problems)
        assert "unknown key 'colour'" in text
        assert "days_off[0] 'from': '2026-02-30' is not a date" in text
        assert "working_days[0]: unknown key 'day': did you mean 'date'?" in text
        assert "working_days[0]: 'date' is missing" in text
        assert "time zone 'Asia/Nowhere' is unknown" in text


# ----------------------------------------------------------------- oracles
def first_weekdays(year: int, weekday: int, ordinal: int) -> list[date]:
    """The ``ordinal``-th ``weekday`` of each month (-1: the last), walking the days."""
    found = []
    for month in range(1, 13):
        days = []
        day = date(year, month, 1)
        while day.month == month:
            if day.weekday() == weekday:
                days.append(day)
            day += timedelta(days=1)
        found.append(days[ordinal - 1] if ordinal > 0 else days[ordinal])
    return found


CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@given(st.integers(1900, 2200), st.integers(0, 6), st.sampled_from([1, 2, 3, 4, -1, -2]))
def test_monthly_rules_against_walking(year: int, weekday: int, ordinal: int) -> None:
    """FREQ=MONTHLY;BYDAY=nXX gives the n-th weekday of every month, as walking finds it."""
    rule = RecurringHours(f"FREQ=MONTHLY;BYDAY={ordinal:+d}{CODES[weekday]}", "08:00-11:30")
    assert list(rule.dates(year)) == first_weekdays(year, weekday, ordinal)


MONTH_DAYS = st.dates(date(2028, 1, 1), date(2028, 12, 31)).map(lambda d: f"{d:%m-%d}")


@given(MONTH_DAYS, MONTH_DAYS, st.dates(date(2025, 1, 1), date(2029, 12, 31)))
def test_seasons_against_walking(first: str, last: str, day: date) -> None:
    """A season contains a date when walking from its first day reaches it before its last."""
    season = SeasonalHours(first, last, {"mon-fri": "08:00-12:00"})
    walk = date(2028, int(first[:2]), int(first[3:]))
    covered = set()
    while True:
        covered.add(f"{walk:%m-%d}")
        if f"{walk:%m-%d}" == last:
            break
        walk += timedelta(days=1)
        if walk.year > 2028:
            walk = date(2028, 1, 1)
    assert season.contains(day) == (f"{day:%m-%d}" in covered)


def oracle_hours(day: date) -> tuple[tuple[int, int], ...]:
    """The sample office's opening minutes, from the precedence written out by hand."""
    if day == date(2026, 1, 10):  # worked Saturday, winter: Monday's winter hours
        return ((450, 690), (780, 990))
    statutory_or_official = {
        date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3), date(2026, 1, 4),
        *(date(2026, 2, d) for d in range(14, 23)),
        date(2026, 4, 25), date(2026, 4, 26), date(2026, 4, 27), date(2026, 4, 30),
        date(2026, 5, 1), date(2026, 5, 2), date(2026, 5, 3),
    }  # fmt: skip
    if day in statutory_or_official:
        return ()
    if day.weekday() == 5 and day.day <= 7:
        return ((480, 690),)
    winter = day.month in (11, 12, 1, 2, 3)
    if day.weekday() >= 5:
        return ()
    return ((450, 690), (780, 990)) if winter else ((450, 690), (810, 1020))


@given(st.integers(0, 150 * 1440), st.integers(0, 3000))
def test_office_against_minute_walking(offset: int, minutes: int) -> None:
    """add and working_time on the sample office (1 Jan - 31 May 2026) equal minute walking."""
    office = vietnam_calendar(
        hours="07:30-11:30, 13:30-17:00",
        seasonal_hours=[WINTER],
        recurring_hours=[FIRST_SATURDAY],
        name="province",
    )
    start = datetime(2026, 1, 1, tzinfo=VN) + timedelta(minutes=offset)
    t, left = start, minutes
    while left:
        local = t.astimezone(VN)
        minute = local.hour * 60 + local.minute
        if any(a <= minute < b for a, b in oracle_hours(local.date())):
            left -= 1
        t += timedelta(minutes=1)
    assert office.add(start, timedelta(minutes=minutes)) == t
    assert office.add(start.astimezone(UTC), timedelta(minutes=minutes)) == t
    assert office.working_time(start, t) == timedelta(minutes=minutes)
