"""The one SLA clock engine: where a target's clock runs in a history, and what it did.

Two steps, each done here only:

1. :class:`ClockCourse` reads a history's *moves* (action, from state, to state, step): where
   the clock starts, where it stops for good, and between which moves it runs. It depends on
   the moves alone, so it is worked out once per distinct sequence of moves (its *shape*) and
   reused for every history of that shape.
2. :func:`run_clock` follows the course over the moves' times up to a moment ``at``: the time
   the clock used, when its limit is (or was) reached, the deadline, and its state.

:func:`~vss_care_core.sla.sla_status` and :class:`~vss_care_core.sla.SlaJudge` (the reports'
judge) both call these two, so a clock is counted the same way live and in a report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum, StrEnum
from typing import NamedTuple

from vss_care_core.calendar import WorkingCalendar
from vss_care_core.models import Move
from vss_care_core.sla._policy import Limit, SlaTarget

__all__ = [
    "ClockCourse",
    "ClockRun",
    "ClockSpan",
    "Measure",
    "Runs",
    "ShapeClock",
    "SlaState",
    "SpanMeasures",
    "SpanUse",
    "clock_runs",
    "clock_time",
    "measures_for",
    "run_clock",
    "trigger_hits",
]

_ZERO = timedelta(0)
_TICK = timedelta(microseconds=1)
_DAY_UNITS = frozenset({"working_days", "calendar_days", "months", "years"})
"""Units counted in whole days, months or years: their deadline is 24:00 of a day."""
_WORKING_UNITS = frozenset({"working_time", "working_days"})
"""Units whose clock time is opening hours (a working-days clock counts the working time of
its period)."""
_ROLLING_UNITS = frozenset({"calendar_days", "months", "years"})
"""Day units whose last day, when it is not a working day, moves to the next working day."""
_OPENING_HOURS_UNITS = frozenset({"working_time"})
"""Units counted in opening hours: they follow the calendar of the unit that holds the case.
Legal periods (days, months, years) are counted on the case's calendar whoever holds it."""


class SlaState(StrEnum):
    """Where a target's clock is."""

    PENDING = "pending"
    """Not started: its start event has not happened (yet)."""
    RUNNING = "running"
    """Counting."""
    PAUSED = "paused"
    """Stopped for now (on hold, awaiting information, suspended); it resumes later."""
    MET = "met"
    """Stopped by its stop event, or the case's end, no later than the deadline."""
    BREACHED = "breached"
    """The deadline passed before the clock was stopped."""


class Runs(Enum):
    """Whether a clock runs in a state."""

    ALWAYS = "always"
    NEVER = "never"
    BEFORE_PAUSE_RULE = "before_pause_rule"
    """A pause state of a rule in force only from the target's ``pause_from`` date: the clock
    runs in it before that date."""


def trigger_hits(trigger: str, move: Move, outcomes: frozenset[str]) -> bool:
    """Whether ``move`` is the event ``trigger`` names (see :class:`SlaTarget`)."""
    if trigger == "open":
        return move.action == "open"
    if trigger == "end":
        return move.to_state in outcomes and move.from_state not in outcomes
    kind, _, argument = trigger.partition(":")
    if kind == "complete" and argument:
        return move.action == "complete" and move.step == argument
    if kind == "enter" and argument:
        return move.to_state == argument and move.from_state != argument
    return move.action == trigger


def clock_runs(target: SlaTarget, state: str, outcomes: frozenset[str]) -> Runs:
    """Whether ``target``'s clock runs in ``state``."""
    if target.step is not None:
        return Runs.ALWAYS if state == target.step else Runs.NEVER
    if state not in outcomes and state not in target.pause:
        return Runs.ALWAYS
    if state in target.pause and target.pause_from is not None:
        return Runs.BEFORE_PAUSE_RULE
    return Runs.NEVER


class ClockSpan(NamedTuple):
    """A span in which a clock runs: from the time of the move ``start`` (an index) to the time
    of the move ``end``."""

    start: int
    end: int


class Segment(NamedTuple):
    """The clock may run from ``move`` (an index) to the next move (or to the moment asked
    about)."""

    move: int
    runs: Runs


@dataclass(frozen=True, slots=True)
class ClockCourse:
    """Where one target's clock starts, stops and runs in a sequence of moves (times aside)."""

    start: int | None
    """The move that starts the clock; None while pending."""
    stop: int | None
    """The move that stops it for good (a stop trigger or the case's end); None if none."""
    segments: tuple[Segment, ...]
    """The spans from a move to the next during which the clock may run, from the start to
    the stop (or to the last move, whose span reaches the moment asked about)."""
    runs_at_end: Runs
    """Whether it runs in the last move's state, when nothing stopped it."""

    @classmethod
    def of(cls, target: SlaTarget, moves: Sequence[Move], outcomes: frozenset[str]) -> ClockCourse:
        """The course of ``target``'s clock over ``moves`` of a process with ``outcomes``."""
        count = len(moves)
        start = next(
            (i for i, move in enumerate(moves) if trigger_hits(target.start, move, outcomes)),
            None,
        )
        if start is not None and target.step is not None:
            start = next((i for i in range(start, count) if moves[i].to_state == target.step), None)
        if start is None:
            return cls(start=None, stop=None, segments=(), runs_at_end=Runs.NEVER)
        stop: int | None = None
        for i in range(start, count):
            move = moves[i]
            if move.to_state in outcomes or (
                i > start and any(trigger_hits(t, move, outcomes) for t in target.stop)
            ):
                stop = i
                break
        last = stop - 1 if stop is not None else count - 1
        segments = []
        for i in range(start, last + 1):
            runs = clock_runs(target, moves[i].to_state, outcomes)
            if runs is not Runs.NEVER:
                segments.append(Segment(i, runs))
        runs_at_end = Runs.NEVER
        if stop is None:
            runs_at_end = clock_runs(target, moves[-1].to_state, outcomes)
        return cls(start=start, stop=stop, segments=tuple(segments), runs_at_end=runs_at_end)

    @property
    def timeless(self) -> bool:
        """Whether the moves alone say where the clock runs: no pause state of a rule coming
        into force (:attr:`Runs.BEFORE_PAUSE_RULE`), whose effect depends on the times."""
        rule = Runs.BEFORE_PAUSE_RULE
        if self.stop is None and self.runs_at_end is rule:
            return False
        return all(segment.runs is not rule for segment in self.segments)

    def spans_to_last(self, count: int) -> tuple[ClockSpan, ...]:
        """Where a :attr:`timeless` clock runs when asked about the moment of the last of
        ``count`` moves: the spans :func:`run_clock` measures then, as moves' indices (each
        segment's span, cut at the stop)."""
        last = self.stop if self.stop is not None else count - 1
        return tuple(
            ClockSpan(segment.move, min(segment.move + 1, last)) for segment in self.segments
        )


@dataclass(frozen=True, slots=True)
class Measure:
    """How a target's clock counts time: the time between two moments, and the moment a
    duration after another."""

    between: Callable[[datetime, datetime], timedelta]
    after: Callable[[datetime, timedelta], datetime]
    calendar_based: bool
    """True when the clock counts on the calendar (alerts are kept within opening hours)."""


def measures_for(calendar: WorkingCalendar, moments: Sequence[datetime]) -> dict[str, Measure]:
    """The measure of each limit unit, for questions about ``moments`` (in time order).

    The working time from the first moment to each of them is computed once, on the first
    working-time question (never for a policy of plain durations), so that the working time
    between two of them is a subtraction.
    """
    known: dict[datetime, timedelta] = {}

    def working_between(a: datetime, b: datetime) -> timedelta:
        if not known:
            known.update(zip(moments, calendar.working_times(moments[0], moments), strict=True))
        from_a, from_b = known.get(a), known.get(b)
        if from_a is None or from_b is None:
            return calendar.working_time(a, b)
        return from_b - from_a

    def plain_between(a: datetime, b: datetime) -> timedelta:
        return b - a

    def plain_after(moment: datetime, duration: timedelta) -> datetime:
        return (moment + duration).astimezone(calendar.zone)

    working = Measure(working_between, calendar.add, calendar_based=True)
    days = Measure(plain_between, plain_after, calendar_based=True)
    elapsed = Measure(plain_between, plain_after, calendar_based=False)
    return {
        "working_time": working,
        "working_days": working,
        "calendar_days": days,
        "months": days,
        "years": days,
        "elapsed": elapsed,
    }


class SpanMeasures:
    """The measure of each span of one history (the time from a move to the next), per limit
    unit: a clock counted in opening hours uses the calendar of the unit holding the case in
    that span; any other clock, and every span when no holder's calendar differs, the case's.
    """

    __slots__ = ("_calendar", "_case", "_count", "_held", "_last")

    def __init__(
        self,
        calendar: WorkingCalendar,
        moments: Sequence[datetime],
        count: int,
        holders: Sequence[WorkingCalendar] | None = None,
    ) -> None:
        """``moments``: the history's times and the moment asked about (see
        :func:`measures_for`); ``count``: how many moves; ``holders``: the calendar of the
        unit holding the case after each move, if known."""
        self._calendar = calendar
        self._case = measures_for(calendar, moments)
        self._count = count
        self._last = holders[-1] if holders else calendar
        self._held: tuple[dict[str, Measure], ...] | None = None
        if holders is not None and any(held is not calendar for held in holders):
            # keyed by identity: hashing a calendar walks all its days
            tables: dict[int, dict[str, Measure]] = {id(calendar): self._case}
            for held in holders:
                if id(held) not in tables:
                    tables[id(held)] = measures_for(held, moments)
            self._held = tuple(tables[id(held)] for held in holders)

    def per_move(self, unit: str) -> Sequence[Measure]:
        """The measure of the span after each move, for a clock counted in ``unit``."""
        if self._held is not None and unit in _OPENING_HOURS_UNITS:
            return [table[unit] for table in self._held]
        return [self._case[unit]] * self._count

    def time_between(
        self, unit: str, times: Sequence[datetime], start: int, end: datetime
    ) -> timedelta:
        """The clock time from the move ``start`` to ``end`` for a clock counted in ``unit``,
        paused or not: one question on one calendar, else a sum over the spans."""
        if self._held is None or unit not in _OPENING_HOURS_UNITS:
            return self._case[unit].between(times[start], end)
        return clock_time(self.per_move(unit), times, start, end)

    def calendar_after(self, unit: str) -> WorkingCalendar:
        """The calendar a clock counted in ``unit`` runs on after the last move."""
        return self._last if unit in _OPENING_HOURS_UNITS else self._calendar


class _PeriodEnds:
    """The legal ends of periods already counted, per calendar.

    Kept by the calendar's identity: hashing a calendar walks all its days (18 µs, more than
    counting most periods). Each calendar is kept with its periods, so that its identity is
    not given to another while they are kept.
    """

    _MAX_CALENDARS = 64
    _MAX_PERIODS = 8192

    def __init__(self) -> None:
        self._kept: dict[int, tuple[WorkingCalendar, dict[tuple[str, int, date], datetime]]] = {}

    def get(self, calendar: WorkingCalendar, unit: str, days: int, start_day: date) -> datetime:
        """:func:`_period_end` of these, counted once."""
        kept = self._kept.get(id(calendar))
        if kept is None:
            if len(self._kept) >= self._MAX_CALENDARS:
                self._kept.clear()
            kept = self._kept[id(calendar)] = (calendar, {})
        _, ends = kept
        key = (unit, days, start_day)
        end = ends.get(key)
        if end is None:
            if len(ends) >= self._MAX_PERIODS:
                ends.clear()
            end = ends[key] = _period_end(calendar, unit, days, start_day)
        return end


_PERIOD_ENDS = _PeriodEnds()


def _period_end(calendar: WorkingCalendar, unit: str, days: int, start_day: date) -> datetime:
    """The legal end of a period of ``days`` (days, months or years, as ``unit`` says)
    counted from an event on ``start_day``: it depends on the date of the event only (the
    event's day is not counted)."""
    event_at = datetime.combine(start_day, time(12), tzinfo=calendar.zone)
    if unit == "working_days":
        return calendar.add_working_days(event_at, days)
    if unit == "months":
        return calendar.add_months(event_at, days)
    if unit == "years":
        return calendar.add_years(event_at, days)
    return calendar.add_days(event_at, days)


def budget_of(
    target: SlaTarget, limit: Limit, started_at: datetime, calendar: WorkingCalendar
) -> timedelta:
    """The limit as clock time from ``started_at``; a day limit runs to its period's legal
    end (in working time for working days)."""
    if isinstance(limit, timedelta):
        return limit
    day = started_at.astimezone(calendar.zone).date()
    end = _PERIOD_ENDS.get(calendar, target.unit, limit, day)
    if target.unit == "working_days":
        return calendar.working_time(started_at, end)
    return end - started_at


def day_deadline(reached: datetime, unit: str, calendar: WorkingCalendar) -> datetime:
    """24:00 of the day on which a day-counted budget runs out (00:00 of the next date)."""
    last = (reached - _TICK).astimezone(calendar.zone).date()
    if unit in _ROLLING_UNITS:
        while not calendar.is_working_day(last):
            last += timedelta(days=1)
    return datetime.combine(last + timedelta(days=1), time(), tzinfo=calendar.zone)


class SpanUse(NamedTuple):
    """Clock time used in the span that follows the move ``move`` (an index)."""

    move: int
    used: timedelta


@dataclass(frozen=True, slots=True)
class ClockRun:
    """What a started clock did up to the moment asked about."""

    started_at: datetime
    stopped_at: datetime | None
    """When the stop move stopped it for good."""
    budget: timedelta
    """The limit as clock time."""
    elapsed: timedelta
    """Clock time used (paused time excluded)."""
    running: bool
    """Counting at the moment asked about."""
    deadline: datetime | None
    """When the limit is (or was) reached, as the target counts it (day units: 24:00)."""
    state: SlaState
    spans: tuple[SpanUse, ...]
    """The clock time used in each span where it ran, in order (they add up to ``elapsed``)."""


def _state_within(course: ClockCourse, target: SlaTarget, *, running: bool) -> SlaState:
    """The state of a started clock whose deadline has not passed: running, met (stopped for
    good, or a step target whose step was left) or paused."""
    if running:
        return SlaState.RUNNING
    if course.stop is not None or target.step is not None:
        return SlaState.MET
    return SlaState.PAUSED


def run_clock(
    target: SlaTarget,
    limit: Limit,
    course: ClockCourse,
    times: Sequence[datetime],
    at: datetime,
    *,
    measures: Sequence[Measure],
    calendar: WorkingCalendar,
) -> ClockRun:
    """Follow ``course`` (started) over the moves' ``times`` up to ``at``.

    ``times`` are the moves' times in order, all no later than ``at``; the span of the last
    move runs to ``at``. ``measures`` count the clock time of the span that follows each move
    (one per move: the calendar of the unit that holds the case then); the span in which the
    clock ends (or the last one) also measures the projection beyond it. ``calendar`` is the
    case's calendar, on which legal periods are counted.
    """
    start = course.start
    if start is None:
        raise ValueError("run_clock needs a started course")
    started_at = times[start]
    stopped_at = times[course.stop] if course.stop is not None else None
    end = stopped_at if stopped_at is not None else at
    pause_from = (
        datetime.combine(target.pause_from, time(), tzinfo=calendar.zone)
        if target.pause_from is not None
        else None
    )
    budget = budget_of(target, limit, started_at, calendar)
    elapsed = _ZERO
    reached: datetime | None = None
    last_end: datetime | None = None
    spans: list[SpanUse] = []
    for segment in course.segments:
        span_start = times[segment.move]
        following = segment.move + 1
        span_end = min(times[following] if following < len(times) else at, end)
        if segment.runs is Runs.BEFORE_PAUSE_RULE:
            if pause_from is None or span_start >= pause_from:
                continue
            span_end = min(span_end, pause_from)  # the pause rule was not yet in force
        if span_end <= span_start:
            continue
        last_end = span_end
        measure = measures[segment.move]
        used = measure.between(span_start, span_end)
        if reached is None and elapsed + used >= budget:
            reached = measure.after(span_start, budget - elapsed)
        elapsed += used
        spans.append(SpanUse(segment.move, used))
    running = course.stop is None and (
        course.runs_at_end is Runs.ALWAYS
        or (
            course.runs_at_end is Runs.BEFORE_PAUSE_RULE
            and target.pause_from is not None
            and at.astimezone(calendar.zone).date() < target.pause_from
        )
    )
    if reached is None and (target.step is None or running):
        # a projection: the clock goes on (or resumes) from now, or from its stop, on the
        # calendar of the unit that holds the case then
        holder = measures[course.stop if course.stop is not None else len(times) - 1]
        reached = holder.after(at if course.stop is None else end, budget - elapsed)
    deadline = reached
    if deadline is not None and target.unit in _DAY_UNITS:
        deadline = day_deadline(deadline, target.unit, calendar)
    if target.step is not None:
        moment = at if running else (last_end if last_end is not None else started_at)
    else:
        moment = end
    if deadline is not None and moment > deadline:
        state = SlaState.BREACHED
    else:
        state = _state_within(course, target, running=running)
    return ClockRun(
        started_at=started_at,
        stopped_at=stopped_at,
        budget=budget,
        elapsed=elapsed,
        running=running,
        deadline=deadline,
        state=state,
        spans=tuple(spans),
    )


@dataclass(frozen=True, slots=True)
class ShapeClock:
    """One target's clock over one sequence of moves, worked out once (times aside), to judge
    histories of that sequence at their last move, as :func:`run_clock` judges them then.

    A report judges every ended case, and cases follow a few dozen sequences: what depends on
    the moves alone (the course, the spans in which the clock runs as moves' indices, the
    state of a clock within its limit) is worked out here once. A case then costs a sum over
    those spans (:meth:`settled`). Only when the sum cannot settle the verdict does the caller
    run the clock in full with :func:`run_clock`: exactly at the limit (the deadline may be a
    closing time before the end of a span), past it in a day unit (the deadline moves to 24:00
    of the day), in the pause state of a rule coming into force, or when the spans are held by
    units that keep other calendars (the caller knows).
    """

    target: SlaTarget
    course: ClockCourse
    spans: tuple[ClockSpan, ...] | None
    """Where the started clock runs at the last move; None when the times decide it too (see
    :attr:`ClockCourse.timeless`): the clock is run in full."""
    within: SlaState | None
    """The state of the started clock while within its limit (None: not started)."""

    @classmethod
    def of(cls, target: SlaTarget, moves: Sequence[Move], outcomes: frozenset[str]) -> ShapeClock:
        """The clock of ``target`` over ``moves`` of a process with ``outcomes``."""
        course = ClockCourse.of(target, moves, outcomes)
        if course.start is None:
            return cls(target=target, course=course, spans=None, within=None)
        running = course.stop is None and course.runs_at_end is Runs.ALWAYS
        return cls(
            target=target,
            course=course,
            spans=course.spans_to_last(len(moves)) if course.timeless else None,
            within=_state_within(course, target, running=running),
        )

    @property
    def working(self) -> bool:
        """Whether the clock is summed over opening hours (the case's working times)."""
        return self.spans is not None and self.target.unit in _WORKING_UNITS

    def settled(
        self,
        limit: Limit,
        times: Sequence[datetime],
        worked: Sequence[timedelta],
        calendar: WorkingCalendar,
    ) -> SlaState | None:
        """The state :func:`run_clock` gives at the last of ``times`` for a clock held on
        ``calendar`` alone, or None when only :func:`run_clock` can tell.

        ``worked``: the working time from the first move to each move (used only by a clock of
        opening hours). Within the limit, the deadline is later than the last move: the clock
        is in its :attr:`within` state. Past it, a clock of opening hours or of plain time
        reached its limit before the last span it ran in ended, so before the moment it is
        judged at: breached. Exactly at the limit, and past it in a day unit, only the deadline
        tells.
        """
        start = self.course.start
        if self.spans is None or self.within is None or start is None:
            return None
        target = self.target
        budget = budget_of(target, limit, times[start], calendar)
        if target.unit in _WORKING_UNITS:
            elapsed = sum((worked[span.end] - worked[span.start] for span in self.spans), _ZERO)
        else:
            elapsed = sum((times[span.end] - times[span.start] for span in self.spans), _ZERO)
        if elapsed < budget:
            return self.within
        if elapsed > budget and target.unit not in _DAY_UNITS:
            return SlaState.BREACHED
        return None


def clock_time(
    measures: Sequence[Measure], times: Sequence[datetime], start: int, end: datetime
) -> timedelta:
    """The clock time from the move ``start`` to the moment ``end``, paused or not, each span
    counted by its own measure (``times`` and ``measures`` as for :func:`run_clock`)."""
    total = _ZERO
    for index in range(start, len(times)):
        span_start = times[index]
        if span_start >= end:
            break
        following = index + 1
        span_end = min(times[following] if following < len(times) else end, end)
        total += measures[index].between(span_start, span_end)
    return total
