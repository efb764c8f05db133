"""Building a working calendar: every refusal exactly, and what a built calendar holds.

Mutation testing of the calendar's constructor and of its helpers for zones, days given twice,
seasons and recurring rules. The sample hours are example values, not an office's published ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from vss_care_core.calendar import (
    DayOff,
    RecurringHours,
    SeasonalHours,
    WeeklyHoursLike,
    WorkingCalendar,
    WorkingDay,
)
from vss_care_core.errors import CalendarError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAYS: WeeklyHoursLike = {"mon-fri": "08:00-12:00, 13:00-17:00"}
MORNINGS: WeeklyHoursLike = {"mon-fri": "08:00-12:00"}
NO_DAY = (
    "it names no day (BYDAY, BYMONTHDAY, BYYEARDAY or BYWEEKNO), so it would repeat the day of "
    "its first date; name the day, e.g. 'FREQ=WEEKLY;BYDAY=SA', or give 'start'"
)


def refusal(**arguments: object) -> tuple[str, tuple[str, ...]]:
    """The label and problems of the error a calendar built with these arguments raises."""
    arguments.setdefault("zone", VN)
    arguments.setdefault("weekly_hours", WEEKDAYS)
    with pytest.raises(CalendarError) as error:
        WorkingCalendar(**arguments)  # type: ignore[arg-type]
    return error.value.what, error.value.problems


# ---------------------------------------------------------------- zones
@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "asia/ho chi minh"])
def test_an_unknown_zone_name(zone: str) -> None:
    assert refusal(zone=zone) == (
        "working calendar",
        (f"time zone {zone!r} is unknown; use an IANA name such as 'Asia/Ho_Chi_Minh'",),
    )


@pytest.mark.parametrize("zone", [5, None, timezone(timedelta(hours=7))])
def test_a_zone_that_is_not_a_zone(zone: object) -> None:
    assert refusal(zone=zone, name="Hotline") == (
        "working calendar 'Hotline'",
        (f"zone must be a ZoneInfo or an IANA name such as 'Asia/Ho_Chi_Minh', got {zone!r}",),
    )


def test_zones_that_are_accepted() -> None:
    assert WorkingCalendar(zone=UTC, weekly_hours=WEEKDAYS).zone == ZoneInfo("UTC")
    assert WorkingCalendar(zone="UTC", weekly_hours=WEEKDAYS).zone == ZoneInfo("UTC")
    assert WorkingCalendar(zone="Asia/Ho_Chi_Minh", weekly_hours=WEEKDAYS).zone is VN
    paris = ZoneInfo("Europe/Paris")
    assert WorkingCalendar(zone=paris, weekly_hours=WEEKDAYS).zone is paris


# ---------------------------------------------------------------- weekly hours
def test_weekly_hours_all_empty() -> None:
    message = "the weekly hours are all empty; open at least one day a week"
    assert refusal(weekly_hours={"mon": ""}) == ("working calendar", (message,))
    assert refusal(weekly_hours=[""] * 7, name="Shut") == ("working calendar 'Shut'", (message,))
    # another problem first: the weekly hours are not said to be empty as well
    assert refusal(zone="Nowhere", weekly_hours={"mon": ""}) == (
        "working calendar",
        ("time zone 'Nowhere' is unknown; use an IANA name such as 'Asia/Ho_Chi_Minh'",),
    )
    assert len(refusal(weekly_hours={"mon": "", "xx": "08:00-09:00"})[1]) == 1


def test_one_open_day_is_enough() -> None:
    cal = WorkingCalendar(zone=VN, weekly_hours={"sun": "08:00-09:00"})
    assert cal.is_working_day(date(2026, 3, 8))
    assert not cal.is_working_day(date(2026, 3, 9))


# ---------------------------------------------------------------- days given
def test_days_of_the_wrong_kind() -> None:
    assert refusal(days_off=[5, DayOff(date(2026, 1, 1))], working_days=["x"]) == (
        "working calendar",
        (
            "days_off must hold DayOff values, got 5",
            "working_days must hold WorkingDay values, got 'x'",
        ),
    )
    assert refusal(days_off=[WorkingDay(date(2026, 1, 3))])[1] == (
        f"days_off must hold DayOff values, got {WorkingDay(date(2026, 1, 3))!r}",
    )


def test_days_given_twice_or_both_off_and_worked() -> None:
    offs = [DayOff(date(2026, 1, 2)), DayOff(date(2026, 1, 1)), DayOff(date(2026, 1, 2))]
    works = [
        WorkingDay(date(2026, 1, 3)),
        WorkingDay(date(2026, 1, 10)),
        WorkingDay(date(2026, 1, 3)),
        WorkingDay(date(2026, 1, 1)),
    ]
    assert refusal(days_off=offs, working_days=works) == (
        "working calendar",
        (
            "day off 2026-01-02 is given more than once",
            "2026-01-01 is both a day off and a working day; keep one",
            "working day 2026-01-03 is given more than once",
        ),
    )


def test_days_are_kept_sorted() -> None:
    cal = WorkingCalendar(
        zone=VN,
        weekly_hours=WEEKDAYS,
        days_off=[DayOff(date(2026, 9, 2)), DayOff(date(2026, 1, 1)), DayOff(date(2026, 4, 30))],
        working_days=[WorkingDay(date(2026, 8, 22)), WorkingDay(date(2026, 1, 10), "08:00-09:00")],
    )
    assert [d.day for d in cal.days_off] == [date(2026, 1, 1), date(2026, 4, 30), date(2026, 9, 2)]
    assert [w.day for w in cal.working_days] == [date(2026, 1, 10), date(2026, 8, 22)]
    assert isinstance(cal.days_off, tuple)
    assert isinstance(cal.working_days, tuple)
    assert cal.hours_on(date(2026, 1, 10)) == ((time(8), time(9)),)
    assert cal.hours_on(date(2026, 8, 22)) == ((time(8), time(12)), (time(13), time(17)))
    assert cal.hours_on(date(2026, 4, 30)) == ()


def test_holiday_source_must_be_callable() -> None:
    assert refusal(holiday_source=5) == (
        "working calendar",
        ("holiday_source must be callable (year -> days off), got 5",),
    )

    def none(year: int) -> list[DayOff]:
        return []

    cal = WorkingCalendar(zone=VN, weekly_hours=WEEKDAYS, holiday_source=none)
    assert cal.holiday_source is none
    assert WorkingCalendar(zone=VN, weekly_hours=WEEKDAYS).holiday_source is None


# ---------------------------------------------------------------- seasons and rules
def test_seasons_that_are_not_seasons() -> None:
    seasons = [
        5,
        {"from": "13-01", "to": "03-31", "weekly_hours": MORNINGS, "name": "Winter"},
        {"from": "11-01", "to": "03-31"},
    ]
    assert refusal(seasonal_hours=seasons) == (
        "working calendar",
        (
            "seasonal_hours[0] must be a SeasonalHours or a mapping such as {'from': '11-01', "
            "'to': '03-31', 'weekly_hours': {...}}, got 5",
            "seasonal_hours[1] 'Winter': 'from': '13-01' is not a day of the year; write it as "
            "'MM-DD', e.g. '11-01'",
            "seasonal_hours[2]: 'weekly_hours' is missing",
        ),
    )


def test_overlapping_seasons_name_both() -> None:
    seasons = [
        {"from": "11-01", "to": "03-31", "weekly_hours": MORNINGS, "name": "Winter"},
        SeasonalHours("03-01", "04-30", MORNINGS),
        {"from": "12-01", "to": "12-31", "weekly_hours": MORNINGS, "name": "Dec"},
    ]
    assert refusal(seasonal_hours=seasons) == (
        "working calendar",
        (
            "seasonal_hours[0] 'Winter' (11-01 to 03-31) and seasonal_hours[1] (03-01 to 04-30) "
            "overlap on 31 days of the year, from 03-01; a date may be in one season only",
            "seasonal_hours[0] 'Winter' (11-01 to 03-31) and seasonal_hours[2] 'Dec' (12-01 to "
            "12-31) overlap on 31 days of the year, from 12-01; a date may be in one season only",
        ),
    )


def test_overlap_of_the_later_seasons_only() -> None:
    seasons = [
        SeasonalHours("01-01", "01-31", MORNINGS, name="January"),
        SeasonalHours("06-01", "06-30", MORNINGS, name="June"),
        SeasonalHours("06-30", "07-31", MORNINGS, name="July"),
    ]
    assert refusal(seasonal_hours=seasons)[1] == (
        "seasonal_hours[1] 'June' (06-01 to 06-30) and seasonal_hours[2] 'July' (06-30 to "
        "07-31) overlap on 1 days of the year, from 06-30; a date may be in one season only",
    )


def test_seasons_that_do_not_overlap_are_kept_in_order() -> None:
    june = SeasonalHours("06-01", "06-30", {"mon": "07:00-11:00"}, name="June")
    cal = WorkingCalendar(
        zone=VN,
        weekly_hours=WEEKDAYS,
        seasonal_hours=[
            {"from": "11-01", "to": "03-31", "weekly_hours": MORNINGS, "name": "Winter"},
            june,
        ],
    )
    assert [s.name for s in cal.seasonal_hours] == ["Winter", "June"]
    assert isinstance(cal.seasonal_hours, tuple)
    assert cal.seasonal_hours[1] is june
    assert cal.hours_on(date(2026, 6, 1)) == ((time(7), time(11)),)  # a Monday in June
    assert cal.hours_on(date(2026, 6, 2)) == ()
    assert cal.hours_on(date(2026, 11, 2)) == ((time(8), time(12)),)  # a Monday in winter
    assert cal.hours_on(date(2026, 5, 4)) == ((time(8), time(12)), (time(13), time(17)))


def test_rules_that_are_not_rules() -> None:
    rules = [
        5,
        {"rule": "FREQ=WEEKLY", "hours": "closed", "name": "Sat"},
        {"rule": "FREQ=WEEKLY"},
    ]
    assert refusal(recurring_hours=rules) == (
        "working calendar",
        (
            "recurring_hours[0] must be a RecurringHours or a mapping such as {'rule': "
            "'FREQ=MONTHLY;BYDAY=+1SA', 'hours': '08:00-11:30'}, got 5",
            f"recurring_hours[1] 'Sat': rule 'FREQ=WEEKLY': {NO_DAY}",
            "recurring_hours[2]: 'hours' is missing",
        ),
    )


def test_rules_are_kept_in_order() -> None:
    first = RecurringHours("FREQ=MONTHLY;BYDAY=+1SA", "08:00-11:30", name="First Saturday")
    cal = WorkingCalendar(
        zone=VN,
        weekly_hours=WEEKDAYS,
        recurring_hours=[first, {"rule": "FREQ=WEEKLY;BYDAY=SA", "hours": "closed"}],
    )
    assert isinstance(cal.recurring_hours, tuple)
    assert cal.recurring_hours[0] is first
    assert cal.recurring_hours[1].rule == "FREQ=WEEKLY;BYDAY=SA"
    assert cal.hours_on(date(2026, 3, 7)) == ((time(8), time(11, 30)),)
    assert cal.hours_on(date(2026, 3, 14)) == ()


def test_every_problem_at_once() -> None:
    what, problems = refusal(
        zone="Nowhere",
        weekly_hours={"xx": "08:00-09:00"},
        days_off=[5],
        seasonal_hours=[5],
        recurring_hours=[5],
        holiday_source=5,
        name="All",
    )
    assert what == "working calendar 'All'"
    assert [p.split(" ")[0] for p in problems] == [
        "time",
        "weekday",
        "days_off",
        "seasonal_hours[0]",
        "recurring_hours[0]",
        "holiday_source",
    ]


# ---------------------------------------------------------------- what a calendar holds
def test_a_built_calendar_holds_what_it_was_given() -> None:
    cal = WorkingCalendar(zone="Asia/Ho_Chi_Minh", weekly_hours=WEEKDAYS, name="Desk")
    assert cal.name == "Desk"
    assert cal.weekly_hours[0] == ((time(8), time(12)), (time(13), time(17)))
    assert cal.weekly_hours[5:] == ((), ())
    assert len(cal.weekly_hours) == 7
    assert (cal.days_off, cal.working_days, cal.seasonal_hours, cal.recurring_hours) == (
        (),
        (),
        (),
        (),
    )
    assert repr(cal).startswith("WorkingCalendar('Desk', zone='Asia/Ho_Chi_Minh', mon 08:00")


def test_a_warm_calendar_counts_from_the_local_epoch() -> None:
    """The second add on a calendar reads the moment from its wall clock: the same results."""
    cal = WorkingCalendar(zone=VN, weekly_hours=WEEKDAYS)
    start = datetime(2026, 3, 2, 11, tzinfo=VN)
    cold = cal.add(start, timedelta(hours=2))
    warm = cal.add(start, timedelta(hours=2))
    assert cold == warm == datetime(2026, 3, 2, 14, tzinfo=VN)
    assert cal.add(datetime(2026, 3, 2, 7, 59, tzinfo=VN), timedelta(minutes=1)) == datetime(
        2026, 3, 2, 8, 1, tzinfo=VN
    )
    assert cal.add(datetime(1970, 1, 2, 8, tzinfo=VN), timedelta(hours=1)) == datetime(
        1970, 1, 2, 9, tzinfo=VN
    )


def test_a_worked_saturday_in_a_closed_season_works_the_regular_hours() -> None:
    """A season closing every day (a year-end closure): a worked day gets Monday's own hours."""
    cal = WorkingCalendar(
        zone=VN,
        weekly_hours={"mon": "07:00-11:00", "tue-fri": "08:00-12:00"},
        seasonal_hours=[{"from": "12-24", "to": "01-01", "weekly_hours": {}}],
        working_days=[WorkingDay(date(2026, 12, 26))],
    )
    assert cal.hours_on(date(2026, 12, 26)) == ((time(7), time(11)),)
    assert cal.hours_on(date(2026, 12, 28)) == ()  # a Monday of the closure
    assert cal.hours_on(date(2027, 1, 4)) == ((time(7), time(11)),)


def test_the_holiday_source_is_called_once_per_year() -> None:
    calls: list[int] = []

    def source(year: int) -> list[DayOff]:
        calls.append(year)
        return [DayOff(date(year, 9, 2), name="National Day")]

    cal = WorkingCalendar(zone=VN, weekly_hours=WEEKDAYS, holiday_source=source)
    for month in range(1, 13):
        assert cal.is_working_day(date(2026, month, 3)) == (date(2026, month, 3).weekday() < 5)
    assert not cal.is_working_day(date(2026, 9, 2))
    assert cal.add(datetime(2026, 9, 1, 16, tzinfo=VN), timedelta(hours=2)) == datetime(
        2026, 9, 3, 9, tzinfo=VN
    )
    assert cal.working_time(
        datetime(2026, 12, 31, 16, tzinfo=VN), datetime(2027, 1, 4, 9, tzinfo=VN)
    )
    assert cal.hours_on(date(2027, 9, 2)) == ()
    assert sorted(calls) == [2026, 2027]


def test_an_office_open_at_midnight_after_the_indexed_year() -> None:
    cal = WorkingCalendar(zone=VN, weekly_hours={"mon-sun": "00:00-24:00"})
    assert cal.is_open(datetime(2026, 6, 1, 12, tzinfo=VN))  # the index holds 2026
    assert cal.is_open(datetime(2027, 1, 1, tzinfo=VN))
    assert cal.next_open(datetime(2027, 1, 1, tzinfo=VN)) == datetime(2027, 1, 1, tzinfo=VN)
