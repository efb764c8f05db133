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
from functools import lru_cache
from typing import NamedTuple

from vss_care_core.calendar import WorkingCalendar
from vss_care_core.models import Move
from vss_care_core.sla._policy import Limit, SlaTarget

__all__ = [
    "ClockCourse",
    "ClockRun",
    "Measure",
    "Runs",
    "SlaState",
    "clock_runs",
    "measures_for",
    "run_clock",
    "trigger_hits",
]

_ZERO = timedelta(0)
_TICK = timedelta(microseconds=1)
_DAY_UNITS = frozenset({"working_days", "calendar_days", "months", "years"})
"""Units counted in whole days, months or years: their deadline is 24:00 of a day."""
_ROLLING_UNITS = frozenset({"calendar_days", "months", "years"})
"""Day units whose last day, when it is not a working day, moves to the next working day."""
_WORKING_UNITS = frozenset({"working_time", "working_days"})


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


@lru_cache(maxsize=8192)
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
    end = _period_end(calendar, target.unit, limit, day)
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


def run_clock(  # noqa: PLR0912 - one clock over the history's times, in one place
    target: SlaTarget,
    limit: Limit,
    course: ClockCourse,
    times: Sequence[datetime],
    at: datetime,
    *,
    measure: Measure,
    calendar: WorkingCalendar,
) -> ClockRun:
    """Follow ``course`` (started) over the moves' ``times`` up to ``at``.

    ``times`` are the moves' times in order, all no later than ``at``; the span of the last
    move runs to ``at``.
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
        used = measure.between(span_start, span_end)
        if reached is None and elapsed + used >= budget:
            reached = measure.after(span_start, budget - elapsed)
        elapsed += used
    running = course.stop is None and (
        course.runs_at_end is Runs.ALWAYS
        or (
            course.runs_at_end is Runs.BEFORE_PAUSE_RULE
            and target.pause_from is not None
            and at.astimezone(calendar.zone).date() < target.pause_from
        )
    )
    if reached is None and (target.step is None or running):
        # a projection: the clock goes on (or resumes) from now, or from its stop
        reached = measure.after(at if course.stop is None else end, budget - elapsed)
    deadline = reached
    if deadline is not None and target.unit in _DAY_UNITS:
        deadline = day_deadline(deadline, target.unit, calendar)
    if target.step is not None:
        moment = at if running else (last_end if last_end is not None else started_at)
    else:
        moment = end
    if deadline is not None and moment > deadline:
        state = SlaState.BREACHED
    elif running:
        state = SlaState.RUNNING
    elif course.stop is not None or target.step is not None:
        state = SlaState.MET
    else:
        state = SlaState.PAUSED
    return ClockRun(
        started_at=started_at,
        stopped_at=stopped_at,
        budget=budget,
        elapsed=elapsed,
        running=running,
        deadline=deadline,
        state=state,
    )
