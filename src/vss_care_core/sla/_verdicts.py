"""Met or breached: the verdicts of an ended history, for reports over long logs.

:func:`~vss_care_core.sla.sla_status` builds every timer in full (deadlines, projections,
warnings, the next alert) for any moment. A report needs less, once per ended case: which
targets were met and which breached when the case ended. :class:`EndedJudge` compiles a policy
once and answers that from a history's *moves* (action, from state, to state, step) and their
times. What depends only on the moves (where each clock starts and stops, in which states it
runs) is worked out once per distinct sequence of moves, its *shape*, and reused: the cases of a
contact centre follow a few dozen shapes. The rules are those of ``sla_status``; the tests
compare the two on generated histories.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta

from vss_care_core.calendar import WorkingCalendar
from vss_care_core.models import Priority
from vss_care_core.models._event import Move
from vss_care_core.sla._policy import Limit, SlaPolicy, SlaTarget
from vss_care_core.sla._timers import (
    PAUSED,
    RUNS,
    STILL,
    _day_deadline,
    clock_runs,
    trigger_hits,
)

__all__ = ["EndedJudge", "ShapePlan"]

_ZERO = timedelta(0)
_DAY_UNITS = frozenset({"working_days", "calendar_days"})
_WORKING_UNITS = frozenset({"working_time", "working_days"})
_MAX_PERIODS = 4096


class _Course:
    """Where one target's clock starts, stops and runs in one shape (times aside)."""

    __slots__ = ("first", "last_runs", "segments", "stop", "through")

    def __init__(self, target: SlaTarget, shape: Sequence[Move], outcomes: frozenset[str]) -> None:
        count = len(shape)
        first = next(
            (i for i, move in enumerate(shape) if trigger_hits(target.start, move, outcomes)), None
        )
        if first is not None and target.step is not None:
            first = next((i for i in range(first, count) if shape[i][2] == target.step), None)
        self.first = first
        self.stop: int | None = None
        self.segments: tuple[tuple[int, bool], ...] = ()
        self.last_runs = STILL
        self.through = False
        if first is None:
            return
        for i in range(first, count):
            move = shape[i]
            if move[2] in outcomes or (
                i > first and any(trigger_hits(t, move, outcomes) for t in target.stop)
            ):
                self.stop = i
                break
        # the clock runs from move i to move i + 1; after the last move nothing is left (the
        # moment of judgement is the last move's time)
        last = self.stop - 1 if self.stop is not None else count - 2
        segments = []
        for i in range(first, last + 1):
            runs = clock_runs(target, shape[i][2], outcomes)
            if runs != STILL:
                segments.append((i, runs == PAUSED))
        self.segments = tuple(segments)
        # the usual course: started, ran without a pause until stopped
        self.through = (
            self.stop is not None
            and target.step is None
            and self.segments == tuple((i, False) for i in range(first, self.stop))
        )
        if self.stop is None:
            self.last_runs = clock_runs(target, shape[-1][2], outcomes)


class EndedJudge:
    """Met or breached for each target of ``policy``, at the last move of a history.

    ``outcomes`` are the outcome codes of the history's process. :meth:`plan` works out a
    shape once; its :meth:`ShapePlan.verdicts` take the moves' times (in time order, the
    structure already checked) and the priority in force, and give ``(target name, met)`` for
    each target that :func:`~vss_care_core.sla.sla_status` shows met or breached at the moment
    of the last move; running, paused and pending targets are left out.
    """

    __slots__ = ("_calendar", "_limits", "_outcomes", "_pause_from", "_periods", "_targets")

    def __init__(
        self, policy: SlaPolicy, *, calendar: WorkingCalendar, outcomes: frozenset[str]
    ) -> None:
        self._calendar = calendar
        self._outcomes = outcomes
        self._targets = policy.targets
        self._pause_from = tuple(
            datetime.combine(t.pause_from, time(), tzinfo=calendar.zone)
            if t.pause_from is not None
            else None
            for t in policy.targets
        )
        self._limits = {p.value: tuple(t.limit_for(p) for t in policy.targets) for p in Priority}
        self._periods: dict[tuple[str, int, date], datetime] = {}

    def plan(self, moves: Sequence[Move]) -> ShapePlan:
        """What this policy's clocks do in histories of these moves."""
        clocks = tuple(
            (target, _Course(target, moves, self._outcomes), pause_from)
            for target, pause_from in zip(self._targets, self._pause_from, strict=True)
        )
        return ShapePlan(clocks, self._limits, self._judge)

    def _period_end(self, target: SlaTarget, days: int, started_at: datetime) -> datetime:
        """The legal end of a day-counted period that starts at ``started_at``."""
        calendar = self._calendar
        key = (target.unit, days, started_at.astimezone(calendar.zone).date())
        end = self._periods.get(key)
        if end is None:  # the end of a day-counted period depends on the start's date only
            if target.unit == "working_days":
                end = calendar.add_working_days(started_at, days)
            else:
                end = calendar.add_days(started_at, days)
            if len(self._periods) < _MAX_PERIODS:
                self._periods[key] = end
        return end

    def _budget(self, target: SlaTarget, limit: Limit, started_at: datetime) -> timedelta:
        """The limit as clock time from ``started_at`` (day limits: to the legal end)."""
        if isinstance(limit, timedelta):
            return limit
        end = self._period_end(target, limit, started_at)
        if target.unit == "working_days":
            return self._calendar.working_time(started_at, end)
        return end - started_at

    def _judge(  # noqa: PLR0912 - one clock over the history's times, in one place
        self,
        target: SlaTarget,
        course: _Course,
        pause_from: datetime | None,
        limit: Limit,
        times: Sequence[datetime],
    ) -> bool | None:
        """Met (True), breached (False) or neither (None) for one started clock.

        ``times`` are in time order, so the clock's segments end at the next move's time.
        """
        calendar = self._calendar
        first, stop = course.first, course.stop
        assert first is not None  # noqa: S101 - checked by the caller
        at = times[-1]
        end = times[stop] if stop is not None else at
        started_at = times[first]
        if course.through and not isinstance(limit, timedelta) and limit > 0:
            # a day-counted clock that ran without a pause: its budget runs out on the
            # period's last day, so the deadline is the period's legal end itself
            return end <= self._period_end(target, limit, started_at)
        budget = self._budget(target, limit, started_at)
        working = target.unit in _WORKING_UNITS
        if course.through:
            return self._through(target, budget, started_at, end, working=working)
        spans = _spans(course.segments, pause_from, times)
        if working and sum((b - a for a, b in spans), _ZERO) < budget:
            working = False  # opening hours never exceed the time that passed: not reached
        elapsed = _ZERO
        reached: datetime | None = None
        last_end: datetime | None = None
        for seg_start, seg_end in spans:
            last_end = seg_end
            if working:
                used = calendar.working_time(seg_start, seg_end)
                if reached is None and elapsed + used >= budget:
                    reached = calendar.add(seg_start, budget - elapsed)
            else:
                used = seg_end - seg_start
                if reached is None and elapsed + used >= budget:
                    reached = (seg_start + (budget - elapsed)).astimezone(calendar.zone)
            elapsed += used
        running = stop is None and (
            course.last_runs == RUNS
            or (
                course.last_runs == PAUSED
                and pause_from is not None
                and at.astimezone(calendar.zone).date() < pause_from.date()
            )
        )
        if reached is not None:
            deadline = reached
            if target.unit in _DAY_UNITS:
                deadline = _day_deadline(reached, target.unit, calendar)
            if target.step is not None:
                moment = at if running else (last_end if last_end is not None else started_at)
            else:
                moment = end
            if moment > deadline:
                return False
        # a projected deadline lies after the moment it is projected from: never breached now
        if running:
            return None
        if stop is not None or target.step is not None:
            return True
        return None  # paused

    def _through(
        self,
        target: SlaTarget,
        budget: timedelta,
        started_at: datetime,
        end: datetime,
        *,
        working: bool,
    ) -> bool:
        """Met or breached for a clock that ran without a pause from its start to its stop."""
        calendar = self._calendar
        if working:
            if end - started_at < budget or calendar.working_time(started_at, end) < budget:
                return True  # opening hours never exceed the time that passed
            reached = calendar.add(started_at, budget)
        else:
            if end - started_at < budget:
                return True
            reached = (started_at + budget).astimezone(calendar.zone)
        if target.unit in _DAY_UNITS:
            return end <= _day_deadline(reached, target.unit, calendar)
        return end <= reached


def _spans(
    segments: Sequence[tuple[int, bool]], pause_from: datetime | None, times: Sequence[datetime]
) -> list[tuple[datetime, datetime]]:
    """When a clock ran: its segments as (start, end) times, in order; a pause state counts
    only before its pause rule came into force."""
    spans = []
    for i, partial in segments:
        start = times[i]
        end = times[i + 1]
        if end <= start:
            continue
        if partial:
            assert pause_from is not None  # noqa: S101 - partial only with pause_from
            if start >= pause_from:
                continue
            end = min(end, pause_from)
        spans.append((start, end))
    return spans


_Verdict = Callable[
    [
        SlaTarget,
        _Course,
        "datetime | None",
        Limit,
        Sequence[datetime],
    ],
    "bool | None",
]


class ShapePlan:
    """An :class:`EndedJudge`'s policy worked out for one shape of history."""

    __slots__ = ("_judge", "_limits", "_started")

    def __init__(
        self,
        clocks: tuple[tuple[SlaTarget, _Course, datetime | None], ...],
        limits: Mapping[str, tuple[Limit, ...]],
        judge: _Verdict,
    ) -> None:
        self._limits = limits
        self._judge = judge
        # the clocks this shape starts (pending ones give no verdict); a clock of plain time
        # that runs without a pause from its start to its stop is met when the time between
        # the two is within the limit, which needs no calendar
        self._started = tuple(
            (
                slot,
                target,
                course,
                pause_from,
                course.first,
                course.stop if course.through and target.unit == "elapsed" else None,
            )
            for slot, (target, course, pause_from) in enumerate(clocks)
            if course.first is not None
        )

    def verdicts(self, times: Sequence[datetime], priority: str) -> tuple[tuple[str, bool], ...]:
        """``(target name, met)`` for the met and breached targets of a history of this shape
        with these ``times`` (in time order), under ``priority`` (a :class:`Priority` value; an
        unknown one gives no verdicts)."""
        limits = self._limits.get(priority)
        if limits is None:
            return ()
        verdicts = []
        for slot, target, course, pause_from, first, plain_stop in self._started:
            limit = limits[slot]
            if plain_stop is not None and isinstance(limit, timedelta):
                met: bool | None = times[plain_stop] - times[first] <= limit
            else:
                met = self._judge(target, course, pause_from, limit, times)
            if met is not None:
                verdicts.append((target.name, met))
        return tuple(verdicts)
