"""Cases that tell the calendar modules apart from small changes to them (mutation testing).

Each test pins one behaviour that the other calendar tests leave open: exact labels and
messages, the names of the arguments an error points at, defaults of data read with
``from_dict``, the limits of the searches over years without work, and the boundaries of the
recurrence-rule checks. The sample hours are example values, not any office's published hours.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
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
)
from vss_care_core.errors import CalendarError, InvalidInputError, NaiveDatetimeError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
H = timedelta(hours=1)
WEEKDAYS = {"mon-fri": "08:00-12:00, 13:00-17:00"}


def vn(*args: int) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


def plain() -> WorkingCalendar:
    """A fresh weekday calendar (no cache shared between tests)."""
    return WorkingCalendar(zone=VN, weekly_hours=WEEKDAYS)


def problems_of(error: pytest.ExceptionInfo[CalendarError]) -> tuple[str, ...]:
    """The problems a calendar error lists."""
    return error.value.problems


# ---------------------------------------------------------------- labels and defaults
def test_day_off_and_working_day_labels() -> None:
    both = DayOff(date(2026, 9, 2), name="National Day", name_vi="Quốc khánh")
    assert both.label() == "Quốc khánh / National Day"
    assert DayOff(date(2026, 9, 2), name="National Day").label() == "National Day"
    assert DayOff(date(2026, 9, 2), name_vi="Quốc khánh").label() == "Quốc khánh"
    assert DayOff(date(2026, 9, 2)).label() == "day off"
    worked = WorkingDay(date(2026, 1, 3), name="Worked Saturday", name_vi="Thứ Bảy làm bù")
    assert worked.label() == "Thứ Bảy làm bù / Worked Saturday"
    assert WorkingDay(date(2026, 1, 3), name="Worked Saturday").label() == "Worked Saturday"
    assert WorkingDay(date(2026, 1, 3), name_vi="Thứ Bảy làm bù").label() == "Thứ Bảy làm bù"
    assert WorkingDay(date(2026, 1, 3)).label() == "working day"


def test_working_day_defaults_and_errors() -> None:
    day = WorkingDay(date(2026, 3, 7), "08:00-11:00")
    assert (day.name, day.name_vi, day.kind) == ("", "", "extra")
    named = WorkingDay(date(2026, 3, 7), name="A", name_vi="B", kind="official")
    assert (named.name, named.name_vi, named.kind, named.hours) == ("A", "B", "official", None)
    with pytest.raises(CalendarError) as empty:
        WorkingDay(date(2026, 3, 7), "")
    assert empty.value.what == "working day 2026-03-07"
    assert problems_of(empty) == (
        "hours of 2026-03-07: a working day needs at least one interval; "
        "for a closed day use DayOff",
    )
    with pytest.raises(CalendarError) as bad:
        WorkingDay(date(2026, 3, 7), "11:00-08:00")
    assert bad.value.what == "working day 2026-03-07"
    assert len(problems_of(bad)) == 1
    assert problems_of(bad)[0].startswith("hours of 2026-03-07")


def test_recurring_and_seasonal_labels() -> None:
    rule = RecurringHours("freq=monthly;byday=+1sa", "08:00-11:30")
    assert rule.label() == "FREQ=MONTHLY;BYDAY=+1SA"
    assert RecurringHours("FREQ=WEEKLY;BYDAY=SA", "closed", name="Sat").label() == "Sat"
    both = RecurringHours("FREQ=WEEKLY;BYDAY=SA", "closed", name="Sat", name_vi="Thứ Bảy")
    assert both.label() == "Thứ Bảy / Sat"
    season = SeasonalHours("11-01", "03-31", WEEKDAYS)
    assert (season.name, season.name_vi) == ("", "")
    assert season.label() == "11-01 to 03-31"
    named = SeasonalHours("11-01", "03-31", WEEKDAYS, name="Winter", name_vi="Mùa đông")
    assert (named.name, named.name_vi, named.label()) == ("Winter", "Mùa đông", "Mùa đông / Winter")


# ---------------------------------------------------------------- special days
def test_special_days_of_recurring_rules_carry_their_labels() -> None:
    cal = WorkingCalendar(
        zone=VN,
        weekly_hours=WEEKDAYS,
        recurring_hours=[
            RecurringHours(
                "FREQ=MONTHLY;BYDAY=+1SA", "08:00-11:30", name="First Sat", name_vi="Thứ Bảy đầu"
            ),
            RecurringHours(
                "FREQ=MONTHLY;BYDAY=-1FR", "closed", name="Last Fri", name_vi="Thứ Sáu cuối"
            ),
        ],
    )
    special = cal.special_days(2026)
    assert [d.day for d in special[:4]] == [
        date(2026, 1, 3),
        date(2026, 1, 30),
        date(2026, 2, 7),
        date(2026, 2, 27),
    ]
    first, last = special[0], special[1]
    assert isinstance(first, WorkingDay)
    assert (first.name, first.name_vi, first.kind) == ("First Sat", "Thứ Bảy đầu", "recurring")
    assert first.hours == ((time(8, 0), time(11, 30)),)
    assert isinstance(last, DayOff)
    assert (last.name, last.name_vi, last.kind) == ("Last Fri", "Thứ Sáu cuối", "recurring")
    assert cal.special_days(2026) is special  # kept per year


def test_special_days_keep_each_year_apart() -> None:
    asked: list[int] = []

    def source(year: int) -> Iterable[DayOff]:
        asked.append(year)
        return [
            DayOff(date(year, 9, 2), name="National Day", kind="statutory"),
            DayOff(date(year + 1, 1, 1), name="next year", kind="statutory"),
        ]

    cal = WorkingCalendar(
        zone=VN,
        weekly_hours=WEEKDAYS,
        holiday_source=source,
        days_off=[DayOff(date(2027, 3, 3))],
        working_days=[WorkingDay(date(2026, 3, 7)), WorkingDay(date(2027, 3, 6))],
    )
    special = cal.special_days(2026)
    assert [(d.day, type(d).__name__) for d in special] == [
        (date(2026, 3, 7), "WorkingDay"),
        (date(2026, 9, 2), "DayOff"),
    ]
    assert special[1] == DayOff(date(2026, 9, 2), name="National Day", kind="statutory")
    assert asked == [2026]
    assert cal.special_days(2026) is special
    assert [d.day for d in cal.special_days(2027)] == [
        date(2027, 3, 3),
        date(2027, 3, 6),
        date(2027, 9, 2),
    ]


# ---------------------------------------------------------------- from_dict
def test_from_dict_reads_names_notes_ranges_and_defaults() -> None:
    cal = WorkingCalendar.from_dict(
        {
            "zone": "Asia/Ho_Chi_Minh",
            "weekly_hours": WEEKDAYS,
            "days_off": [
                {
                    "from": "2026-02-16",
                    "to": "2026-02-18",
                    "name": "Lunar New Year",
                    "name_vi": "Tết Nguyên đán",
                    "note": "official schedule",
                },
                {"from": "2026-12-31"},
            ],
            "working_days": [
                {
                    "date": "2026-01-03",
                    "hours": "08:00-11:00",
                    "name": "Worked Saturday",
                    "name_vi": "Thứ Bảy làm bù",
                    "note": "swap",
                },
                {"date": "2026-01-10"},
            ],
        }
    )
    assert cal.name == ""
    assert cal.days_off == (
        DayOff(date(2026, 2, 16), name="Lunar New Year", name_vi="Tết Nguyên đán", kind="extra"),
        DayOff(date(2026, 2, 17), name="Lunar New Year", name_vi="Tết Nguyên đán", kind="extra"),
        DayOff(date(2026, 2, 18), name="Lunar New Year", name_vi="Tết Nguyên đán", kind="extra"),
        DayOff(date(2026, 12, 31)),
    )
    first, second = cal.working_days
    assert (first.day, first.name, first.name_vi) == (
        date(2026, 1, 3),
        "Worked Saturday",
        "Thứ Bảy làm bù",
    )
    assert (second.day, second.name, second.name_vi, second.hours) == (
        date(2026, 1, 10),
        "",
        "",
        None,
    )
    assert cal.hours_on(date(2026, 1, 10)) == ((time(8), time(12)), (time(13), time(17))), (
        "a working day without hours gets the regular weekday hours"
    )
    minimal = WorkingCalendar.from_dict({"zone": "UTC", "weekly_hours": {"mon": "08:00-09:00"}})
    assert (minimal.name, minimal.days_off, minimal.working_days) == ("", (), ())
    assert (minimal.seasonal_hours, minimal.recurring_hours) == ((), ())


def test_from_dict_passes_the_holiday_source() -> None:
    def source(year: int) -> list[DayOff]:
        return [DayOff(date(year, 3, 2), name="closed")]

    cal = WorkingCalendar.from_dict(
        {"zone": "UTC", "weekly_hours": WEEKDAYS}, holiday_source=source
    )
    assert cal.holiday_source is source
    assert not cal.is_working_day(date(2026, 3, 2))


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        ({"weekly_hours": {"mon": "08:00-09:00"}}, ("'zone' is missing",)),
        ({"zone": "UTC"}, ("'weekly_hours' is missing",)),
        (
            {"zone": "UTC", "weekly_hours": WEEKDAYS, "seasonal_hours": "winter"},
            ("seasonal_hours must be a list, got str",),
        ),
        (
            {"zone": "UTC", "weekly_hours": WEEKDAYS, "recurring_hours": {"rule": "x"}},
            ("recurring_hours must be a list, got dict",),
        ),
        (
            {"zone": "UTC", "weekly_hours": WEEKDAYS, "days_off": "2026-01-01"},
            ("days_off must be a list, got str",),
        ),
        (
            {"zone": "UTC", "weekly_hours": WEEKDAYS, "working_days": 3},
            ("working_days must be a list, got int",),
        ),
        (
            {
                "zone": "UTC",
                "weekly_hours": WEEKDAYS,
                "days_off": [
                    {"from": "2026-01-02", "to": "2026-01-01"},
                    {"from": "2026-01-01", "to": "2027-01-03"},
                    {"from": "2026-01-01", "to": "bad"},
                    5,
                    {"from": "bad"},
                ],
            },
            (
                "days_off[0]: 'to' 2026-01-01 is before 'from' 2026-01-02",
                "days_off[1]: range 2026-01-01..2027-01-03 is longer than a year; check the dates",
                "days_off[2] 'to': 'bad' is not a date; write it as 'YYYY-MM-DD'",
                "days_off[3]: must be a mapping with the keys from, to, name, name_vi, note, got 5",
                "days_off[4] 'from': 'bad' is not a date; write it as 'YYYY-MM-DD'",
            ),
        ),
        (
            {
                "zone": "UTC",
                "weekly_hours": WEEKDAYS,
                "working_days": [{"date": "2026-01-0x"}, {"date": "2026-01-03", "hours": ""}, {}],
            },
            (
                "working_days[0] 'date': '2026-01-0x' is not a date; write it as 'YYYY-MM-DD'",
                "working_days[1]: hours of 2026-01-03: a working day needs at least one interval; "
                "for a closed day use DayOff",
                "working_days[2]: 'date' is missing",
            ),
        ),
    ],
)
def test_from_dict_reports_each_problem(data: dict[str, Any], problems: tuple[str, ...]) -> None:
    with pytest.raises(CalendarError) as error:
        WorkingCalendar.from_dict(data)
    assert error.value.what == "working calendar"
    assert problems_of(error) == problems


def test_from_dict_names_the_calendar_in_its_error() -> None:
    with pytest.raises(CalendarError) as error:
        WorkingCalendar.from_dict({"name": "Hà Nội", "zone": "UTC", "weekly_hours": {}})
    assert error.value.what == "working calendar 'Hà Nội'"


def test_days_off_of_a_whole_year_are_accepted() -> None:
    one_year = {"from": "2026-01-01", "to": "2027-01-02"}  # 366 days after the first
    cal = WorkingCalendar.from_dict(
        {"zone": "UTC", "weekly_hours": WEEKDAYS, "days_off": [one_year]}
    )
    assert len(cal.days_off) == 367
    same_day = {"from": "2026-01-05", "to": "2026-01-05"}
    single = WorkingCalendar.from_dict(
        {"zone": "UTC", "weekly_hours": WEEKDAYS, "days_off": [same_day]}
    )
    assert single.days_off == (DayOff(date(2026, 1, 5)),)


# ---------------------------------------------------------------- repr
def test_repr_lists_the_week_seasons_and_rules() -> None:
    cal = WorkingCalendar(
        zone=VN,
        weekly_hours={"tue-thu": "08:00-17:00"},
        seasonal_hours=[SeasonalHours("11-01", "03-31", WEEKDAYS)],
        recurring_hours=[
            RecurringHours("FREQ=MONTHLY;BYDAY=+1SA", "08:00-11:30"),
            RecurringHours("FREQ=MONTHLY;BYDAY=-1FR", "closed"),
        ],
        name="desk",
    )
    assert repr(cal) == (
        "WorkingCalendar('desk', zone='Asia/Ho_Chi_Minh', tue 08:00-17:00; wed 08:00-17:00; "
        "thu 08:00-17:00, 1 seasonal, 2 recurring)"
    )
    only_rules = WorkingCalendar(
        zone=VN,
        weekly_hours={"sat": "08:00-09:00"},
        recurring_hours=[RecurringHours("FREQ=MONTHLY;BYDAY=-1FR", "closed")],
    )
    assert repr(only_rules) == (
        "WorkingCalendar(zone='Asia/Ho_Chi_Minh', sat 08:00-09:00, 1 recurring)"
    )
    assert repr(plain()).endswith("fri 08:00-12:00, 13:00-17:00)")


# ---------------------------------------------------------------- argument names in errors
NAIVE = datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - the point of these tests


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda cal: cal.is_open(NAIVE), "at"),
        (lambda cal: cal.next_open(NAIVE), "at"),
        (lambda cal: cal.subtract(NAIVE, H), "end"),
        (lambda cal: cal.working_time(NAIVE, vn(2026, 3, 3)), "start"),
        (lambda cal: cal.working_time(vn(2026, 3, 1), NAIVE), "end"),
        (lambda cal: cal.working_times(NAIVE, [vn(2026, 3, 3)]), "start"),
        (lambda cal: cal.working_times(vn(2026, 3, 1), [NAIVE]), "moments"),
        (lambda cal: cal.add_working_days(NAIVE, 1), "event_at"),
        (lambda cal: cal.add_days(NAIVE, 1), "event_at"),
        (lambda cal: cal.add_months(NAIVE, 1), "event_at"),
        (lambda cal: cal.add_years(NAIVE, 1), "event_at"),
    ],
)
def test_a_naive_moment_is_named(call: Any, name: str) -> None:
    with pytest.raises(NaiveDatetimeError) as error:
        call(plain())
    assert error.value.name == name
    assert str(error.value).startswith(f"{name} must be timezone-aware")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda cal: cal.subtract(vn(2026, 3, 2), 5), "working_time must be a timedelta, got 5"),
        (
            lambda cal: cal.add_working_days(vn(2026, 3, 2), 1.5),
            "the number of days must be an int",
        ),
        (lambda cal: cal.add_days(vn(2026, 3, 2), -1), "the number of days must not be negative"),
        (lambda cal: cal.add_months(vn(2026, 3, 2), "1"), "the number of months must be an int"),
        (lambda cal: cal.add_years(vn(2026, 3, 2), True), "the number of years must be an int"),
        (
            lambda cal: cal.add_days("2026-03-02", 1),
            "event_at must be a timezone-aware datetime (the moment of the event), got str",
        ),
        (
            lambda cal: cal.is_open("2026-03-02"),
            "at must be a timezone-aware datetime, got str",
        ),
        (
            lambda cal: cal.next_open(date(2026, 3, 2)),
            "at must be a timezone-aware datetime, got date",
        ),
        (
            lambda cal: cal.subtract("x", H),
            "end must be a timezone-aware datetime, got str",
        ),
        (
            lambda cal: cal.working_times(vn(2026, 3, 2), [vn(2026, 3, 1)]),
            "moment 2026-03-01T00:00:00+07:00 is before start 2026-03-02T00:00:00+07:00",
        ),
    ],
)
def test_bad_arguments_are_explained(call: Any, message: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        call(plain())
    assert str(error.value).startswith(message)


def test_results_are_in_the_calendar_zone() -> None:
    cal = plain()
    utc_moment = datetime(2026, 3, 2, 2, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Hanoi
    for result in (
        cal.next_open(utc_moment),
        cal.subtract(utc_moment, timedelta(0)),
        cal.add(utc_moment, timedelta(0)),
    ):
        assert result == utc_moment
        assert result.tzinfo is VN


def test_working_times_of_no_moments() -> None:
    assert plain().working_times(vn(2026, 3, 2, 9), []) == ()
    assert plain().working_times(vn(2026, 3, 2, 9), [vn(2026, 3, 2, 9), vn(2026, 3, 3, 9)]) == (
        timedelta(0),
        timedelta(hours=8),
    )


# ---------------------------------------------------------------- years without work
def only_in(*years: int) -> WorkingCalendar:
    """Open on Mondays 08:00-09:00, but every Monday off except in ``years``."""

    def closed_mondays(year: int) -> list[DayOff]:
        if year in years:
            return []
        day = date(year, 1, 1)
        day += timedelta(days=-day.weekday() % 7)
        found = []
        while day.year == year:
            found.append(DayOff(day, kind="statutory"))
            day += timedelta(days=7)
        return found

    return WorkingCalendar(
        zone=VN, weekly_hours={"mon": "08:00-09:00"}, holiday_source=closed_mondays
    )


def test_next_open_looks_twenty_years_ahead_and_no_further() -> None:
    assert only_in(2046).next_open(vn(2026, 1, 1)) == vn(2046, 1, 1, 8)  # 1 January 2046: Monday
    with pytest.raises(InvalidInputError) as error:
        only_in(2047).next_open(vn(2026, 1, 1))
    assert str(error.value) == (
        "the calendar does not open within 20 years after 2026-01-01T00:00:00+07:00"
    )


def test_next_open_after_the_last_opening_of_a_year() -> None:
    cal = plain()
    assert cal.is_open(vn(2026, 12, 31, 9))  # the index now holds 2026 only
    assert cal.next_open(vn(2026, 12, 31, 18)) == vn(2027, 1, 1, 8)
    assert cal.next_open(vn(2026, 12, 31, 23, 59)) == vn(2027, 1, 1, 8)


def test_subtract_looks_twenty_years_back_and_no_further() -> None:
    assert only_in(2026).subtract(vn(2046, 6, 1), H) == vn(2026, 12, 28, 8)
    with pytest.raises(InvalidInputError) as error:
        only_in(2026).subtract(vn(2047, 6, 1), H)
    assert str(error.value) == (
        "the calendar was not open within 20 years before 2047-06-01T00:00:00+07:00"
    )


def test_subtract_to_the_first_opening_ever() -> None:
    # 2026 is the first year with work: subtracting all of it lands on its first opening
    cal = only_in(2026)
    assert cal.subtract(vn(2026, 1, 5, 9), H) == vn(2026, 1, 5, 8)
    assert cal.subtract(vn(2026, 1, 12, 9), 2 * H) == vn(2026, 1, 5, 8)


def test_subtract_reaches_into_the_year_before() -> None:
    cal = plain()
    assert cal.subtract(vn(2026, 1, 1, 9), 3 * H) == vn(2025, 12, 31, 15)
    assert cal.subtract(vn(2026, 1, 1, 9), H) == vn(2026, 1, 1, 8)


def test_working_days_are_searched_for_twenty_years_of_days() -> None:
    monday = date(2026, 1, 5)
    opening = monday + timedelta(days=7322)  # just beyond 366 * 20 days

    def closed(year: int) -> list[DayOff]:
        day = date(year, 1, 1)
        found = []
        while day.year == year:
            if day.weekday() == 0 and day != opening:
                found.append(DayOff(day))
            day += timedelta(days=1)
        return found

    cal = WorkingCalendar(zone=VN, weekly_hours={"mon": "08:00-09:00"}, holiday_source=closed)
    with pytest.raises(InvalidInputError) as error:
        cal.add_working_days(vn(2026, 1, 5, 10), 1)
    assert str(error.value).startswith("no working day within 20 years of ")


# ---------------------------------------------------------------- recurrence rules
@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        (
            "FREQ=HOURLY",
            "FREQ=HOURLY repeats within a day, but a rule gives dates only; "
            "use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY",
        ),
        ("FREQ=FOO", "FREQ=FOO is not a frequency; use YEARLY, MONTHLY, WEEKLY, DAILY"),
        (
            "FREQ=DAILY;BYDAY=SA,XX",
            "'XX' in BYDAY is not a weekday; write MO, TU, WE, TH, FR, SA or SU, optionally "
            "numbered: +1SA is the first Saturday, -1FR the last Friday",
        ),
        ("FREQ=DAILY;BYMONTHDAY=1,40", "BYMONTHDAY=1,40: '40' is not 1 to 31 or -1 to -31"),
        ("FREQ=DAILY;BYMONTHDAY=0", "BYMONTHDAY=0: '0' is not 1 to 31 or -1 to -31"),
        ("FREQ=DAILY;BYMONTHDAY=-32", "BYMONTHDAY=-32: '-32' is not 1 to 31 or -1 to -31"),
        ("FREQ=DAILY;BYMONTHDAY=x", "BYMONTHDAY=X: 'X' is not 1 to 31 or -1 to -31"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL=0: '0' is not 1 to 1000"),
        ("FREQ=DAILY;INTERVAL=1001", "INTERVAL=1001: '1001' is not 1 to 1000"),
        ("FREQ=DAILY;BYMONTH=13", "BYMONTH=13: '13' is not 1 to 12"),
        (
            "FREQ=DAILY;UNTIL=20260231",
            "UNTIL=20260231 is not a local date; write it as YYYYMMDD, e.g. UNTIL=20261231",
        ),
        (
            "FREQ=DAILY;UNTIL=2026-12-31",
            "UNTIL=2026-12-31 is not a local date; write it as YYYYMMDD, e.g. UNTIL=20261231",
        ),
    ],
)
def test_rule_problems_are_exact(rule: str, problem: str) -> None:
    with pytest.raises(CalendarError) as error:
        RecurringHours(rule, "08:00-09:00", start="2026-01-01")
    assert error.value.what == f"recurring hours {rule!r}"
    assert problems_of(error) == (f"rule {rule!r}: {problem}",)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;INTERVAL=1000",
        "FREQ=DAILY;INTERVAL=1",
        "FREQ=DAILY;COUNT=1",
        "FREQ=DAILY;COUNT=100000",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=MONTHLY;BYMONTHDAY=-31",
        "FREQ=MONTHLY;BYMONTHDAY=1",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1",
        "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1",
        "FREQ=YEARLY;BYYEARDAY=366",
        "FREQ=YEARLY;BYYEARDAY=-366",
        "FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO",
        "FREQ=YEARLY;BYWEEKNO=-53;BYDAY=MO",
        "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1",
        "FREQ=DAILY;UNTIL=20260110",
    ],
)
def test_rules_at_the_limits_are_accepted(rule: str) -> None:
    assert RecurringHours(rule, "08:00-09:00", start="2026-01-01").rule == rule


def test_until_ends_the_rule() -> None:
    rule = RecurringHours("FREQ=WEEKLY;BYDAY=SA;UNTIL=20260117", "08:00-11:00")
    assert rule.dates(2026) == (date(2026, 1, 3), date(2026, 1, 10), date(2026, 1, 17))
    leap = RecurringHours("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;UNTIL=20280229", "closed")
    assert leap.dates(2028) == (date(2028, 2, 29),)
    assert leap.dates(2032) == ()


@given(st.integers(min_value=-40, max_value=40))
def test_bymonthday_check_matches_its_range(number: int) -> None:
    rule = f"FREQ=MONTHLY;BYMONTHDAY={number}"
    accepted = number != 0 and -31 <= number <= 31
    try:
        RecurringHours(rule, "08:00-09:00")
    except CalendarError:
        assert not accepted
    else:
        assert accepted


def test_check_keys_messages() -> None:
    with pytest.raises(CalendarError) as not_mapping:
        RecurringHours.from_dict([1])  # type: ignore[arg-type]
    assert problems_of(not_mapping) == (
        "must be a mapping with the keys rule, hours, start, name, name_vi, note, got [1]",
    )
    with pytest.raises(CalendarError) as unknown:
        RecurringHours.from_dict({"rule": "FREQ=WEEKLY;BYDAY=SA", "zzzz": 1, "nam": 2})
    assert unknown.value.what == "recurring hours"
    assert problems_of(unknown) == (
        "unknown key 'zzzz': the keys are rule, hours, start, name, name_vi, note",
        "unknown key 'nam': did you mean 'name'?",
        "'hours' is missing",
    )
    with pytest.raises(CalendarError) as only_hours:
        RecurringHours.from_dict({"hours": "08:00-09:00", "name": "Sat"})
    assert only_hours.value.what == "recurring hours 'Sat'"
    assert problems_of(only_hours) == ("'rule' is missing",)


def test_recurring_from_dict_reads_every_key() -> None:
    rule = RecurringHours.from_dict(
        {
            "rule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA",
            "hours": "08:00-11:00",
            "start": "2026-01-10",
            "name": "Every other Saturday",
            "name_vi": "Thứ Bảy cách tuần",
            "note": "kept for the people who keep the data",
        }
    )
    assert (rule.start, rule.name, rule.name_vi) == (
        date(2026, 1, 10),
        "Every other Saturday",
        "Thứ Bảy cách tuần",
    )
    assert rule.dates(2026)[:3] == (date(2026, 1, 10), date(2026, 1, 24), date(2026, 2, 7))
    with pytest.raises(CalendarError) as error:
        RecurringHours.from_dict({"rule": "FREQ=WEEKLY;BYDAY=SA", "hours": "", "start": "x"})
    assert error.value.what == "recurring hours"
    assert "start 'x' is not a date; write it as 'YYYY-MM-DD'" in problems_of(error)


# ---------------------------------------------------------------- seasons
def test_seasonal_hours_normalise_and_explain() -> None:
    season = SeasonalHours(" 11-01 ", "03-31", WEEKDAYS)
    assert (season.first, season.last) == ("11-01", "03-31")
    late = SeasonalHours("12-31", "10-09", WEEKDAYS)
    assert (late.first, late.last) == ("12-31", "10-09")
    with pytest.raises(CalendarError) as error:
        SeasonalHours(1101, "13-01", {"mon": "x"}, name="Winter")  # type: ignore[arg-type]
    assert error.value.what == "seasonal hours 'Winter'"
    found = problems_of(error)
    assert found[0] == "'from': 1101 is not a day of the year; write it as 'MM-DD', e.g. '11-01'"
    assert found[1] == "'to': '13-01' is not a day of the year; write it as 'MM-DD', e.g. '11-01'"
    assert found[2].startswith("weekly_hours: hours of mon")
    assert len(found) == 3
    with pytest.raises(CalendarError) as unnamed:
        SeasonalHours("11-01", "02-30", WEEKDAYS)
    assert unnamed.value.what == "seasonal hours"
    assert problems_of(unnamed) == (
        "'to': '02-30' is not a day of the year; write it as 'MM-DD', e.g. '11-01'",
    )


def test_seasonal_from_dict() -> None:
    season = SeasonalHours.from_dict(
        {
            "from": "11-01",
            "to": "03-31",
            "weekly_hours": {"mon-fri": "07:30-11:30, 13:00-16:30"},
            "name": "Winter hours",
            "name_vi": "Giờ làm việc mùa đông",
            "note": "from 1 November",
        }
    )
    assert (season.name, season.name_vi) == ("Winter hours", "Giờ làm việc mùa đông")
    bare = SeasonalHours.from_dict({"from": "11-01", "to": "03-31", "weekly_hours": WEEKDAYS})
    assert (bare.name, bare.name_vi) == ("", "")
    with pytest.raises(CalendarError) as error:
        SeasonalHours.from_dict({"from": "11-01", "to": "03-31", "weekly": WEEKDAYS})
    assert error.value.what == "seasonal hours"
    assert problems_of(error) == (
        "unknown key 'weekly': did you mean 'weekly_hours'?",
        "'weekly_hours' is missing",
    )
    with pytest.raises(CalendarError) as named:
        SeasonalHours.from_dict(
            {"from": "11-01", "to": "3-31", "weekly_hours": WEEKDAYS, "name": "Winter"}
        )
    assert named.value.what == "seasonal hours 'Winter'"
    assert problems_of(named) == (
        "'to': '3-31' is not a day of the year; write it as 'MM-DD', e.g. '11-01'",
    )
    with pytest.raises(CalendarError) as extra:
        SeasonalHours.from_dict(
            {"from": "11-01", "to": "03-31", "weekly_hours": WEEKDAYS, "colour": "blue"}
        )
    assert len(problems_of(extra)) == 1


def test_shared_days_start_on_new_year() -> None:
    winter = SeasonalHours("11-01", "01-02", WEEKDAYS)
    january = SeasonalHours("01-01", "01-31", WEEKDAYS)
    assert winter.shared_days(january) == ["01-01", "01-02"]
    assert january.shared_days(SeasonalHours("02-01", "02-29", WEEKDAYS)) == []


def test_winter_hours_from_the_first_of_november() -> None:
    cal = WorkingCalendar(
        zone=VN,
        weekly_hours={"mon-fri": "07:30-11:30, 13:30-17:00"},
        seasonal_hours=[
            {"from": "11-01", "to": "03-31", "weekly_hours": {"tue-fri": "08:00-16:00"}}
        ],
    )
    assert cal.hours_on(date(2026, 10, 30)) == (
        (time(7, 30), time(11, 30)),
        (time(13, 30), time(17)),
    )
    assert cal.hours_on(date(2026, 11, 2)) == ()  # a Monday, closed in winter
    assert cal.hours_on(date(2026, 11, 3)) == ((time(8), time(16)),)
    assert cal.hours_on(date(2027, 3, 31)) == ((time(8), time(16)),)
    assert cal.hours_on(date(2027, 4, 1)) == ((time(7, 30), time(11, 30)), (time(13, 30), time(17)))
    # from a Saturday in winter, the next opening is on Tuesday
    worked = cal.add(vn(2026, 11, 7, 7), H)
    assert worked == vn(2026, 11, 10, 9)


def test_a_rule_without_start_counts_whole_weeks_even_in_the_first_year() -> None:
    # the first day of each week (BYSETPOS=1): Mondays only, also in year 2 (1 January: Tuesday)
    first_of_week = RecurringHours("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYSETPOS=1", "closed")
    assert first_of_week.dates(2)[:2] == (date(2, 1, 7), date(2, 1, 14))
    assert first_of_week.dates(2026)[:2] == (date(2026, 1, 5), date(2026, 1, 12))
    assert all(day.weekday() == 0 for day in first_of_week.dates(2026))
