"""Met or breached: the SLA verdicts of ended histories, for reports over long logs.

:func:`~vss_care_core.sla.sla_status` builds every timer in full for any moment. A report needs
less, once per ended case: which targets were met and which breached when the case ended.
:class:`SlaJudge` asks the same engine (:mod:`vss_care_core.sla` ``ShapeClock`` and
``run_clock``) at the moment of the last move. What depends on the moves alone is worked out
once per policy, process and distinct sequence of moves (a *shape*: a contact centre's cases
follow a few dozen): a ``ShapeClock`` per target. A case then costs its working times, asked
once, and each clock's sum; a clock the sum cannot settle runs in full. A history it cannot
judge gets a reason, never silence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from vss_care_core.calendar import WorkingCalendar, vietnam_calendar
from vss_care_core.errors import CareCoreError
from vss_care_core.models import Channel, Event, Inquiry, InquiryKind, Move, Priority, move_of
from vss_care_core.process import (
    ProcessDefinition,
    first_stray_move,
    priority_in_force,
    recorded_kind,
    standard_process,
    units_held,
)
from vss_care_core.sla._clock import (
    ShapeClock,
    SlaState,
    SpanMeasures,
    run_clock,
)
from vss_care_core.sla._defaults import select_policy
from vss_care_core.sla._policy import SlaPolicy
from vss_care_core.sla._units import UnitCalendars

__all__ = ["SlaJudge", "SlaJudgement", "default_sla_judge"]

_MAX_KEPT = 4096
"""How many policies and shapes a judge keeps worked out (unusual ones past it are worked out
each time)."""

NOT_IN_ORDER = "events missing, repeated or out of time order"
NOT_FOLLOWING = "the history does not follow its process"
NO_PROCESS = "the process is not known"
NO_POLICY = "no SLA policy applies"


class _Selection(NamedTuple):
    """What selects a policy."""

    process: str
    channel: Channel
    kind: InquiryKind | None
    priority: Priority
    unit: str | None
    unit_level: str | None


@dataclass(frozen=True, slots=True)
class _Plan:
    """The clocks of a policy's targets in one shape, worked out once."""

    clocks: tuple[ShapeClock, ...]
    working: bool
    """Some clock is summed over opening hours: the case's working times are asked for."""


@dataclass(frozen=True, slots=True)
class SlaJudgement:
    """The SLA verdicts of one history: ``(target name, met)`` for each target that was met
    or breached when the history ended (running, paused and pending targets are left out);
    or, when the history could not be judged, the reason (``not_judged``)."""

    verdicts: tuple[tuple[str, bool], ...] = ()
    not_judged: str | None = None


class SlaJudge:
    """Judges the SLA targets of ended cases, for the SLA compliance KPI.

    ``judge(inquiry, events)`` gives the met and breached targets at the moment of the last
    event, exactly as :func:`~vss_care_core.sla.sla_status` shows them then, on ``calendar``
    (the Vietnamese state-agency calendar by default), with the policy selected for the case
    from ``policies`` (the defaults by default). ``processes`` are the definitions a log may
    name besides the two standard ones. With ``units``, as for ``sla_status``, the unit that
    holds the case selects the policy with its level, and opening-hours clocks run on its
    calendar.

    >>> from datetime import datetime, timedelta, UTC
    >>> from vss_care_core import open_case
    >>> from vss_care_core.testing import make_inquiry
    >>> start = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    >>> case = open_case(make_inquiry(channel="phone", received_at=start), at=start, by="agent")
    >>> _ = case.complete("greet", at=start + timedelta(seconds=45), by="agent")
    >>> _ = case.fire("abandon", at=start + timedelta(minutes=1), by="agent")
    >>> SlaJudge()(case.inquiry, case.history).verdicts
    (('pickup', False), ('handle', True))
    """

    __slots__ = ("_calendar", "_plans", "_policies", "_processes", "_selected", "_units")

    def __init__(
        self,
        *,
        calendar: WorkingCalendar | None = None,
        policies: Sequence[SlaPolicy] | None = None,
        processes: Sequence[ProcessDefinition] = (),
        units: UnitCalendars | None = None,
    ) -> None:
        self._calendar = calendar if calendar is not None else vietnam_calendar()
        self._policies = tuple(policies) if policies is not None else None
        self._processes = {definition.name: definition for definition in processes}
        self._units = units
        self._selected: dict[_Selection, SlaPolicy | None] = {}
        self._plans: dict[tuple[str, str, tuple[Move, ...]], _Plan] = {}

    @property
    def calendar(self) -> WorkingCalendar:
        """The calendar the clocks count on."""
        return self._calendar

    @property
    def units(self) -> UnitCalendars | None:
        """The units' calendars and levels, if given."""
        return self._units

    def process_named(self, name: str) -> ProcessDefinition | None:
        """The definition of the process ``name`` this judge knows (given or standard)."""
        found = self._processes.get(name)
        if found is not None:
            return found
        try:
            return standard_process(name)
        except KeyError:
            return None

    def __call__(self, inquiry: Inquiry, events: Sequence[Event]) -> SlaJudgement:
        """The verdicts of the history ``events`` of a case for ``inquiry``."""
        if not events:
            return SlaJudgement(not_judged=NOT_IN_ORDER)
        first = events[0]
        if any(
            event.case_id != first.case_id or event.seq != number
            for number, event in enumerate(events, start=1)
        ):
            return SlaJudgement(not_judged=NOT_IN_ORDER)
        named = first.data.get("process")
        definition = self.process_named(named) if isinstance(named, str) else None
        if definition is None:
            return SlaJudgement(not_judged=NO_PROCESS)
        return self.judge(
            definition=definition,
            channel=inquiry.channel,
            kind=recorded_kind(definition, inquiry.kind, events),
            opening_priority=inquiry.priority,
            priority=priority_in_force(definition, inquiry.priority, events),
            moves=tuple(move_of(event) for event in events),
            times=[event.at for event in events],
            held=units_held(definition, events),
        )

    def judge(
        self,
        *,
        definition: ProcessDefinition,
        channel: Channel,
        kind: InquiryKind | None,
        opening_priority: Priority,
        priority: Priority,
        moves: tuple[Move, ...],
        times: Sequence[datetime],
        held: Sequence[str | None] | None = None,
    ) -> SlaJudgement:
        """The verdicts of one history given by its parts: the process, the inquiry's channel,
        the kind as classified, the priority the case opened with (it selects the policy) and
        the one in force at the end (it sets the limits), the moves and their times (one per
        move, numbered without a gap: the caller checks that), and the unit holding the case
        after each move (:func:`~vss_care_core.process.units_held`; None: not known, every
        span then counts on the judge's calendar and no unit selects the policy)."""
        if sorted(times) != list(times):  # not in time order
            return SlaJudgement(not_judged=NOT_IN_ORDER)
        unit = held[-1] if held else None
        units = self._units
        selection = _Selection(
            process=definition.family.value,
            channel=channel,
            kind=kind,
            priority=opening_priority,
            unit=unit,
            unit_level=units.level_of(unit) if units is not None else None,
        )
        policy = self._policy(selection)
        if policy is None:
            return SlaJudgement(not_judged=NO_POLICY)
        plan = self._plan_of(policy, definition, moves)
        if plan is None:
            return SlaJudgement(not_judged=NOT_FOLLOWING)
        calendar = self._calendar
        holders = None
        if units is not None and held:
            holders = [units.calendar_of(holder, calendar) for holder in held]
        one_calendar = holders is None or all(holder is calendar for holder in holders)
        # the working time from the first move to each move, asked once for the case's clocks
        worked = calendar.working_times(times[0], times) if one_calendar and plan.working else ()
        spans: SpanMeasures | None = None  # built only for a clock run in full
        verdicts = []
        for clock in plan.clocks:
            course = clock.course
            if course.start is None:
                continue
            target = clock.target
            limit = target.limit_for(priority)
            state = clock.settled(limit, times, worked, calendar) if one_calendar else None
            if state is None:
                if spans is None:
                    spans = SpanMeasures(calendar, times, len(times), holders)
                run = run_clock(
                    target,
                    limit,
                    course,
                    times,
                    times[-1],
                    measures=spans.per_move(target.unit),
                    calendar=calendar,
                )
                state = run.state
            if state is SlaState.MET or state is SlaState.BREACHED:
                verdicts.append((target.name, state is SlaState.MET))
        return SlaJudgement(verdicts=tuple(verdicts))

    def _policy(self, selection: _Selection) -> SlaPolicy | None:
        if selection in self._selected:
            return self._selected[selection]
        try:
            policy: SlaPolicy | None = select_policy(
                process=selection.process,
                channel=selection.channel,
                kind=selection.kind,
                priority=selection.priority,
                unit=selection.unit,
                unit_level=selection.unit_level,
                policies=self._policies,
            )
        except CareCoreError:
            policy = None  # counted as not judged, with its reason
        if len(self._selected) < _MAX_KEPT:
            self._selected[selection] = policy
        return policy

    def _plan_of(
        self, policy: SlaPolicy, definition: ProcessDefinition, moves: tuple[Move, ...]
    ) -> _Plan | None:
        key = (policy.name, definition.name, moves)
        found = self._plans.get(key)
        if found is not None:
            return found
        if first_stray_move(definition, moves) is not None:
            return None
        outcomes = definition.outcome_set
        clocks = tuple(ShapeClock.of(target, moves, outcomes) for target in policy.targets)
        plan = _Plan(clocks=clocks, working=any(clock.working for clock in clocks))
        if len(self._plans) < _MAX_KEPT:
            self._plans[key] = plan
        return plan


def default_sla_judge(
    *,
    calendar: WorkingCalendar | None = None,
    policies: Sequence[SlaPolicy] | None = None,
    processes: Sequence[ProcessDefinition] = (),
    units: UnitCalendars | None = None,
) -> SlaJudge:
    """An :class:`SlaJudge` on ``calendar`` with ``policies`` (both defaulted)."""
    return SlaJudge(calendar=calendar, policies=policies, processes=processes, units=units)
