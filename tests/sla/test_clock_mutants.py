"""The SLA clock engine piece by piece: the cases mutation testing showed other tests left open.

Legal period ends are checked against the calendar's own counting (on calendars built in each
test, so that no period counted earlier answers for them), the cache of period ends through what
it counts, the measures of each span against each holder's calendar, and the clock's course and
run on hand-made moves and spans.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.calendar import DayOff, WorkingCalendar
from vss_care_core.models import Move
from vss_care_core.sla import SlaState, SlaTarget, _clock
from vss_care_core.sla._clock import (
    ClockCourse,
    Runs,
    Segment,
    SpanMeasures,
    SpanUse,
    _period_end,
    _PeriodEnds,
    budget_of,
    clock_time,
    measures_for,
    run_clock,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
H = timedelta(hours=1)
M = timedelta(minutes=1)
OUTCOMES = frozenset({"answered"})
COUNTING = {
    "working_days": WorkingCalendar.add_working_days,
    "calendar_days": WorkingCalendar.add_days,
    "months": WorkingCalendar.add_months,
    "years": WorkingCalendar.add_years,
}
"""The calendar's own counting of each legal period, the oracle of the period ends."""


def vn(*args: int) -> datetime:
    """A moment in Vietnamese local time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[arg-type,misc]


def fresh(hours: str = "08:00-12:00, 13:00-17:00", *days_off: date) -> WorkingCalendar:
    """A new calendar (Monday to Friday) that no period end was counted on yet."""
    return WorkingCalendar(
        zone=VN, weekly_hours={"mon-fri": hours}, days_off=[DayOff(day) for day in days_off]
    )


def target(**fields: Any) -> SlaTarget:
    """A test target (a plain 4-hour limit unless told)."""
    values: dict[str, Any] = {"name": "answer", "unit": "elapsed", "limit": 4 * H}
    values.update(fields)
    return SlaTarget(source="ASSUMED test", **values)


def oracle(calendar: WorkingCalendar, unit: str, days: int, start_day: date) -> datetime:
    """The end of a period, counted by the calendar from the first moment of ``start_day``."""
    return COUNTING[unit](calendar, datetime.combine(start_day, time(), tzinfo=VN), days)


class Counted:
    """``_period_end``, counting its calls (the cache's misses)."""

    def __init__(self, count: Callable[[WorkingCalendar, str, int, date], datetime]) -> None:
        self.calls = 0
        self._count = count

    def __call__(
        self, calendar: WorkingCalendar, unit: str, days: int, start_day: date
    ) -> datetime:
        self.calls += 1
        return self._count(calendar, unit, days, start_day)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counted:
    """The period ends counted, with the calls counted."""
    spy = Counted(_period_end)
    monkeypatch.setattr(_clock, "_period_end", spy)
    return spy


class TestPeriodEnd:
    """The legal end of a period is the calendar's own, for each unit."""

    @given(
        unit=st.sampled_from(sorted(COUNTING)),
        days=st.integers(min_value=1, max_value=40),
        start_day=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
    )
    def test_against_the_calendar(self, unit: str, days: int, start_day: date) -> None:
        """Any unit, count and day, on a calendar with a day off: the calendar's answer."""
        calendar = fresh("08:00-12:00, 13:00-17:00", date(2026, 4, 30), date(2027, 5, 3))
        assert _period_end(calendar, unit, days, start_day) == oracle(
            calendar, unit, days, start_day
        )

    @pytest.mark.parametrize(
        ("unit", "end"),
        [
            ("working_days", vn(2026, 3, 19)),  # Thu 5 ... Wed 18 March (10 working days)
            ("calendar_days", vn(2026, 3, 17)),  # Sat 14 March, moved to Monday 16
            ("months", vn(2027, 1, 5)),  # Monday 4 January 2027
            ("years", vn(2036, 3, 5)),  # Tuesday 4 March 2036
        ],
    )
    def test_ten_of_each_unit(self, unit: str, end: datetime) -> None:
        """Ten of each unit from Wednesday 4 March 2026: four different ends, at 24:00."""
        assert _period_end(fresh(), unit, 10, date(2026, 3, 4)) == end
        assert _PeriodEnds().get(fresh(), unit, 10, date(2026, 3, 4)) == end

    def test_budget_of_day_limits(self) -> None:
        """From Wednesday 4 March 2026 at 10:00, two days end at 24:00 on Friday: 22 working
        hours (6 on Wednesday, 8 each after), or 2 days and 14 hours of calendar time."""
        started = vn(2026, 3, 4, 10, 0)
        working = target(unit="working_days", limit=2)
        calendar_days = target(unit="calendar_days", limit=2)
        assert budget_of(working, 2, started, fresh()) == 22 * H
        assert budget_of(calendar_days, 2, started, fresh()) == 2 * timedelta(days=1) + 14 * H
        # a day off on Thursday: Friday and Monday are the two working days
        assert budget_of(working, 2, started, fresh("08:00-12:00", date(2026, 3, 5))) == 10 * H


class TestPeriodEndsCache:
    """Period ends are counted once per calendar, and the cache stays bounded."""

    def test_counted_once(self, counted: Counted) -> None:
        """The same period on the same calendar is counted once, then read back."""
        ends = _PeriodEnds()
        calendar = fresh()
        first = ends.get(calendar, "working_days", 3, date(2026, 3, 4))
        again = ends.get(calendar, "working_days", 3, date(2026, 3, 4))
        assert first == again == vn(2026, 3, 10)
        assert counted.calls == 1
        assert ends.get(calendar, "working_days", 4, date(2026, 3, 4)) == vn(2026, 3, 11)
        assert counted.calls == 2

    def test_two_calendars_with_the_same_dates(self, counted: Counted) -> None:
        """One working day after Wednesday 4 March: Thursday, or Friday where Thursday is a
        day off; each calendar keeps its own answer, asked in any order."""
        ends = _PeriodEnds()
        plain, closed = fresh(), fresh("08:00-12:00, 13:00-17:00", date(2026, 3, 5))
        for _ in range(2):
            assert ends.get(plain, "working_days", 1, date(2026, 3, 4)) == vn(2026, 3, 6)
            assert ends.get(closed, "working_days", 1, date(2026, 3, 4)) == vn(2026, 3, 7)
        assert counted.calls == 2

    def test_more_calendars_than_kept(self, counted: Counted) -> None:
        """One calendar more than the cache keeps empties it: the first is counted again,
        the last one is still kept."""
        ends = _PeriodEnds()
        calendars = [fresh() for _ in range(_PeriodEnds._MAX_CALENDARS + 1)]
        for calendar in calendars:
            assert ends.get(calendar, "calendar_days", 1, date(2026, 3, 4)) == vn(2026, 3, 6)
        assert counted.calls == len(calendars)
        assert ends.get(calendars[-1], "calendar_days", 1, date(2026, 3, 4)) == vn(2026, 3, 6)
        assert counted.calls == len(calendars)
        assert ends.get(calendars[0], "calendar_days", 1, date(2026, 3, 4)) == vn(2026, 3, 6)
        assert counted.calls == len(calendars) + 1

    def test_more_periods_than_kept(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """One period more than the cache keeps per calendar empties that calendar's
        periods: the first is counted again, the last one is still kept."""
        spy = Counted(lambda calendar, unit, days, start_day: vn(2026, 1, 1) + days * H)
        monkeypatch.setattr(_clock, "_period_end", spy)
        ends, calendar = _PeriodEnds(), fresh()
        count = _PeriodEnds._MAX_PERIODS + 1
        for days in range(count):
            ends.get(calendar, "calendar_days", days, date(2026, 3, 4))
        assert spy.calls == count
        assert (
            ends.get(calendar, "calendar_days", count - 1, date(2026, 3, 4))
            == vn(2026, 1, 1) + (count - 1) * H
        )
        assert spy.calls == count
        assert ends.get(calendar, "calendar_days", 0, date(2026, 3, 4)) == vn(2026, 1, 1)
        assert spy.calls == count + 1


CASE = fresh()
EARLY = fresh("07:30-11:30, 13:30-17:00")
LATE = fresh("09:00-12:00, 13:00-18:00")
TIMES = [vn(2026, 3, 2, 8, 0), vn(2026, 3, 2, 14, 0), vn(2026, 3, 3, 10, 0)]
AT = vn(2026, 3, 4, 12, 0)


def spans_of(holders: list[WorkingCalendar]) -> list[tuple[datetime, datetime, WorkingCalendar]]:
    """Each span of ``TIMES`` up to ``AT`` with its holder's calendar."""
    ends = [*TIMES[1:], AT]
    return list(zip(TIMES, ends, holders, strict=True))


class TestSpanMeasures:
    """Opening hours follow each span's holder; legal periods stay on the case's calendar."""

    def test_opening_hours_on_each_holder(self) -> None:
        """Each span's working time is its holder's, when no holder is the case's calendar."""
        holders = [EARLY, LATE, EARLY]
        measures = SpanMeasures(CASE, [*TIMES, AT], len(TIMES), holders)
        per_move = measures.per_move("working_time")
        for measure, (start, end, held) in zip(per_move, spans_of(holders), strict=True):
            assert measure.between(start, end) == held.working_time(start, end)
        total = sum((held.working_time(s, e) for s, e, held in spans_of(holders)), timedelta())
        assert measures.time_between("working_time", TIMES, 0, AT) == total
        assert total != CASE.working_time(TIMES[0], AT)
        later = sum((held.working_time(s, e) for s, e, held in spans_of(holders)[1:]), timedelta())
        assert measures.time_between("working_time", TIMES, 1, AT) == later

    def test_legal_periods_on_the_case_calendar(self) -> None:
        """Working days and plain time are counted on the case's calendar in every span."""
        measures = SpanMeasures(CASE, [*TIMES, AT], len(TIMES), [EARLY, LATE, EARLY])
        for measure, (start, end, _) in zip(
            measures.per_move("working_days"), spans_of([CASE] * 3), strict=True
        ):
            assert measure.between(start, end) == CASE.working_time(start, end)
        assert measures.time_between("working_days", TIMES, 0, AT) == CASE.working_time(
            TIMES[0], AT
        )
        assert measures.time_between("elapsed", TIMES, 1, AT) == AT - TIMES[1]

    def test_calendar_after_the_last_move(self) -> None:
        """The last holder's calendar for opening hours, the case's for legal periods."""
        measures = SpanMeasures(CASE, [*TIMES, AT], len(TIMES), [EARLY, CASE, LATE])
        assert measures.calendar_after("working_time") is LATE
        assert measures.calendar_after("working_days") is CASE
        assert measures.calendar_after("calendar_days") is CASE
        alone = SpanMeasures(CASE, [*TIMES, AT], len(TIMES))
        assert alone.calendar_after("working_time") is CASE

    def test_clock_time_from_a_later_move(self) -> None:
        """``clock_time`` counts from its start move, each span on its own measure, up to
        ``end`` (inside a span)."""
        per_move = [measures_for(held, [*TIMES, AT])["working_time"] for held in (EARLY, LATE)]
        per_move.append(measures_for(EARLY, [*TIMES, AT])["working_time"])
        end = vn(2026, 3, 3, 16, 0)
        expected = LATE.working_time(TIMES[1], TIMES[2]) + EARLY.working_time(TIMES[2], end)
        assert clock_time(per_move, TIMES, 1, end) == expected
        assert expected == 9 * H  # 14:00-18:00 and 9:00-10:00 late, then 10:00-16:00 early
        assert clock_time(per_move, TIMES, 0, TIMES[1]) == EARLY.working_time(TIMES[0], TIMES[1])


def run(  # noqa: PLR0917 - the arguments of run_clock, in its order
    one: SlaTarget,
    course: ClockCourse,
    times: list[datetime],
    at: datetime,
    measures: list[_clock.Measure] | None = None,
    calendar: WorkingCalendar = CASE,
) -> _clock.ClockRun:
    """``run_clock`` with the case calendar's measures unless told."""
    if measures is None:
        measures = [measures_for(calendar, [*times, at])[one.unit]] * len(times)
    return run_clock(
        one,
        one.limit,
        course,
        times,
        at,
        measures=measures,
        calendar=calendar,
    )


class TestRunClock:
    """What a clock did, on hand-made courses."""

    def test_projection_from_the_stop_holder(self) -> None:
        """A clock stopped before the last move projects its end on the calendar of the unit
        that held the case when it stopped, not on the last holder's."""
        one = target(unit="working_time", limit=40 * H)
        times = [*TIMES, vn(2026, 3, 3, 15, 0)]
        moments = [*times, AT]
        measures = [measures_for(held, moments)["working_time"] for held in (CASE, CASE)]
        measures += [measures_for(EARLY, moments)["working_time"]]
        measures += [measures_for(LATE, moments)["working_time"]]
        course = ClockCourse(
            start=0, stop=2, segments=(Segment(0, Runs.ALWAYS), Segment(1, Runs.ALWAYS)),
            runs_at_end=Runs.NEVER,
        )  # fmt: skip
        result = run(one, course, times, AT, measures)
        used = CASE.working_time(times[0], times[2])
        assert result.elapsed == used
        assert result.deadline == EARLY.add(times[2], 40 * H - used)
        assert result.deadline != LATE.add(times[2], 40 * H - used)
        assert result.state is SlaState.MET
        assert result.running is False

    def test_calendar_days_deadline_rolls_after_a_pause(self) -> None:
        """Three calendar days from Monday 2 March 12:00 (3.5 days), paused from Tuesday noon
        to Thursday noon: they run out at 24:00 on Saturday, moved to Monday 9 March."""
        one = target(unit="calendar_days", limit=3)
        times = [vn(2026, 3, 2, 12, 0), vn(2026, 3, 3, 12, 0), vn(2026, 3, 5, 12, 0)]
        course = ClockCourse(
            start=0, stop=None, segments=(Segment(0, Runs.ALWAYS), Segment(2, Runs.ALWAYS)),
            runs_at_end=Runs.ALWAYS,
        )  # fmt: skip
        result = run(one, course, times, vn(2026, 3, 6, 12, 0), calendar=fresh())
        assert result.budget == 3 * timedelta(days=1) + 12 * H
        assert result.elapsed == 2 * timedelta(days=1)
        assert result.deadline == vn(2026, 3, 10)
        assert result.state is SlaState.RUNNING
        assert result.running is True

    def test_step_left_before_its_limit_is_met(self) -> None:
        """A step used exactly its hour (10:00-11:00) and was left: met, whenever asked."""
        one = target(step="draft", limit=H)
        times = [vn(2026, 3, 2, 9, 0), vn(2026, 3, 2, 10, 0), vn(2026, 3, 2, 11, 0)]
        course = ClockCourse(
            start=1, stop=None, segments=(Segment(1, Runs.ALWAYS),), runs_at_end=Runs.NEVER
        )
        result = run(one, course, times, vn(2026, 3, 2, 15, 0))
        assert result.deadline == vn(2026, 3, 2, 11, 0)
        assert result.state is SlaState.MET
        assert result.running is False
        assert result.spans == (SpanUse(1, H),)

    def test_step_entered_again_after_its_limit(self) -> None:
        """The same step entered again at 15:00, asked at 15:00: running, and breached (its
        hour ran out at 11:00), though no time was counted since."""
        one = target(step="draft", limit=H)
        times = [
            vn(2026, 3, 2, 9, 0), vn(2026, 3, 2, 10, 0), vn(2026, 3, 2, 11, 0),
            vn(2026, 3, 2, 15, 0),
        ]  # fmt: skip
        course = ClockCourse(
            start=1,
            stop=None,
            segments=(Segment(1, Runs.ALWAYS), Segment(3, Runs.ALWAYS)),
            runs_at_end=Runs.ALWAYS,
        )
        result = run(one, course, times, vn(2026, 3, 2, 15, 0))
        assert result.running is True
        assert result.state is SlaState.BREACHED

    def test_resumes_after_a_pause_in_force(self) -> None:
        """A pause after its rule came into force does not count; the time after it does."""
        one = target(pause=("awaiting_info",), pause_from=date(2026, 3, 1))
        times = [vn(2026, 3, 2, 9, 0), vn(2026, 3, 2, 10, 0), vn(2026, 3, 2, 12, 0)]
        course = ClockCourse(
            start=0,
            stop=None,
            segments=(
                Segment(0, Runs.ALWAYS),
                Segment(1, Runs.BEFORE_PAUSE_RULE),
                Segment(2, Runs.ALWAYS),
            ),
            runs_at_end=Runs.ALWAYS,
        )
        result = run(one, course, times, vn(2026, 3, 2, 13, 0))
        assert result.elapsed == 2 * H
        assert result.spans == (SpanUse(0, H), SpanUse(2, H))

    def test_no_span_of_no_time(self) -> None:
        """Two moves at the same moment: the span between them is not listed."""
        times = [vn(2026, 3, 2, 9, 0), vn(2026, 3, 2, 10, 0), vn(2026, 3, 2, 10, 0)]
        course = ClockCourse(
            start=0,
            stop=None,
            segments=(Segment(0, Runs.ALWAYS), Segment(1, Runs.ALWAYS), Segment(2, Runs.ALWAYS)),
            runs_at_end=Runs.ALWAYS,
        )
        result = run(target(), course, times, vn(2026, 3, 2, 10, 30))
        assert result.spans == (SpanUse(0, H), SpanUse(2, 30 * M))

    @pytest.mark.parametrize(
        ("at", "running"),
        [
            (datetime(2026, 6, 30, 16, 30, tzinfo=UTC), True),  # 23:30 on 30 June in Hà Nội
            (datetime(2026, 6, 30, 17, 30, tzinfo=UTC), False),  # 00:30 on 1 July in Hà Nội
            (vn(2026, 7, 1, 12, 0), False),
        ],
    )
    def test_pause_rule_in_force_from_its_local_date(self, at: datetime, running: bool) -> None:
        """In a pause state of a rule in force from 1 July, the clock runs until that local
        date begins, wherever ``at`` is expressed."""
        one = target(
            pause=("awaiting_info",), pause_from=date(2026, 7, 1), limit=3 * timedelta(days=1)
        )
        course = ClockCourse(
            start=0,
            stop=None,
            segments=(Segment(0, Runs.BEFORE_PAUSE_RULE),),
            runs_at_end=Runs.BEFORE_PAUSE_RULE,
        )
        result = run(one, course, [vn(2026, 6, 30, 9, 0)], at)
        assert result.running is running
        assert result.state is (SlaState.RUNNING if running else SlaState.PAUSED)


MOVES = [
    Move("open", None, "intake", None),  # 0
    Move("complete", "intake", "draft", "intake"),  # 1
    Move("complete", "draft", "answered", "draft"),  # 2
    Move("reopen", "answered", "draft", None),  # 3
    Move("request_info", "draft", "awaiting_info", None),  # 4
    Move("resume", "awaiting_info", "draft", None),  # 5
    Move("complete", "draft", "review", "draft"),  # 6
    Move("complete", "review", "answered", "review"),  # 7
]
"""Answered, reopened, asked for information, answered again."""


class TestClockCourse:
    """Where a clock starts, stops and runs in a sequence of moves."""

    @pytest.mark.parametrize(
        ("fields", "course"),
        [
            (  # the first answer is before the start: the second one stops it
                {"start": "reopen", "pause": ("awaiting_info",)},
                ClockCourse(3, 7, (Segment(3, Runs.ALWAYS), Segment(5, Runs.ALWAYS),
                                   Segment(6, Runs.ALWAYS)), Runs.NEVER),
            ),
            (  # stopped by a completion before the end: nothing after it runs
                {"start": "reopen", "stop": ("complete:draft",), "pause": ("awaiting_info",)},
                ClockCourse(3, 6, (Segment(3, Runs.ALWAYS), Segment(5, Runs.ALWAYS)), Runs.NEVER),
            ),
            (  # the start move is not its own stop
                {"start": "complete", "stop": ("complete",)},
                ClockCourse(1, 2, (Segment(1, Runs.ALWAYS),), Runs.NEVER),
            ),
            (  # a per-step clock starts when the step is entered after the start event
                {"start": "request_info", "step": "draft"},
                ClockCourse(5, 7, (Segment(5, Runs.ALWAYS),), Runs.NEVER),
            ),
            (  # started by the end: stopped at once
                {"start": "end"},
                ClockCourse(2, 2, (), Runs.NEVER),
            ),
            (  # never started
                {"start": "escalate"},
                ClockCourse(None, None, (), Runs.NEVER),
            ),
        ],
    )  # fmt: skip
    def test_course(self, fields: dict[str, Any], course: ClockCourse) -> None:
        """A table of targets over the same moves, with their whole course."""
        assert ClockCourse.of(target(**fields), MOVES, OUTCOMES) == course

    def test_running_at_the_end(self) -> None:
        """Not stopped: it runs in the last move's state."""
        course = ClockCourse.of(target(start="reopen"), MOVES[:6], OUTCOMES)
        assert course == ClockCourse(
            3, None, tuple(Segment(i, Runs.ALWAYS) for i in range(3, 6)), Runs.ALWAYS
        )
