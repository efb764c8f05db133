"""SLA compliance for the KPIs: each ended case judged by the SLA layer's rules."""

from __future__ import annotations

from collections.abc import Sequence

from vss_care_core.calendar import WorkingCalendar, vietnam_calendar
from vss_care_core.errors import CareCoreError
from vss_care_core.models import Channel, Event, Inquiry, InquiryKind, Priority
from vss_care_core.models._event import Move, move_of
from vss_care_core.process import CALL_PROCESS, WRITTEN_PROCESS
from vss_care_core.process._case import stray_move
from vss_care_core.sla import SlaPolicy
from vss_care_core.sla._defaults import classified_kind, select_policy
from vss_care_core.sla._timers import priority_in_force
from vss_care_core.sla._verdicts import EndedJudge, ShapePlan

__all__ = ["SlaJudge", "default_sla_judge"]

_PROCESSES = {definition.name: definition for definition in (CALL_PROCESS, WRITTEN_PROCESS)}
_OUTCOMES = {name: frozenset(d.outcome_codes) for name, d in _PROCESSES.items()}
_MAX_PLANS = 4096
_UNKNOWN = object()
Verdicts = tuple[tuple[str, bool], ...]
_PlanKey = tuple[str | None, str, str | None, str, tuple[Move, ...]]


class SlaJudge:
    """Judges the SLA targets of ended cases, for the SLA compliance KPI.

    ``judge(inquiry, events)`` gives ``(target name, met)`` for each target that
    :func:`~vss_care_core.sla.sla_status` shows met or breached at the moment of the last
    event, on ``calendar`` (the Vietnamese state-agency calendar by default), with the policy
    selected for the case from ``policies`` (the defaults by default) by process, channel,
    classified kind and priority.

    The log is taken as written by this library: a history's structure is checked as
    ``Case.replay(..., trusted=True)`` does (one case, numbered in order, never back in time,
    every move in the process's table), its guards are not run again and the case is not
    rebuilt. A history that does not follow its process, or names a process other than
    ``call`` and ``written``, is not judged (no verdicts).

    >>> from datetime import datetime, timedelta, UTC
    >>> from vss_care_core import open_case
    >>> from vss_care_core.testing import make_inquiry
    >>> start = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    >>> case = open_case(make_inquiry(channel="phone"), at=start, by="agent")
    >>> _ = case.complete("greet", at=start + timedelta(seconds=45), by="agent")
    >>> _ = case.fire("abandon", at=start + timedelta(minutes=1), by="agent")
    >>> SlaJudge()(case.inquiry, case.history)
    (('answer', False), ('handle', True))
    """

    __slots__ = ("_calendar", "_judges", "_plans", "_policies")

    def __init__(
        self,
        *,
        calendar: WorkingCalendar | None = None,
        policies: Sequence[SlaPolicy] | None = None,
    ) -> None:
        self._calendar = calendar if calendar is not None else vietnam_calendar()
        self._policies = tuple(policies) if policies is not None else None
        self._judges: dict[tuple[str, Channel, InquiryKind | None, Priority], EndedJudge] = {}
        self._plans: dict[_PlanKey, ShapePlan | object | None] = {}

    def __call__(self, inquiry: Inquiry, events: Sequence[Event]) -> Verdicts:
        if not events:
            return ()
        first = events[0]
        times = [event.at for event in events]
        if any(
            event.case_id != first.case_id or event.seq != number
            for number, event in enumerate(events, start=1)
        ) or times != sorted(times):
            return ()
        process = first.data.get("process") if first.data else None
        kind = classified_kind(inquiry.kind, events)
        try:
            priority = priority_in_force(inquiry.priority, events)
            plan = self.plan_for(
                process=process if isinstance(process, str) else None,
                channel=inquiry.channel.value,
                kind=kind.value if kind is not None else None,
                priority=inquiry.priority.value,
                moves=tuple(map(move_of, events)),
            )
            return plan.verdicts(times, priority.value) if plan is not None else ()
        except (CareCoreError, ValueError):
            return ()

    def plan_for(
        self,
        *,
        process: str | None,
        channel: str,
        kind: str | None,
        priority: str,
        moves: tuple[Move, ...],
    ) -> ShapePlan | None:
        """How this judge reads histories of these ``moves`` (their *shape*) for a case with
        this ``process``, ``channel``, classified ``kind`` and (opening) ``priority``, given as
        recorded values; None when such histories are not judged (a process other than
        ``call`` and ``written``, moves outside its table, no policy for the case, a value that
        is not a channel, kind or priority).

        Its ``verdicts(times, priority)`` judges one history of the shape from the moves'
        times (in time order) and the priority in force at the end. The KPI accumulator asks
        once per shape and reuses the plan.
        """
        key = (process, channel, kind, priority, moves)
        plan = self._plans.get(key, _UNKNOWN)
        if plan is _UNKNOWN:
            plan = self._plan(key)
            if len(self._plans) < _MAX_PLANS:
                self._plans[key] = plan
        assert plan is None or isinstance(plan, ShapePlan)  # noqa: S101 - sentinel handled
        return plan

    def _plan(self, key: _PlanKey) -> ShapePlan | None:
        process, channel, kind, priority, moves = key
        definition = _PROCESSES.get(process or "")
        if definition is None or not moves or stray_move(definition, moves) is not None:
            return None
        try:
            selector = (definition.name, Channel(channel), _kind(kind), Priority(priority))
            judge = self._judges.get(selector)
            if judge is None:
                policy = select_policy(
                    process=definition.name,
                    channel=selector[1],
                    kind=selector[2],
                    priority=selector[3],
                    policies=self._policies,
                )
                judge = EndedJudge(
                    policy, calendar=self._calendar, outcomes=_OUTCOMES[definition.name]
                )
                self._judges[selector] = judge
        except (CareCoreError, ValueError):
            return None
        return judge.plan(moves)


def _kind(value: str | None) -> InquiryKind | None:
    return InquiryKind(value) if value is not None else None


def default_sla_judge(
    *,
    calendar: WorkingCalendar | None = None,
    policies: Sequence[SlaPolicy] | None = None,
) -> SlaJudge:
    """An :class:`SlaJudge` on ``calendar`` with ``policies`` (both defaulted)."""
    return SlaJudge(calendar=calendar, policies=policies)
