"""Recurrence rules and seasons, pinned exactly (mutation testing of the rules module).

Every refusal is compared whole, with the label of the error; accepted rules are compared in
their normal form and by their dates, and seasons by the days they contain, against a walk over
the days of a leap year.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.calendar import RecurringHours, SeasonalHours, WeeklyHoursLike
from vss_care_core.errors import CalendarError

WEEKDAYS: WeeklyHoursLike = {"mon-fri": "08:00-12:00, 13:00-17:00"}
NEEDS_START = (
    "COUNT and INTERVAL count from the rule's first date; give it as 'start', "
    "e.g. 'start': '2026-01-03'"
)
NO_DAY = (
    "it names no day (BYDAY, BYMONTHDAY, BYYEARDAY or BYWEEKNO), so it would repeat the day of "
    "its first date; name the day, e.g. 'FREQ=WEEKLY;BYDAY=SA', or give 'start'"
)
PARTS = (
    "FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, BYSETPOS, WKST"
)


def refusal(rule: object, **options: Any) -> tuple[str, tuple[str, ...]]:
    """The label and the problems of the error a rule raises."""
    with pytest.raises(CalendarError) as error:
        RecurringHours(rule, "08:00-09:00", **options)  # type: ignore[arg-type]
    return error.value.what, error.value.problems


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("FREQ=DAILY;BYDAY", "'BYDAY' is not KEY=VALUE, e.g. 'BYDAY=SA'"),
        ("FREQ=DAILY;=SA", "'=SA' is not KEY=VALUE, e.g. 'BYDAY=SA'"),
        (
            "FREQ=DAILY;BYHOUR=8",
            "BYHOUR sets times, but a rule gives dates only; the opening hours of those dates "
            "come from 'hours'",
        ),
        (
            "FREQ=DAILY;BYMINUTE=8",
            "BYMINUTE sets times, but a rule gives dates only; the opening hours of those dates "
            "come from 'hours'",
        ),
        ("FREQ=DAILY;BYDAYS=SA", "unknown part 'BYDAYS'; did you mean BYDAY?"),
        ("FREQ=DAILY;FOO=1", f"unknown part 'FOO'; use {PARTS}"),
        ("FREQ=DAILY;FREQ=WEEKLY", "FREQ is given twice; give it once"),
        ("BYDAY=SA", "FREQ is missing; e.g. 'FREQ=MONTHLY;BYDAY=+1SA'"),
        (
            "FREQ=MINUTELY",
            "FREQ=MINUTELY repeats within a day, but a rule gives dates only; "
            "use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY",
        ),
        (
            "FREQ=SECONDLY",
            "FREQ=SECONDLY repeats within a day, but a rule gives dates only; "
            "use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY",
        ),
        (
            "FREQ=DAILY;BYDAY=100SA",
            "'100SA' in BYDAY is not a weekday; write MO, TU, WE, TH, FR, SA or SU, optionally "
            "numbered: +1SA is the first Saturday, -1FR the last Friday",
        ),
        (
            "FREQ=DAILY;BYDAY=SAT",
            "'SAT' in BYDAY is not a weekday; write MO, TU, WE, TH, FR, SA or SU, optionally "
            "numbered: +1SA is the first Saturday, -1FR the last Friday",
        ),
        (
            "FREQ=YEARLY;BYSETPOS=367;BYDAY=MO",
            "BYSETPOS=367: '367' is not 1 to 366 or -1 to -366",
        ),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "BYSETPOS=0: '0' is not 1 to 366 or -1 to -366"),
        ("FREQ=YEARLY;BYWEEKNO=54;BYDAY=MO", "BYWEEKNO=54: '54' is not 1 to 53 or -1 to -53"),
        ("FREQ=YEARLY;BYWEEKNO=0", "BYWEEKNO=0: '0' is not 1 to 53 or -1 to -53"),
        ("FREQ=YEARLY;BYYEARDAY=-367", "BYYEARDAY=-367: '-367' is not 1 to 366 or -1 to -366"),
        ("FREQ=YEARLY;BYYEARDAY=0", "BYYEARDAY=0: '0' is not 1 to 366 or -1 to -366"),
        ("FREQ=DAILY;BYMONTH=0", "BYMONTH=0: '0' is not 1 to 12"),
        ("FREQ=DAILY;BYMONTH=1,-1", "BYMONTH=1,-1: '-1' is not 1 to 12"),
        (
            "FREQ=DAILY;UNTIL=2026123",
            "UNTIL=2026123 is not a local date; write it as YYYYMMDD, e.g. UNTIL=20261231",
        ),
        (
            "FREQ=DAILY;UNTIL=20261301",
            "UNTIL=20261301 is not a local date; write it as YYYYMMDD, e.g. UNTIL=20261231",
        ),
        (
            "FREQ=DAILY;UNTIL=20261231T0000",
            "UNTIL=20261231T0000 is not a local date; write it as YYYYMMDD, e.g. UNTIL=20261231",
        ),
        ("FREQ=DAILY;COUNT=3", NEEDS_START),
        ("FREQ=DAILY;INTERVAL=2", NEEDS_START),
        ("FREQ=DAILY;INTERVAL=10", NEEDS_START),
        ("FREQ=WEEKLY", NO_DAY),
        ("FREQ=MONTHLY", NO_DAY),
        ("FREQ=YEARLY;BYMONTH=5", NO_DAY),
    ],
)
def test_a_rule_without_start_is_refused_exactly(rule: str, problem: str) -> None:
    assert refusal(rule) == (f"recurring hours {rule!r}", (f"rule {rule!r}: {problem}",))


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("FREQ=DAILY;COUNT=100001", "COUNT=100001: '100001' is not 1 to 100000"),
        ("FREQ=DAILY;COUNT=0", "COUNT=0: '0' is not 1 to 100000"),
        ("FREQ=DAILY;COUNT=-1", "COUNT=-1: '-1' is not 1 to 100000"),
        ("FREQ=DAILY;INTERVAL=-1", "INTERVAL=-1: '-1' is not 1 to 1000"),
    ],
)
def test_counts_and_intervals_out_of_range(rule: str, problem: str) -> None:
    assert refusal(rule, start="2026-01-01") == (
        f"recurring hours {rule!r}",
        (f"rule {rule!r}: {problem}",),
    )


def test_several_problems_of_one_rule_are_given_in_order() -> None:
    rule = "FREQ=WEEKLY;COUNT=2;BYHOUR=8;BYMONTH=13;UNTIL=x"
    assert refusal(rule)[1] == (
        f"rule {rule!r}: BYHOUR sets times, but a rule gives dates only; the opening hours of "
        "those dates come from 'hours'",
        f"rule {rule!r}: BYMONTH=13: '13' is not 1 to 12",
        f"rule {rule!r}: UNTIL=X is not a local date; write it as YYYYMMDD, e.g. UNTIL=20261231",
        f"rule {rule!r}: {NEEDS_START}",
        f"rule {rule!r}: {NO_DAY}",
    )


def test_a_rule_that_is_not_one_rrule() -> None:
    for rule in ("FREQ=WEEKLY;BYDAY=SA\nFREQ=DAILY", "DTSTART:20260101\nRRULE:FREQ=DAILY"):
        assert refusal(rule) == (
            f"recurring hours {rule!r}",
            (
                f"rule {rule!r}: give one RRULE, such as 'FREQ=MONTHLY;BYDAY=+1SA', and the "
                "first date it applies as 'start' (not DTSTART)",
            ),
        )
    assert refusal("FREQ=DAILY;DTSTART=20260101")[1][0].endswith("as 'start' (not DTSTART)")


def test_a_rule_that_is_not_a_string() -> None:
    assert refusal(5) == (
        "recurring hours 5",
        ("the rule must be a string such as 'FREQ=MONTHLY;BYDAY=+1SA', got 5",),
    )
    assert refusal(None, name="Saturdays") == (
        "recurring hours 'Saturdays'",
        ("the rule must be a string such as 'FREQ=MONTHLY;BYDAY=+1SA', got None",),
    )


def test_a_rule_dateutil_refuses() -> None:
    rule = "FREQ=WEEKLY;BYDAY=SA;WKST=XX"
    assert refusal(rule) == (
        f"recurring hours {rule!r}",
        (f"rule {rule!r} is not a valid recurrence rule: invalid 'WKST': XX",),
    )


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        (" rrule:freq=weekly;byday=sa ", "FREQ=WEEKLY;BYDAY=SA"),
        ("FREQ= WEEKLY ;BYDAY= SA ", "FREQ=WEEKLY;BYDAY=SA"),
        ("FREQ=WEEKLY; BYMONTHDAY= 2 ", "FREQ=WEEKLY;BYMONTHDAY=2"),
        ("RRULE:FREQ=DAILY", "FREQ=DAILY"),
        ("FREQ=DAILY;INTERVAL=01", "FREQ=DAILY;INTERVAL=01"),
        ("FREQ=DAILY;INTERVAL=1", "FREQ=DAILY;INTERVAL=1"),
        ("FREQ=DAILY;UNTIL=20261231T000000", "FREQ=DAILY;UNTIL=20261231T000000"),
        ("FREQ=DAILY;BYDAY=+1SA,-1FR,SU", "FREQ=DAILY;BYDAY=+1SA,-1FR,SU"),
        ("freq=yearly;byweekno=1;byday=mo", "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO"),
        ("FREQ=YEARLY;BYYEARDAY=1", "FREQ=YEARLY;BYYEARDAY=1"),
    ],
)
def test_accepted_rules_in_normal_form(given: str, normal: str) -> None:
    rule = RecurringHours(given, "08:00-09:00")
    assert rule.rule == normal
    assert rule.label() == normal
    assert rule.start is None


def test_dates_of_accepted_rules() -> None:
    saturdays = RecurringHours("freq=weekly;byday=sa", "08:00-11:00")
    assert saturdays.dates(2026)[:2] == (date(2026, 1, 3), date(2026, 1, 10))
    assert len(saturdays.dates(2026)) == 52
    assert saturdays.dates(2026)[-1] == date(2026, 12, 26)
    # week 1 of 2026 starts on Monday 29 December 2025: the rule's date of 2026 is in 2025
    first_monday = RecurringHours("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", "closed")
    assert first_monday.dates(2025) == (date(2025, 12, 29),)
    assert first_monday.dates(2026) == ()
    assert first_monday.dates(2027) == (date(2027, 1, 4),)
    new_year = RecurringHours("FREQ=YEARLY;BYYEARDAY=1", "closed")
    assert new_year.dates(2026) == (date(2026, 1, 1),)
    last_day = RecurringHours("FREQ=YEARLY;BYYEARDAY=-1", "closed")
    assert last_day.dates(2026) == (date(2026, 12, 31),)
    assert last_day.dates(2028) == (date(2028, 12, 31),)


@pytest.mark.parametrize(
    ("start", "problem"),
    [
        (
            datetime(2026, 1, 1),  # noqa: DTZ001 - a datetime, refused
            "start must be a date, not a datetime: datetime.datetime(2026, 1, 1, 0, 0)",
        ),
        ("x", "start 'x' is not a date; write it as 'YYYY-MM-DD'"),
        (5, "start 5 is not a date; write it as 'YYYY-MM-DD'"),
        ("2026-02-30", "start '2026-02-30' is not a date; write it as 'YYYY-MM-DD'"),
    ],
)
def test_a_bad_start(start: object, problem: str) -> None:
    assert refusal("FREQ=WEEKLY;BYDAY=SA", start=start) == (
        "recurring hours 'FREQ=WEEKLY;BYDAY=SA'",
        (problem,),
    )


def test_a_start_is_read_and_counts_from() -> None:
    rule = RecurringHours("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", "08:00-11:00", start=" 2026-01-10 ")
    assert rule.start == date(2026, 1, 10)
    assert rule.dates(2026)[:2] == (date(2026, 1, 10), date(2026, 1, 24))
    assert rule.dates(2025) == ()
    counted = RecurringHours("FREQ=DAILY;COUNT=3", "closed", start=date(2026, 12, 30))
    assert counted.dates(2026) == (date(2026, 12, 30), date(2026, 12, 31))
    assert counted.dates(2027) == (date(2027, 1, 1),)
    # a start on a date the rule does not give: the rule's dates from it
    monthly = RecurringHours("FREQ=MONTHLY;BYDAY=+1SA", "08:00-11:00", start="2026-03-08")
    assert monthly.dates(2026)[:2] == (date(2026, 4, 4), date(2026, 5, 2))


def test_the_dates_of_a_rule_without_start_over_a_year_boundary() -> None:
    # the last day of each week, Sunday: 1 January 2023 is a Sunday
    last_of_week = RecurringHours("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYSETPOS=-1", "closed")
    assert last_of_week.dates(2023)[0] == date(2023, 1, 1)
    assert last_of_week.dates(2023)[-1] == date(2023, 12, 31)
    assert len(last_of_week.dates(2023)) == 53
    daily = RecurringHours("FREQ=DAILY", "closed")
    assert len(daily.dates(2028)) == 366
    assert daily.dates(2026)[0] == date(2026, 1, 1)
    assert daily.dates(2026)[-1] == date(2026, 12, 31)
    assert daily.dates(2)[0] == date(2, 1, 1)
    assert daily.dates(1)[0] == date(1, 1, 1)


def test_from_dict_defaults_and_labels() -> None:
    bare = RecurringHours.from_dict({"rule": "FREQ=WEEKLY;BYDAY=SA", "hours": "closed"})
    assert (bare.name, bare.name_vi, bare.start, bare.hours) == ("", "", None, ())
    named = RecurringHours.from_dict(
        {"rule": "FREQ=WEEKLY;BYDAY=SA", "hours": "closed", "name": "Sat", "name_vi": "Thứ Bảy"}
    )
    assert named.label() == "Thứ Bảy / Sat"
    with pytest.raises(CalendarError) as error:
        RecurringHours.from_dict({"rule": "FREQ=WEEKLY", "hours": "closed", "name": "Sat"})
    assert error.value.what == "recurring hours 'Sat'"
    assert error.value.problems == (f"rule 'FREQ=WEEKLY': {NO_DAY}",)
    with pytest.raises(CalendarError) as both:
        RecurringHours.from_dict({"rule": "FREQ=WEEKLY", "hours": "closed", "zzzz": 1})
    assert both.value.what == "recurring hours"
    assert both.value.problems == (
        "unknown key 'zzzz': the keys are rule, hours, start, name, name_vi, note",
        f"rule 'FREQ=WEEKLY': {NO_DAY}",
    )
    with pytest.raises(CalendarError) as extra_only:
        RecurringHours.from_dict({"rule": "FREQ=DAILY", "hours": "closed", "nme": "x"})
    assert extra_only.value.problems == ("unknown key 'nme': did you mean 'name'?",)


# ---------------------------------------------------------------- seasons
def walk_contains(first: str, last: str, day: date) -> bool:
    """Whether a day is in a season, by walking from its first day to its last."""
    start = date(day.year - 1, int(first[:2]), int(first[3:]))
    while True:
        end = date(start.year, int(last[:2]), int(last[3:]))
        if end < start:
            end = date(start.year + 1, end.month, end.day)
        if start <= day <= end:
            return True
        if start > day:
            return False
        start = date(start.year + 1, start.month, start.day)


MONTH_DAYS = st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31)).map(
    lambda d: f"{d.month:02d}-{d.day:02d}"
)


@given(MONTH_DAYS, MONTH_DAYS, st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)))
def test_contains_matches_the_walk(first: str, last: str, day: date) -> None:
    season = SeasonalHours(first, last, WEEKDAYS)
    assert season.contains(day) == walk_contains(first, last, day)


@pytest.mark.parametrize(
    ("first", "last", "inside", "outside"),
    [
        ("11-01", "03-31", ["11-01", "12-31", "01-01", "03-31"], ["10-31", "04-01"]),
        ("04-01", "10-31", ["04-01", "10-31"], ["03-31", "11-01"]),
        ("06-15", "06-15", ["06-15"], ["06-14", "06-16"]),
        ("06-16", "06-14", ["06-16", "06-14", "01-01", "12-31"], ["06-15"]),
    ],
)
def test_the_ends_of_a_season(first: str, last: str, inside: list[str], outside: list[str]) -> None:
    season = SeasonalHours(first, last, WEEKDAYS)
    for month_day in inside:
        assert season.contains(date.fromisoformat(f"2026-{month_day}")), month_day
    for month_day in outside:
        assert not season.contains(date.fromisoformat(f"2026-{month_day}")), month_day


def test_leap_days_and_normal_form() -> None:
    february = SeasonalHours("02-01", "02-29", WEEKDAYS)
    assert february.contains(date(2028, 2, 29))
    assert not february.contains(date(2028, 3, 1))
    assert (february.first, february.last) == ("02-01", "02-29")
    assert february.label() == "02-01 to 02-29"
    winter = SeasonalHours(" 11-01", "03-31 ", WEEKDAYS, name="Winter", name_vi="Mùa đông")
    assert (winter.first, winter.last, winter.label()) == ("11-01", "03-31", "Mùa đông / Winter")


@pytest.mark.parametrize("value", ["13-01", "00-10", "02-30", "04-31", "1-01", "11-1", "", 1101])
def test_a_day_of_the_year_that_is_not_one(value: object) -> None:
    with pytest.raises(CalendarError) as error:
        SeasonalHours(value, "03-31", WEEKDAYS)  # type: ignore[arg-type]
    assert error.value.what == "seasonal hours"
    assert error.value.problems == (
        f"'from': {value!r} is not a day of the year; write it as 'MM-DD', e.g. '11-01'",
    )


def test_shared_days_walk_the_whole_leap_year() -> None:
    winter = SeasonalHours("11-01", "03-31", WEEKDAYS)
    everything = SeasonalHours("01-01", "12-31", WEEKDAYS)
    shared = winter.shared_days(everything)
    assert len(shared) == 31 + 29 + 31 + 30 + 31  # January to March, November, December
    assert shared[0] == "01-01"
    assert "02-29" in shared
    assert shared[-1] == "12-31"
    assert everything.shared_days(everything)[-1] == "12-31"
    assert len(everything.shared_days(everything)) == 366
    day = date(2028, 1, 1)
    expected = []
    while day.year == 2028:
        if winter.contains(day):
            expected.append(f"{day.month:02d}-{day.day:02d}")
        day += timedelta(days=1)
    assert shared == expected


def test_seasonal_from_dict_problems_at_once() -> None:
    with pytest.raises(CalendarError) as error:
        SeasonalHours.from_dict({"from": "13-01", "to": "03-31", "weekly_hours": WEEKDAYS, "x": 1})
    assert error.value.what == "seasonal hours"
    assert error.value.problems == (
        "unknown key 'x': the keys are from, to, weekly_hours, name, name_vi, note",
        "'from': '13-01' is not a day of the year; write it as 'MM-DD', e.g. '11-01'",
    )
    with pytest.raises(CalendarError) as missing:
        SeasonalHours.from_dict({"name": "Winter"})
    assert missing.value.what == "seasonal hours 'Winter'"
    assert missing.value.problems == (
        "'from' is missing",
        "'to' is missing",
        "'weekly_hours' is missing",
    )
    with pytest.raises(CalendarError) as not_mapping:
        SeasonalHours.from_dict("winter")  # type: ignore[arg-type]
    assert not_mapping.value.problems == (
        "must be a mapping with the keys from, to, weekly_hours, name, name_vi, note, got 'winter'",
    )


def test_a_value_with_an_equals_sign_stays_the_value() -> None:
    rule = "FREQ=WEEKLY;BYDAY=SA=SU"
    assert refusal(rule)[1] == (
        f"rule {rule!r}: 'SA=SU' in BYDAY is not a weekday; write MO, TU, WE, TH, FR, SA or SU, "
        "optionally numbered: +1SA is the first Saturday, -1FR the last Friday",
    )


def test_an_interval_that_is_not_a_number_still_needs_a_start() -> None:
    rule = "FREQ=DAILY;INTERVAL=X1"
    assert refusal(rule)[1] == (
        f"rule {rule!r}: INTERVAL=X1: 'X1' is not 1 to 1000",
        f"rule {rule!r}: {NEEDS_START}",
    )


@pytest.mark.parametrize(
    ("hours", "problem"),
    [
        ("x", "hours: 'x' is not an interval; write it as '08:00-12:00'"),
        (
            "12:00-08:00",
            "hours: interval 12:00-08:00 is empty or reversed; the end must come after the start",
        ),
    ],
)
def test_bad_hours_of_a_rule(hours: str, problem: str) -> None:
    with pytest.raises(CalendarError) as error:
        RecurringHours("FREQ=WEEKLY;BYDAY=SA", hours, name="Saturdays")
    assert error.value.what == "recurring hours 'Saturdays'"
    assert error.value.problems == (problem,)


def test_spaces_after_the_commas_of_byday() -> None:
    """Spaces after the commas of a list are dropped from the rule's normal form, so that
    dateutil reads the list it was checked as."""
    rule = RecurringHours("FREQ=WEEKLY;BYDAY=SA, SU", "08:00-11:00")
    assert rule.rule == "FREQ=WEEKLY;BYDAY=SA,SU"
    assert rule.dates(2026)[:2] == (date(2026, 1, 3), date(2026, 1, 4))
