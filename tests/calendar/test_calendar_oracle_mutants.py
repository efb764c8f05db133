"""Small random calendars against a day-by-day and minute-by-minute oracle.

Each calendar has weekly hours with a lunch break, a winter season from 1 November, a first-
Saturday rule, days off, a holiday source and working days (with and without hours). The oracle
applies the documented precedence to each date by hand, then walks minute by minute; the
calendar is asked cold (a fresh index) and warm (the index already built, the fast path of
``add``), with starts in its own zone and in others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from vss_care_core.calendar import (
    DayOff,
    RecurringHours,
    SeasonalHours,
    WorkingCalendar,
    WorkingDay,
)

settings.register_profile("calendar-small-oracle", max_examples=40, deadline=None)
SMALL = settings.get_profile("calendar-small-oracle")

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MINUTE = timedelta(minutes=1)
Minutes = tuple[tuple[int, int], ...]
FIRST_DAY = date(2026, 10, 26)  # a Monday: the window runs into winter and a first Saturday
DAYS = 21


def text(spans: Minutes) -> str:
    """Minutes as hours text, ``"08:00-12:00, 13:00-17:00"``."""
    return ", ".join(f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for a, b in spans)


def as_times(spans: Minutes) -> tuple[tuple[time, time], ...]:
    """Minutes as the intervals ``hours_on`` gives (24:00 is not a time: none is drawn)."""
    return tuple((time(a // 60, a % 60), time(b // 60, b % 60)) for a, b in spans)


@dataclass(frozen=True)
class Plan:
    """What a calendar is made of, in plain values the oracle reads."""

    week: tuple[Minutes, ...]
    winter: tuple[Minutes, ...] | None
    first_saturday: Minutes | None
    days_off: frozenset[date]
    holidays: frozenset[date]
    working: tuple[tuple[date, Minutes | None], ...]

    def calendar(self) -> WorkingCalendar:
        holidays = sorted(self.holidays)

        def source(year: int) -> Iterable[DayOff]:
            return [DayOff(d, name="Holiday", kind="statutory") for d in holidays if d.year == year]

        return WorkingCalendar(
            zone=VN,
            weekly_hours=[text(day) for day in self.week],
            seasonal_hours=(
                []
                if self.winter is None
                else [SeasonalHours("11-01", "03-31", [text(day) for day in self.winter])]
            ),
            recurring_hours=(
                []
                if self.first_saturday is None
                else [RecurringHours("FREQ=MONTHLY;BYDAY=+1SA", text(self.first_saturday))]
            ),
            days_off=[DayOff(d) for d in sorted(self.days_off)],
            working_days=[
                WorkingDay(d, None if hours is None else text(hours)) for d, hours in self.working
            ],
            holiday_source=source,
        )

    def week_on(self, day: date) -> tuple[Minutes, ...]:
        in_winter = day.month >= 11 or day.month <= 3
        return self.winter if in_winter and self.winter is not None else self.week

    def hours(self, day: date) -> Minutes:
        """The precedence of the class docstring, step by step."""
        for worked, hours in self.working:
            if worked == day:
                if hours is not None:
                    return hours
                in_force = [d for d in self.week_on(day) if d]
                return in_force[0] if in_force else next(d for d in self.week if d)
        if day in self.days_off or day in self.holidays:
            return ()
        if self.first_saturday is not None and day.weekday() == 5 and day.day <= 7:
            return self.first_saturday
        return self.week_on(day)[day.weekday()]


SPANS = st.sampled_from(
    [
        (),
        ((480, 720), (780, 1020)),  # 08:00-12:00, 13:00-17:00
        ((450, 690), (810, 990)),  # 07:30-11:30, 13:30-16:30
        ((480, 660),),
        ((0, 60), (1380, 1439)),
    ]
)
WINDOW = [FIRST_DAY + timedelta(days=n) for n in range(DAYS)]
DATES = st.sampled_from(WINDOW)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    week = tuple(draw(SPANS) for _ in range(7))
    if not any(week):
        week = (((480, 720), (780, 1020)), *week[1:])
    winter = draw(st.none() | st.tuples(*[SPANS] * 7))
    off = draw(st.frozensets(DATES, max_size=3))
    holidays = draw(st.frozensets(DATES, max_size=3))
    working_dates = draw(st.lists(DATES, max_size=3, unique=True))
    working = tuple(
        (d, draw(st.none() | SPANS.filter(bool))) for d in working_dates if d not in off
    )
    return Plan(week, winter, draw(st.none() | SPANS), off, holidays, working)


def minute_open(plan: Plan, moment: datetime) -> bool:
    local = moment.astimezone(VN)
    minute = local.hour * 60 + local.minute
    return any(a <= minute < b for a, b in plan.hours(local.date()))


def walk_add(plan: Plan, start: datetime, minutes: int) -> datetime | None:
    """Minute stepping within the window (``None`` past it)."""
    moment, end = start, datetime.combine(WINDOW[-1], time(), tzinfo=VN) + timedelta(days=1)
    while minutes > 0:
        if moment >= end:
            return None
        if minute_open(plan, moment):
            minutes -= 1
        moment += MINUTE
    return moment


def walk_worked(plan: Plan, start: datetime, end: datetime) -> int:
    moment, count = start, 0
    while moment < end:
        count += minute_open(plan, moment)
        moment += MINUTE
    return count


MOMENTS = st.builds(
    lambda day, minute: datetime.combine(day, time(), tzinfo=VN) + timedelta(minutes=minute),
    st.sampled_from(WINDOW[:14]),
    st.sampled_from([0, 450, 480, 481, 690, 719, 720, 750, 780, 810, 990, 1019, 1020, 1439]),
)
ZONES = st.sampled_from([VN, UTC, ZoneInfo("Asia/Bangkok"), ZoneInfo("America/New_York")])


@SMALL
@given(plans())
def test_hours_day_by_day(plan: Plan) -> None:
    cal = plan.calendar()
    for day in WINDOW:
        assert cal.hours_on(day) == as_times(plan.hours(day)), day
        assert cal.is_working_day(day) == bool(plan.hours(day)), day


@SMALL
@given(plans(), MOMENTS, st.integers(0, 20 * 60), ZONES)
def test_add_cold_and_warm(plan: Plan, start: datetime, minutes: int, zone: ZoneInfo) -> None:
    expected = walk_add(plan, start, minutes)
    if expected is None:
        return
    cal = plan.calendar()
    given_start = start.astimezone(zone)
    assert cal.add(given_start, timedelta(minutes=minutes)) == expected  # cold
    assert cal.add(given_start, timedelta(minutes=minutes)) == expected  # warm
    assert cal.add(start, timedelta(minutes=minutes)) == expected  # warm, its own zone
    assert cal.add(start, timedelta(minutes=minutes + 1)) == walk_add(plan, start, minutes + 1)


@SMALL
@given(plans(), MOMENTS, st.integers(0, 4 * 1440))
def test_working_time_and_subtract(plan: Plan, start: datetime, span: int) -> None:
    cal = plan.calendar()
    end = start + timedelta(minutes=span)
    worked = walk_worked(plan, start, end)
    assert cal.working_time(start, end) == timedelta(minutes=worked)
    assert cal.working_times(start, [end, start]) == (timedelta(minutes=worked), timedelta(0))
    if worked:
        back = cal.subtract(end, timedelta(minutes=worked))
        assert cal.working_time(back, end) == timedelta(minutes=worked)
        assert back >= start
        assert minute_open(plan, back)


@SMALL
@given(plans(), MOMENTS)
def test_is_open_and_next_open(plan: Plan, at: datetime) -> None:
    cal = plan.calendar()
    assert cal.is_open(at) == minute_open(plan, at)
    moment = at
    while not minute_open(plan, moment) and moment < at + timedelta(days=7):
        moment += MINUTE
    if minute_open(plan, moment):
        assert cal.next_open(at) == moment


@SMALL
@given(plans(), st.sampled_from(WINDOW[:7]), st.integers(0, 8))
def test_working_days_day_by_day(plan: Plan, event: date, n: int) -> None:
    cal = plan.calendar()
    day, counted = event, 0
    while counted < n:
        day += timedelta(days=1)
        if day > WINDOW[-1]:
            return
        counted += bool(plan.hours(day))
    at = datetime.combine(event, time(9), tzinfo=VN)
    assert cal.add_working_days(at, n) == datetime.combine(
        day + timedelta(days=1), time(), tzinfo=VN
    )
    last = event + timedelta(days=n)
    while n and not plan.hours(last):
        last += timedelta(days=1)
        if last > WINDOW[-1]:
            return
    assert cal.add_days(at, n) == datetime.combine(last + timedelta(days=1), time(), tzinfo=VN)
