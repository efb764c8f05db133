"""Properties of working-time arithmetic, checked against a brute-force minute-stepping oracle.

The oracle knows nothing of the calendar's index: it walks time one minute at a time and asks
whether that minute is open, from the raw day lists below (the dates of domain.md, typed in by
hand).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from vss_care_core.calendar import DayOff, WorkingCalendar, WorkingDay, vietnam_calendar

settings.register_profile("calendar-oracle", max_examples=70, deadline=None)
ORACLE = settings.get_profile("calendar-oracle")
settings.register_profile("calendar-fast", max_examples=150, deadline=None)
FAST = settings.get_profile("calendar-fast")

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MINUTE = timedelta(minutes=1)
WEEKDAY_HOURS = ((8 * 60, 12 * 60), (13 * 60, 17 * 60))

# Weekdays off, 2025-early 2028 (statutory and official), and the Saturdays worked: from domain.md.
WEEKDAYS_OFF = {
    date(2025, 1, 1),
    *(date(2025, 1, d) for d in range(27, 32)),
    date(2025, 4, 7),
    date(2025, 4, 30),
    date(2025, 5, 1),
    date(2025, 5, 2),
    date(2025, 9, 1),
    date(2025, 9, 2),
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
    date(2027, 2, 4),
    date(2027, 2, 5),
    date(2027, 2, 8),
    date(2027, 2, 9),
    date(2027, 2, 10),
    date(2027, 4, 16),
    date(2027, 4, 30),
    date(2027, 5, 3),
    date(2027, 9, 2),
    date(2027, 9, 3),
    date(2027, 11, 24),
    date(2028, 1, 3),  # 1 January 2028 is a Saturday: compensated on Monday
}
WORKED_SATURDAYS = {date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)}

CAL = vietnam_calendar()


def vn_hours(day: date) -> tuple[tuple[int, int], ...]:
    """The oracle's opening minutes of a local date."""
    if day in WORKED_SATURDAYS:
        return WEEKDAY_HOURS
    if day.weekday() >= 5 or day in WEEKDAYS_OFF:
        return ()
    return WEEKDAY_HOURS


HoursOf = Callable[[date], tuple[tuple[int, int], ...]]


def oracle_open(moment: datetime, zone: ZoneInfo, hours_of: HoursOf) -> bool:
    """Whether the minute starting at ``moment`` is open."""
    local = moment.astimezone(zone)
    minute = local.hour * 60 + local.minute
    return any(a <= minute < b for a, b in hours_of(local.date()))


def oracle_add(start: datetime, minutes: int, zone: ZoneInfo, hours_of: HoursOf) -> datetime:
    """Walk minute by minute, consuming open minutes."""
    t = start.astimezone(UTC)
    while minutes > 0:
        if oracle_open(t, zone, hours_of):
            minutes -= 1
        t += MINUTE
    return t


def oracle_working_minutes(
    start: datetime, end: datetime, zone: ZoneInfo, hours_of: HoursOf
) -> int:
    """Count the open minutes in [start, end)."""
    t, count = start.astimezone(UTC), 0
    while t < end:
        count += oracle_open(t, zone, hours_of)
        t += MINUTE
    return count


def oracle_next_open(at: datetime, zone: ZoneInfo, hours_of: HoursOf) -> datetime:
    """The first open minute at or after ``at``."""
    t = at.astimezone(UTC)
    while not oracle_open(t, zone, hours_of):
        t += MINUTE
    return t


ZONES = st.sampled_from([UTC, VN, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")])


@st.composite
def starts(
    draw: st.DrawFn, first: date = date(2025, 1, 1), last: date = date(2027, 12, 15)
) -> datetime:
    """Whole-minute moments over 2025-2027, given in assorted zones."""
    minutes = draw(st.integers(0, ((last - first).days + 1) * 1440 - 1))
    moment = datetime(first.year, first.month, first.day, tzinfo=VN) + timedelta(minutes=minutes)
    # bias towards the interesting hours: openings, closings, lunch
    if draw(st.booleans()):
        hour, minute = draw(
            st.sampled_from([(8, 0), (12, 0), (13, 0), (17, 0), (11, 59), (16, 59)])
        )
        moment = moment.replace(hour=hour, minute=minute)
    return moment.astimezone(draw(ZONES))


DURATIONS = st.integers(0, 40 * 60)


class TestAgainstOracle:
    """The calendar gives the oracle's answers."""

    @ORACLE
    @given(starts(), DURATIONS)
    def test_add(self, start: datetime, minutes: int) -> None:
        """add equals minute stepping."""
        expected = oracle_add(start, minutes, VN, vn_hours)
        assert CAL.add(start, timedelta(minutes=minutes)) == expected

    @ORACLE
    @given(starts(), st.integers(0, 3 * 1440))
    def test_working_time(self, start: datetime, span: int) -> None:
        """working_time equals the count of open minutes."""
        end = start + timedelta(minutes=span)
        expected = oracle_working_minutes(start, end, VN, vn_hours)
        assert CAL.working_time(start, end) == timedelta(minutes=expected)

    @ORACLE
    @given(starts())
    def test_next_open_and_is_open(self, at: datetime) -> None:
        """next_open and is_open equal the oracle's."""
        assert CAL.is_open(at) == oracle_open(at, VN, vn_hours)
        assert CAL.next_open(at) == oracle_next_open(at, VN, vn_hours)

    @FAST
    @given(starts(last=date(2027, 11, 1)), st.integers(0, 30))
    def test_legal_counting(self, event: datetime, n: int) -> None:
        """add_working_days and add_days step day by day as the Civil Code says."""
        day = event.astimezone(VN).date()
        counted = day
        for _ in range(n):
            counted += timedelta(days=1)
            while not vn_hours(counted):
                counted += timedelta(days=1)
        expected = datetime.combine(counted + timedelta(days=1), datetime.min.time(), tzinfo=VN)
        assert CAL.add_working_days(event, n) == expected
        last = day + timedelta(days=n)
        while n and not vn_hours(last):
            last += timedelta(days=1)
        expected = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=VN)
        assert CAL.add_days(event, n) == expected


ANY_DURATION = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=120))


@st.composite
def precise_starts(draw: st.DrawFn) -> datetime:
    """Moments to the microsecond over 2025-2027."""
    base = datetime(2025, 1, 1, tzinfo=VN)
    offset = draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3 * 365)))
    return (base + offset).astimezone(draw(ZONES))


class TestProperties:
    """Algebraic properties, to the microsecond."""

    @FAST
    @given(precise_starts(), ANY_DURATION, ANY_DURATION)
    def test_add_is_additive(self, start: datetime, a: timedelta, b: timedelta) -> None:
        """add(start, a + b) == add(add(start, a), b)."""
        assert CAL.add(start, a + b) == CAL.add(CAL.add(start, a), b)

    @FAST
    @given(precise_starts(), ANY_DURATION)
    def test_working_time_inverts_add(self, start: datetime, d: timedelta) -> None:
        """working_time(start, add(start, d)) == d."""
        assert CAL.working_time(start, CAL.add(start, d)) == d

    @FAST
    @given(precise_starts(), ANY_DURATION)
    def test_subtract_inverts(self, end: datetime, d: timedelta) -> None:
        """working_time(subtract(end, d), end) == d."""
        assert CAL.working_time(CAL.subtract(end, d), end) == d

    @FAST
    @given(precise_starts(), precise_starts(), ANY_DURATION, ANY_DURATION)
    def test_add_is_monotonic(
        self, s1: datetime, s2: datetime, d1: timedelta, d2: timedelta
    ) -> None:
        """Later starts and longer durations never give earlier results."""
        s1, s2 = min(s1, s2), max(s1, s2)
        d1, d2 = min(d1, d2), max(d1, d2)
        assert CAL.add(s1, d1) <= CAL.add(s1, d2)
        assert CAL.add(s1, d1) <= CAL.add(s2, d1)

    @FAST
    @given(precise_starts(), ANY_DURATION.filter(lambda d: d > timedelta(0)))
    def test_never_lands_in_a_closed_period(self, start: datetime, d: timedelta) -> None:
        """The result is open, or exactly a closing time."""
        result = CAL.add(start, d)
        assert result.tzinfo == VN
        closing = CAL.is_open(result - timedelta(microseconds=1)) and not CAL.is_open(result)
        assert CAL.is_open(result) or closing


# ------------------------------------------------------------------ any calendar
@st.composite
def day_hours(draw: st.DrawFn, earliest: int) -> tuple[tuple[int, int], ...]:
    """0-3 sorted, disjoint intervals on a quarter-hour grid, in minutes."""
    marks = sorted(set(draw(st.lists(st.integers(earliest // 15, 96), max_size=6))))
    if len(marks) % 2:
        marks = marks[:-1]
    return tuple((marks[i] * 15, marks[i + 1] * 15) for i in range(0, len(marks), 2))


def _text(hours: tuple[tuple[int, int], ...]) -> str:
    return ", ".join(f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for a, b in hours)


@st.composite
def calendars(draw: st.DrawFn) -> tuple[WorkingCalendar, HoursOf]:
    """A random calendar and the oracle's view of its days."""
    zone = draw(
        st.sampled_from(
            [
                UTC,
                VN,
                ZoneInfo("Asia/Kolkata"),
                ZoneInfo("America/New_York"),
                ZoneInfo("Europe/Paris"),
            ]
        )
    )
    # keep intervals clear of the small hours in zones that change clocks (see the docs)
    earliest = 0 if zone in (UTC, VN) or str(zone) == "Asia/Kolkata" else 4 * 60
    week = [draw(day_hours(earliest)) for _ in range(7)]
    if not any(week):
        week[0] = ((9 * 60, 17 * 60),)
    days = st.dates(date(2026, 1, 1), date(2026, 3, 31))
    offs = draw(st.sets(days, max_size=10))
    works = {d: draw(day_hours(earliest).filter(bool)) for d in draw(st.sets(days, max_size=5))}
    offs -= set(works)
    cal = WorkingCalendar(
        zone=zone,
        weekly_hours=[_text(h) for h in week],
        days_off=[DayOff(d) for d in offs],
        working_days=[WorkingDay(d, _text(h)) for d, h in works.items()],
    )

    def hours_of(day: date) -> tuple[tuple[int, int], ...]:
        if day in works:
            return works[day]
        if day in offs:
            return ()
        return week[day.weekday()]

    return cal, hours_of


class TestAnyCalendar:
    """Random calendars, time zones with and without daylight saving time."""

    @ORACLE
    @given(calendars(), st.integers(0, 60 * 24 * 75), st.integers(0, 1500))
    def test_add_and_working_time(
        self, made: tuple[WorkingCalendar, HoursOf], offset: int, minutes: int
    ) -> None:
        """add and working_time agree with the oracle."""
        cal, hours_of = made
        week_minutes = sum(b - a for d in cal.weekly_hours for a, b in _minutes(d))
        minutes = min(minutes, 2 * week_minutes)
        start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=offset)
        result = cal.add(start, timedelta(minutes=minutes))
        assert result == oracle_add(start, minutes, cal.zone, hours_of)
        assert cal.working_time(start, result) == timedelta(minutes=minutes)
        if result - start <= timedelta(days=4):
            counted = oracle_working_minutes(start, result, cal.zone, hours_of)
            assert counted == minutes


def _minutes(hours: tuple[tuple[object, object], ...]) -> list[tuple[int, int]]:
    out = []
    for a, b in hours:
        start = a.hour * 60 + a.minute  # type: ignore[attr-defined]
        end = b.hour * 60 + b.minute or 1440  # type: ignore[attr-defined]
        out.append((start, end))
    return out


class TestFastPath:
    """add answers the same on its fast path (a warm index) and its general one (a cold one)."""

    @FAST
    @given(precise_starts(), ANY_DURATION)
    def test_cold_and_warm_calendars_agree(self, start: datetime, d: timedelta) -> None:
        """A calendar built just now (no index yet) gives the shared, warm calendar's result."""
        cold = vietnam_calendar(name="cold")  # an equal calendar with its own, empty cache
        assert cold == vietnam_calendar(name="cold")
        assert cold.add(start, d) == CAL.add(start, d)
        assert cold.add(start, d) == CAL.add(start.astimezone(VN), d)
