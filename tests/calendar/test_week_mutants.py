"""Weekday names, ranges and weekly hours, pinned exactly (mutation testing of the week module).

Each refusal is compared whole, so that a change to a hint, a close match, a bound or a prefix
is seen; the days a key names are compared with a plain table of the seven names.
"""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.calendar import SeasonalHours, WorkingCalendar
from vss_care_core.calendar._week import WEEKDAY_NAMES, parse_weekly, weekdays_of
from vss_care_core.errors import CalendarError

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOW = "use 0-6 (0 = Monday), a name such as 'tue' or 'tuesday', or a range such as 'tue-fri'"
FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SHORT = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def calendar_problems(weekly_hours: object) -> tuple[str, ...]:
    """The problems of a calendar built with these weekly hours."""
    with pytest.raises(CalendarError) as error:
        WorkingCalendar(zone=VN, weekly_hours=weekly_hours)  # type: ignore[arg-type]
    return error.value.problems


def season_problems(weekly_hours: object) -> tuple[str, ...]:
    """The problems of a season built with these weekly hours."""
    with pytest.raises(CalendarError) as error:
        SeasonalHours("11-01", "03-31", weekly_hours)  # type: ignore[arg-type]
    return error.value.problems


def oracle(key: int | str) -> list[int]:
    """The weekdays a key names, from the two tables of names alone (empty: refused)."""
    if isinstance(key, bool):
        return []
    if isinstance(key, int):
        return [key] if key in range(7) else []
    text = key.strip().lower().replace("–", "-")
    number = {**{n: i for i, n in enumerate(FULL)}, **{n: i for i, n in enumerate(SHORT)}}
    if "-" not in text:
        return [number[text]] if text in number else []
    first, _, last = (part.strip() for part in text.partition("-"))
    if first not in number or last not in number or number[first] > number[last]:
        return []
    return list(range(number[first], number[last] + 1))


# ---------------------------------------------------------------- names and numbers
@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("tusday", "weekday 'tusday' is not a weekday; did you mean 'tuesday' or 'thursday'? "),
        ("Tusday", "weekday 'tusday' in 'Tusday' is not a weekday; did you mean 'tuesday' or "),
        ("day", "weekday 'day' is not a weekday; did you mean 'sunday' or 'monday' or 'friday'? "),
        ("frday", "weekday 'frday' is not a weekday; did you mean 'friday'? "),
        ("tues", "weekday 'tues' is not a weekday; did you mean 'tue'? "),
        ("sund", "weekday 'sund' is not a weekday; did you mean 'sun' or 'sunday'? "),
        ("mo", "weekday 'mo' is not a weekday; did you mean 'mon'? "),
        ("s", "weekday 's' is not a weekday; "),
        (" XYZ ", "weekday 'xyz' in ' XYZ ' is not a weekday; "),
        (True, "weekday True is not a weekday; "),
        (False, "weekday False is not a weekday; "),
        (2.5, "weekday 2.5 is not a weekday; "),
        (None, "weekday None is not a weekday; "),
    ],
)
def test_an_unknown_name_is_refused_with_its_closest_names(key: object, problem: str) -> None:
    """The closest names only (those about as close as the closest), then how to write one."""
    problems: list[str] = []
    assert weekdays_of(key, problems) == []  # type: ignore[arg-type]
    assert len(problems) == 1
    assert problems[0].startswith(problem)
    assert problems[0].endswith(HOW)
    assert calendar_problems({key: "08:00-12:00", "mon": "08:00-12:00"}) == tuple(problems)


def test_the_closest_names_are_given_in_full() -> None:
    problems: list[str] = []
    weekdays_of("tusday", problems)
    assert problems == [
        "weekday 'tusday' is not a weekday; did you mean 'tuesday' or 'thursday'? " + HOW
    ]
    problems.clear()
    weekdays_of("xyz", problems)
    assert problems == ["weekday 'xyz' is not a weekday; " + HOW]


@pytest.mark.parametrize("number", [-1, 7, 8, -7])
def test_a_weekday_number_outside_0_to_6_is_refused(number: int) -> None:
    problems: list[str] = []
    assert weekdays_of(number, problems) == []
    assert problems == [f"weekday {number} is not between 0 (Monday) and 6 (Sunday)"]


@pytest.mark.parametrize("number", range(7))
def test_each_weekday_number_is_its_day(number: int) -> None:
    problems: list[str] = []
    assert weekdays_of(number, problems) == [number]
    assert problems == []
    cal = WorkingCalendar(zone=VN, weekly_hours={number: "08:00-12:00"})
    assert [bool(hours) for hours in cal.weekly_hours] == [d == number for d in range(7)]


@pytest.mark.parametrize(
    ("key", "days"),
    [
        ("wed-wed", [2]),
        ("Sun-Sun", [6]),
        ("monday - monday", [0]),
        ("MON–SUN", [0, 1, 2, 3, 4, 5, 6]),
        ("  thu  ", [3]),
        ("Thu–Fri", [3, 4]),
    ],
)
def test_a_range_of_one_day_and_of_the_whole_week(key: str, days: list[int]) -> None:
    problems: list[str] = []
    assert weekdays_of(key, problems) == days
    assert problems == []


# ---------------------------------------------------------------- ranges
@pytest.mark.parametrize(
    ("key", "write", "to_sunday", "from_monday"),
    [
        ("sun-mon", "mon-sun", "sun", "mon"),
        ("Sunday-Tuesday", "tue-sun", "sun", "mon-tue"),
        ("sat-tue", "tue-sat", "sat-sun", "mon-tue"),
        ("fri-mon", "mon-fri", "fri-sun", "mon"),
        ("tue-mon", "mon-tue", "tue-sun", "mon"),
        ("sun-sat", "sat-sun", "sun", "mon-sat"),
    ],
)
def test_a_backwards_range_says_how_to_write_it(
    key: str, write: str, to_sunday: str, from_monday: str
) -> None:
    problems: list[str] = []
    assert weekdays_of(key, problems) == []
    assert problems == [
        f"weekday range {key!r} runs backwards (a range goes from Monday towards Sunday); "
        f"write '{write}' if you meant those days, or split a range over the weekend in two "
        f"keys: '{to_sunday}' and '{from_monday}'"
    ]


@pytest.mark.parametrize(
    ("key", "problems"),
    [
        (
            "mo-fr",
            [
                f"weekday 'mo' in 'mo-fr' is not a weekday; did you mean 'mon'? {HOW}",
                f"weekday 'fr' in 'mo-fr' is not a weekday; did you mean 'fri'? {HOW}",
            ],
        ),
        ("mon-", [f"weekday '' in 'mon-' is not a weekday; {HOW}"]),
        ("-fri", [f"weekday '' in '-fri' is not a weekday; {HOW}"]),
        ("sun-xyz", [f"weekday 'xyz' in 'sun-xyz' is not a weekday; {HOW}"]),
        ("xyz-mon", [f"weekday 'xyz' in 'xyz-mon' is not a weekday; {HOW}"]),
        (  # a range has one hyphen: the first one splits it
            "mon-tue-fri",
            [
                "weekday 'tue-fri' in 'mon-tue-fri' is not a weekday; did you mean 'tue' or "
                f"'fri'? {HOW}"
            ],
        ),
        ("mon--fri", [f"weekday '-fri' in 'mon--fri' is not a weekday; did you mean 'fri'? {HOW}"]),
    ],
)
def test_a_range_with_an_unknown_end(key: str, problems: list[str]) -> None:
    found: list[str] = []
    assert weekdays_of(key, found) == []
    assert found == problems


spelling = st.one_of(
    st.integers(min_value=-2, max_value=9),
    st.booleans(),
    st.builds(
        lambda first, last, dash, style, pad: (
            style(first) + pad + dash + pad + style(last) if dash else pad + style(first) + pad
        ),
        st.sampled_from(FULL + SHORT + ("tues", "xyz", "")),
        st.sampled_from(FULL + SHORT),
        st.sampled_from(["-", "–", ""]),
        st.sampled_from([str.lower, str.upper, str.title]),
        st.sampled_from(["", " ", "  "]),
    ),
)


@given(spelling)
def test_the_days_of_a_key_match_the_table_of_names(key: int | str) -> None:
    """Any key: the days of the plain table of names, and a problem exactly when none."""
    problems: list[str] = []
    days = weekdays_of(key, problems)
    assert days == oracle(key)
    assert bool(problems) == (days == [])


# ---------------------------------------------------------------- weekly hours
def test_weekly_hours_are_always_seven_days() -> None:
    for weekly in ({"tue": "08:00-12:00"}, ["08:00-12:00"] * 7, {6: "08:00-09:00"}):
        problems: list[str] = []
        week = parse_weekly(weekly, "", problems)
        assert problems == []
        assert len(week) == 7
    cal = WorkingCalendar(zone=VN, weekly_hours={"sun": "08:00-09:00"})
    assert cal.weekly_hours == ((),) * 6 + (((time(8), time(9)),),)
    assert cal.hours_on(date(2026, 3, 8)) == ((time(8), time(9)),)  # a Sunday
    assert cal.hours_on(date(2026, 3, 7)) == ()


def test_seven_entries_monday_first() -> None:
    hours = [f"0{d + 1}:00-0{d + 2}:00" for d in range(7)]
    cal = WorkingCalendar(zone=VN, weekly_hours=hours)
    assert cal.weekly_hours == tuple(((time(d + 1), time(d + 2)),) for d in range(7))
    season = SeasonalHours("11-01", "03-31", hours)
    assert season.weekly_hours == cal.weekly_hours


@pytest.mark.parametrize("count", [6, 8])
def test_not_seven_entries(count: int) -> None:
    assert calendar_problems(["08:00-12:00"] * count) == (
        f"weekly hours need 7 entries (Monday..Sunday), got {count}",
    )
    assert season_problems(["08:00-12:00"] * count) == (
        f"weekly_hours: weekly hours need 7 entries (Monday..Sunday), got {count}",
    )


def test_too_few_entries_keep_the_ones_given() -> None:
    problems: list[str] = []
    week = parse_weekly(["08:00-09:00", "10:00-11:00"], "", problems)
    assert len(week) == 7
    assert [bool(day) for day in week] == [True, True, False, False, False, False, False]
    assert week[1] != week[0]


@pytest.mark.parametrize(
    ("weekly", "kind"), [("08:00-17:00", "str"), (5, "int"), (None, "NoneType")]
)
def test_weekly_hours_of_the_wrong_kind(weekly: object, kind: str) -> None:
    message = (
        "weekly hours must be a mapping such as {'mon-fri': '08:00-17:00'} or seven entries "
        f"(Monday..Sunday), not a {kind}"
    )
    assert calendar_problems(weekly) == (message,)
    assert season_problems(weekly) == (f"weekly_hours: {message}",)


def test_bad_hours_are_placed_by_their_day() -> None:
    interval = "is not an interval; write it as '08:00-12:00'"
    assert calendar_problems({"mon": "x"}) == (f"hours of mon: 'x' {interval}",)
    assert season_problems({"mon": "x"}) == (f"weekly_hours: hours of mon: 'x' {interval}",)
    entries = ["08:00-12:00", "x", "", "", "", "", ""]
    assert calendar_problems(entries) == (f"hours of tuesday: 'x' {interval}",)
    assert season_problems(entries) == (f"weekly_hours: hours of tuesday: 'x' {interval}",)


def test_a_bad_key_in_a_season_is_prefixed() -> None:
    assert season_problems({"xyz": "08:00-12:00"}) == (
        f"weekly_hours: weekday 'xyz' is not a weekday; {HOW}",
    )
    assert season_problems({"sat-mon": "08:00-12:00"})[0].startswith(
        "weekly_hours: weekday range 'sat-mon' runs backwards"
    )


def test_a_day_given_twice_names_both_keys() -> None:
    twice = {"mon-wed": "08:00-12:00", "Wednesday": "13:00-14:00"}
    message = (
        "wednesday is given more than once in the weekly hours ('mon-wed' and 'Wednesday'); "
        "give each day once"
    )
    assert calendar_problems(twice) == (message,)
    assert season_problems(twice) == (f"weekly_hours: {message}",)
    thrice = {"mon": "08:00-09:00", 0: "09:00-10:00", "monday": "10:00-11:00"}
    assert calendar_problems(thrice) == (
        "monday is given more than once in the weekly hours ('mon' and 0); give each day once",
        "monday is given more than once in the weekly hours (0 and 'monday'); give each day once",
    )


def test_each_day_of_a_range_gets_the_hours_of_its_key() -> None:
    problems: list[str] = []
    week = parse_weekly({"mon-tue": "08:00-09:00", "wed": "10:00-11:00"}, "", problems)
    assert problems == []
    assert week[0] == week[1] != week[2]
    assert [bool(day) for day in week] == [True, True, True, False, False, False, False]
    assert WEEKDAY_NAMES[week.index(week[2])] == "wednesday"
