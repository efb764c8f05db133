"""SLA timers: each target's clock, replayed from a case's events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, final

from vss_care_core.calendar import WorkingCalendar, vietnam_calendar
from vss_care_core.errors import InvalidInputError
from vss_care_core.models import Event, Priority, require_aware
from vss_care_core.models._event import Move, move_of
from vss_care_core.sla._policy import Limit, SlaPolicy, SlaTarget

if TYPE_CHECKING:
    from vss_care_core.process import Case

__all__ = ["SlaState", "SlaTimer", "sla_status"]

_ZERO = timedelta(0)
_TICK = timedelta(microseconds=1)


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


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class SlaTimer:
    """The state of one target's clock on one case at one moment (``at``).

    Durations (``limit_time``, ``elapsed``, ``remaining``, ``paused``) are measured the way the
    target counts: working time of the calendar for ``working_time`` and ``working_days``
    targets, plain time for ``elapsed`` and ``calendar_days`` targets.
    """

    target: SlaTarget
    """The target this clock measures."""
    state: SlaState
    """Pending, running, paused, met or breached."""
    at: datetime
    """The moment of evaluation."""
    priority: Priority
    """The case's priority in force at ``at`` (it chooses the limit)."""
    limit: Limit
    """The limit in force: a ``timedelta`` or a number of days."""
    limit_time: timedelta
    """The limit as clock time: for day units, the clock time from the start to the legal end."""
    started_at: datetime | None
    """When the clock started (None while pending)."""
    stopped_at: datetime | None
    """When a stop event (or the case's end) stopped it for good."""
    deadline: datetime | None
    """When the limit is (or was) reached, pauses accounted; while running or paused, a
    projection assuming no further pause. For day units: 00:00 after the last day (24:00)."""
    elapsed: timedelta
    """Clock time used so far (paused time excluded)."""
    remaining: timedelta
    """Clock time left before the limit (zero once reached)."""
    paused: timedelta
    """Clock time spent paused since the start."""
    warnings: tuple[float, ...]
    """The warning thresholds crossed (fractions of the limit)."""
    breached_at: datetime | None
    """When the deadline passed, for a breached target."""
    next_alert_at: datetime | None
    """The next moment a warning threshold or the breach will be reached, for a running clock;
    for calendar-based targets it is never outside opening hours (a closing time at most), so a
    scheduler can sleep until then."""

    @property
    def name(self) -> str:
        """The target's name."""
        return self.target.name


@dataclass(frozen=True, slots=True)
class _Measure:
    """How a target's clock counts time."""

    between: Callable[[datetime, datetime], timedelta]
    after: Callable[[datetime, timedelta], datetime]
    calendar_based: bool


def _measures(
    calendar: WorkingCalendar, moments: Sequence[datetime]
) -> tuple[_Measure, _Measure, _Measure]:
    """The working-time, calendar-day and elapsed measures of one evaluation.

    The working time from the first moment to every event and to ``at`` is computed once, on
    the first working-time question (never for a policy of plain durations), so most
    working-time differences are two dictionary look-ups.
    """
    known: dict[datetime, timedelta] = {}

    def working_between(a: datetime, b: datetime) -> timedelta:
        if not known:
            known.update(zip(moments, calendar.working_times(moments[0], moments), strict=True))
        wa, wb = known.get(a), known.get(b)
        if wa is None or wb is None:
            return calendar.working_time(a, b)
        return wb - wa

    def plain_between(a: datetime, b: datetime) -> timedelta:
        return b - a

    def plain_after(t: datetime, d: timedelta) -> datetime:
        return (t + d).astimezone(calendar.zone)

    return (
        _Measure(working_between, calendar.add, calendar_based=True),
        _Measure(plain_between, plain_after, calendar_based=True),
        _Measure(plain_between, plain_after, calendar_based=False),
    )


def trigger_hits(trigger: str, move: Move, outcomes: frozenset[str]) -> bool:
    """Whether ``move`` is the event ``trigger`` names (see :class:`SlaTarget`)."""
    action, from_state, to_state, step = move
    if trigger == "open":
        return action == "open"
    if trigger == "end":
        return to_state in outcomes and from_state not in outcomes
    kind, _, argument = trigger.partition(":")
    if kind == "complete" and argument:
        return action == "complete" and step == argument
    if kind == "enter" and argument:
        return to_state == argument and from_state != argument
    return action == trigger


RUNS, STILL, PAUSED = 1, 0, 2
"""Whether a clock runs in a state: always, not, or only before its ``pause_from`` date."""


def clock_runs(target: SlaTarget, state: str, outcomes: frozenset[str]) -> int:
    """Whether ``target``'s clock runs in ``state``: :data:`RUNS`, :data:`STILL` or
    :data:`PAUSED` (a pause state of a rule in force from ``pause_from``: it runs before)."""
    if target.step is not None:
        return RUNS if state == target.step else STILL
    if state not in outcomes and state not in target.pause:
        return RUNS
    if state in target.pause and target.pause_from is not None:
        return PAUSED
    return STILL


def priority_in_force(priority: Priority, events: Sequence[Event]) -> Priority:
    """The priority after ``events``: the last a ``set_priority`` recorded, else ``priority``."""
    for event in events:
        if event.action == "set_priority" and "priority" in event.data:
            priority = Priority(str(event.data["priority"]))
    return priority


def _day_deadline(reached: datetime, unit: str, calendar: WorkingCalendar) -> datetime:
    """24:00 of the day on which a day-counted budget runs out (00:00 of the next date)."""
    last = (reached - _TICK).astimezone(calendar.zone).date()
    if unit == "calendar_days":
        while not calendar.is_working_day(last):
            last += timedelta(days=1)
    return datetime.combine(last + timedelta(days=1), time(), tzinfo=calendar.zone)


def _alert_time(moment: datetime, measure: _Measure, calendar: WorkingCalendar) -> datetime:
    """Move an alert out of closed hours (a closing time is kept)."""
    if not measure.calendar_based or calendar.is_open(moment):
        return moment
    if calendar.is_open(moment - _TICK):
        return moment  # exactly a closing time
    return calendar.next_open(moment)


@dataclass(frozen=True, slots=True)
class _Context:
    """What every target of one evaluation shares."""

    events: Sequence[Event]
    outcomes: frozenset[str]
    at: datetime
    priority: Priority
    calendar: WorkingCalendar
    measures: tuple[_Measure, _Measure, _Measure]

    def measure(self, unit: str) -> _Measure:
        """How a target in ``unit`` counts time."""
        if unit in ("working_time", "working_days"):
            return self.measures[0]
        return self.measures[1] if unit == "calendar_days" else self.measures[2]


def _start_index(target: SlaTarget, ctx: _Context) -> int | None:
    events = ctx.events
    first = next(
        (i for i, e in enumerate(events) if trigger_hits(target.start, move_of(e), ctx.outcomes)),
        None,
    )
    if first is not None and target.step is not None:
        step = target.step
        first = next((i for i in range(first, len(events)) if events[i].to_state == step), None)
    return first


def _stop_index(target: SlaTarget, first: int, ctx: _Context) -> int | None:
    events = ctx.events
    for i in range(first, len(events)):
        event = events[i]
        if event.to_state in ctx.outcomes:
            return i
        if i > first and any(trigger_hits(t, move_of(event), ctx.outcomes) for t in target.stop):
            return i
    return None


def _segments(
    target: SlaTarget, first: int, stop: int | None, end: datetime, ctx: _Context
) -> list[tuple[datetime, datetime]]:
    """The intervals during which the clock ran, from the start to ``end``."""
    events = ctx.events
    last = stop - 1 if stop is not None else len(events) - 1
    pause_from = (
        datetime.combine(target.pause_from, time(), tzinfo=ctx.calendar.zone)
        if target.pause_from is not None
        else None
    )
    segments: list[tuple[datetime, datetime]] = []
    for i in range(first, last + 1):
        seg_start = events[i].at
        seg_end = min(events[i + 1].at if i + 1 < len(events) else end, end)
        if seg_end <= seg_start:
            continue
        runs = clock_runs(target, events[i].to_state, ctx.outcomes)
        if runs == RUNS:
            segments.append((seg_start, seg_end))
        elif runs == PAUSED and pause_from is not None and seg_start < pause_from:
            segments.append((seg_start, min(seg_end, pause_from)))  # the rule was not in force
    return segments


def _running_now(target: SlaTarget, stop: int | None, ctx: _Context) -> bool:
    if stop is not None:
        return False
    runs = clock_runs(target, ctx.events[-1].to_state, ctx.outcomes)
    return runs == RUNS or (
        runs == PAUSED and target.pause_from is not None and ctx.at.date() < target.pause_from
    )


def _budget(
    target: SlaTarget, limit: Limit, started_at: datetime, cal: WorkingCalendar
) -> timedelta:
    if isinstance(limit, timedelta):
        return limit
    if target.unit == "working_days":
        return cal.working_time(started_at, cal.add_working_days(started_at, limit))
    return cal.add_days(started_at, limit) - started_at


def _next_alert(
    *,
    target: SlaTarget,
    measure: _Measure,
    budget: timedelta,
    elapsed: timedelta,
    deadline: datetime | None,
    ctx: _Context,
) -> datetime | None:
    at = ctx.at
    candidates = [
        measure.after(at, budget * w - elapsed) for w in target.warn_at if elapsed < budget * w
    ]
    if deadline is not None:
        candidates.append(deadline)
    future = [c for c in candidates if c > at]
    return _alert_time(min(future), measure, ctx.calendar) if future else None


class _Run(NamedTuple):
    """What a started clock did up to the moment of evaluation."""

    started_at: datetime
    stop: int | None
    end: datetime
    budget: timedelta
    elapsed: timedelta
    running: bool
    deadline: datetime | None
    breached: bool
    state: SlaState


def _run(target: SlaTarget, limit: Limit, first: int, ctx: _Context) -> _Run:
    """Follow the clock of ``target`` from its start event (index ``first``) to ``ctx.at``."""
    calendar = ctx.calendar
    measure = ctx.measure(target.unit)
    started_at = ctx.events[first].at
    stop = _stop_index(target, first, ctx)
    end = ctx.events[stop].at if stop is not None else ctx.at
    segments = _segments(target, first, stop, end, ctx)
    budget = _budget(target, limit, started_at, calendar)
    # elapsed clock time, and the moment the budget was used up if it was
    elapsed = _ZERO
    reached: datetime | None = None
    for seg_start, seg_end in segments:
        used = measure.between(seg_start, seg_end)
        if reached is None and elapsed + used >= budget:
            reached = measure.after(seg_start, budget - elapsed)
        elapsed += used
    running = _running_now(target, stop, ctx)
    if reached is None and (target.step is None or running):
        # a projection: the clock goes on (or resumes) from now, or from its stop
        reached = measure.after(ctx.at if stop is None else end, budget - elapsed)
    deadline = reached
    if deadline is not None and target.unit in ("working_days", "calendar_days"):
        deadline = _day_deadline(deadline, target.unit, calendar)
    if target.step is not None:
        moment = ctx.at if running else (segments[-1][1] if segments else started_at)
    else:
        moment = end
    breached = deadline is not None and moment > deadline
    if breached:
        state = SlaState.BREACHED
    elif running:
        state = SlaState.RUNNING
    elif stop is not None or target.step is not None:
        state = SlaState.MET
    else:
        state = SlaState.PAUSED
    return _Run(started_at, stop, end, budget, elapsed, running, deadline, breached, state)


def _timer(target: SlaTarget, ctx: _Context) -> SlaTimer:
    limit = target.limit_for(ctx.priority)
    first = _start_index(target, ctx)
    if first is None:
        plain = limit if isinstance(limit, timedelta) else _ZERO
        return SlaTimer(
            target=target, state=SlaState.PENDING, at=ctx.at, priority=ctx.priority, limit=limit,
            limit_time=plain, started_at=None, stopped_at=None, deadline=None, elapsed=_ZERO,
            remaining=plain, paused=_ZERO, warnings=(), breached_at=None, next_alert_at=None,
        )  # fmt: skip
    run = _run(target, limit, first, ctx)
    measure = ctx.measure(target.unit)
    budget, elapsed, deadline = run.budget, run.elapsed, run.deadline
    zone = ctx.calendar.zone
    return SlaTimer(
        target=target,
        state=run.state,
        at=ctx.at,
        priority=ctx.priority,
        limit=limit,
        limit_time=budget,
        started_at=run.started_at.astimezone(zone),
        stopped_at=run.end.astimezone(zone) if run.stop is not None else None,
        deadline=deadline.astimezone(zone) if deadline is not None else None,
        elapsed=elapsed,
        remaining=max(budget - elapsed, _ZERO),
        paused=(
            _ZERO if target.step is not None else measure.between(run.started_at, run.end) - elapsed
        ),
        warnings=tuple(w for w in target.warn_at if elapsed >= budget * w),
        breached_at=deadline.astimezone(zone) if run.breached and deadline is not None else None,
        next_alert_at=(
            _next_alert(
                target=target,
                measure=measure,
                budget=budget,
                elapsed=elapsed,
                deadline=deadline,
                ctx=ctx,
            )
            if run.state is SlaState.RUNNING
            else None
        ),
    )


def sla_status(
    case: Case,
    *,
    at: datetime,
    policy: SlaPolicy | None = None,
    calendar: WorkingCalendar | None = None,
) -> tuple[SlaTimer, ...]:
    """The state of every target of ``policy`` on ``case`` at the moment ``at``.

    A pure function of its arguments: events after ``at`` are ignored, nothing is read from the
    clock, so replaying the same history always gives the same timers. ``policy`` defaults to
    :func:`default_policy_for` the case, ``calendar`` to
    :func:`~vss_care_core.calendar.vietnam_calendar`.

    Each target runs its own clock (meeting one never stops another). A ``set_priority`` event
    changes the limit of the targets that have ``priority_limits``: the new limit counts from the
    original start and keeps the paused time already accumulated.
    """
    require_aware(at, "at")
    if policy is None:
        from vss_care_core.sla._defaults import default_policy_for  # noqa: PLC0415 - cycle

        policy = default_policy_for(case, at=at)
    if calendar is None:
        calendar = vietnam_calendar()
    events = [e for e in case.history if e.at <= at]
    if not events:
        raise InvalidInputError(
            f"at={at.isoformat()} is before the case was opened "
            f"({case.history[0].at.isoformat()}); ask about a later moment"
        )
    local_at = at.astimezone(calendar.zone)
    ctx = _Context(
        events=events,
        outcomes=frozenset(case.definition.outcome_codes),
        at=local_at,
        priority=priority_in_force(case.inquiry.priority, events),
        calendar=calendar,
        measures=_measures(calendar, [*(e.at for e in events), local_at]),
    )
    return tuple(_timer(target, ctx) for target in policy.targets)
